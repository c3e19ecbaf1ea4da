package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/migrations"
	"groupbook/payments"
	"groupbook/payments/fakestripe"
)

// buildBinary builds cmd/groupbook once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "groupbook")
	// The go command of the toolchain that built this test, so the binary
	// is built the same way; PATH's when the test was built -trimpath.
	gobin := "go"
	if root := runtime.GOROOT(); root != "" {
		gobin = filepath.Join(root, "bin", "go")
	}
	out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is the real binary running in its own process.
type proc struct {
	cmd *exec.Cmd
	out *syncBuffer
}

// startBinary starts bin serving with env and waits until /healthz
// answers.
func startBinary(t *testing.T, bin, base string, env map[string]string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, "serve"), out: &syncBuffer{}}
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start: %v\n%s", err, p.out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL: no shutdown, no deferred code.
func (p *proc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
}

// blockWebhook makes the webhook's transaction wait: on SQLite the test
// holds the write lock, on PostgreSQL an exclusive lock on stripe_events.
// The returned function lets go.
func blockWebhook(t *testing.T, kind, dsn string) func() {
	t.Helper()
	db, err := booking.OpenDB(dsn, booking.DBOptions{MaxOpenConns: 1, StatementTimeout: booking.NoTimeout})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, &sql.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stmt := "UPDATE locations SET name = name" // takes SQLite's one write lock
	if kind == booktest.Postgres {
		stmt = "LOCK TABLE stripe_events IN ACCESS EXCLUSIVE MODE"
	}
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		t.Fatal(err)
	}
	return func() {
		tx.Rollback()
		db.Close()
	}
}

// TestKill9BetweenPaidAndWebhook: the client pays at (the fake) Stripe;
// the real server, in its own process, is killed with SIGKILL while the
// webhook is inside its transaction; restarted, it gets Stripe's
// redelivery and books the group, exactly once.
func TestKill9BetweenPaidAndWebhook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) { kill9(t, bin, kind) })
	}
}

func kill9(t *testing.T, bin, kind string) {
	ctx := context.Background()
	dsn := booktest.URL(t, kind)
	db, err := booking.OpenDB(dsn, booking.DBOptions{MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := migrations.Up(ctx, db); err != nil {
		t.Fatal(err)
	}
	// The fixture on the real clock: the server process judges times by it.
	f := booktest.Seed(t, db)
	f.Now = time.Now().UTC()
	link := *f.Link
	link.PaymentMode = booking.PayOnline
	must(t, f.Store.SaveLink(ctx, &link))
	must(t, f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true}))
	ev := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(72*time.Hour).Truncate(time.Hour), 10)

	addr := freeAddr(t)
	base := "http://" + addr
	fake := fakestripe.New(fakestripe.Options{WebhookURL: base + "/hooks/stripe", RetryMax: 200 * time.Millisecond})
	defer fake.Close()
	env := map[string]string{
		EnvAddr: addr, EnvBaseURL: base, EnvDatabaseURL: dsn, EnvLogLevel: "debug",
		EnvSecret:       "kill9-test-secret-0123456789abcdef",
		EnvSMSWorker:    "false", // the booked SMS stays in the outbox, to count
		EnvJobWorker:    "false",
		EnvStripeAPIURL: fake.URL(), EnvStripeSecretKey: fake.SecretKey(), EnvStripeWebhookSecret: fake.WebhookSecret(),
		// A long deadline: the blocked webhook must still be waiting when
		// it is killed, not have given up with a 500.
		EnvRequestTimeout: "60s",
	}

	// The client's hold and Checkout Session, as the widget makes them.
	res, err := f.Store.Reserve(ctx, booking.ReserveRequest{
		LocationID: f.Location.ID, Link: &link, Key: "kill9", EventIDs: []int64{ev.ID}, Seats: 2,
		Client: booktest.Client(1), Lang: "en", Hold: true,
	})
	must(t, err)
	co, err := f.Store.NewCheckout(ctx, res.Group.Token)
	must(t, err)
	pay := payments.NewStripe(payments.Config{SecretKey: fake.SecretKey(), APIURL: fake.URL()})
	req := payments.CheckoutRequest{
		IdempotencyKey: co.Payment.IdempotencyKey, Currency: co.Payment.Currency,
		SuccessURL: base + "/m/" + res.Group.Token + "?paid=1", ExpiresAt: f.Now.Add(31 * time.Minute),
		Metadata: map[string]string{payments.MetadataPayment: strconv.FormatInt(co.Payment.ID, 10)},
	}
	for _, l := range co.Lines {
		req.Lines = append(req.Lines, payments.Line{Name: l.Service, UnitAmount: l.UnitMinor, Quantity: int64(l.Quantity)})
	}
	s, err := pay.CreateCheckout(ctx, req)
	must(t, err)
	must(t, f.Store.CheckoutOpened(ctx, co.Payment.ID, s.ID, s.URL))

	first := startBinary(t, bin, base, env)
	release := blockWebhook(t, kind, dsn)
	released := false
	defer func() {
		if !released {
			release()
		}
	}()

	// The client pays on the hosted page; Stripe sends the webhook.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.PostForm(s.URL, url.Values{})
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay: %d", resp.StatusCode)
	}
	evs := fake.Events()
	if len(evs) != 1 {
		t.Fatalf("events %+v", evs)
	}
	evID := evs[0].ID
	waitCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := fake.Wait(waitCtx, func() bool { return fake.InFlight(evID) }); err != nil {
		t.Fatalf("the webhook never arrived: %+v\n%s", fake.Deliveries(), first.out)
	}
	if kind == booktest.Postgres {
		// Proof that the kill lands inside the webhook's transaction: its
		// statement waits for the test's lock.
		if err := fake.Wait(waitCtx, func() bool {
			n, err := db.NewSelect().TableExpr("pg_stat_activity").
				Where("wait_event_type = 'Lock' AND query LIKE '%stripe_events%' AND pid <> pg_backend_pid()").Count(ctx)
			return err == nil && n > 0
		}); err != nil {
			t.Fatalf("the webhook never waited for the lock\n%s", first.out)
		}
	}
	first.kill(t)
	release()
	released = true

	g := groupState(t, db, res.Group.ID)
	if g != booking.GroupPendingPayment || count(t, db, "stripe_events", "") != 0 || count(t, db, "payment_entries", "") != 0 {
		t.Fatalf("after the kill: group %s, %d events, %d entries\n%s", g, count(t, db, "stripe_events", ""), count(t, db, "payment_entries", ""), first.out)
	}
	if fake.Delivered(evID) {
		t.Fatal("the killed server answered the webhook")
	}

	second := startBinary(t, bin, base, env)
	if err := fake.Wait(waitCtx, func() bool { return fake.Delivered(evID) }); err != nil {
		t.Fatalf("not redelivered: %+v\n%s", fake.Deliveries(), second.out)
	}
	// Once more, as Stripe may: nothing changes.
	n := len(fake.Deliveries())
	must(t, fake.Redeliver(evID))
	if err := fake.Wait(waitCtx, func() bool {
		ds := fake.Deliveries()
		return len(ds) > n && ds[len(ds)-1].Done
	}); err != nil {
		t.Fatal("second delivery")
	}
	if g := groupState(t, db, res.Group.ID); g != booking.GroupBooked {
		t.Errorf("group %s\n%s", g, second.out)
	}
	if strings.Contains(first.out.String(), "stripe webhook: applied") || strings.Count(second.out.String(), `"result":"confirmed"`) != 1 {
		t.Errorf("applied by the killed process, or not once by the restarted one")
	}
	for what, want := range map[[2]string]int{
		{"stripe_events", ""}:                            1,
		{"payment_entries", "kind = 'charge'"}:           1,
		{"payment_entries", "kind = 'refund'"}:           0,
		{"outbox", "kind = '" + booking.SMSBooked + "'"}: 1,
	} {
		if got := count(t, db, what[0], what[1]); got != want {
			t.Errorf("%s %s: %d rows, want %d", what[0], what[1], got, want)
		}
	}
	if t.Failed() {
		t.Logf("first process:\n%s\nsecond process:\n%s", first.out, second.out)
	}
}

func groupState(t *testing.T, db *bun.DB, id int64) booking.GroupState {
	t.Helper()
	var g booking.Group
	must(t, db.NewSelect().Model(&g).Where("id = ?", id).Scan(context.Background()))
	return g.State
}

func count(t *testing.T, db *bun.DB, table, where string) int {
	t.Helper()
	q := db.NewSelect().TableExpr(table)
	if where != "" {
		q = q.Where(where)
	}
	n, err := q.Count(context.Background())
	if err != nil {
		t.Fatal(fmt.Errorf("count %s: %w", table, err))
	}
	return int(n)
}
