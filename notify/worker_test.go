package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/locales"
	"groupbook/notify"
)

const (
	testCallTimeout = 200 * time.Millisecond
	testCallback    = "https://book.example.com/hooks/twilio/status"
)

// workerEnv is a studio with SMS on, a fake Twilio and the real client.
type workerEnv struct {
	f      *booktest.Fixture
	db     *bun.DB
	fake   *fakeTwilio
	bundle *locales.Bundle
}

func newWorkerEnv(t *testing.T, db *bun.DB, st booking.SMSSettings) *workerEnv {
	t.Helper()
	e := &workerEnv{f: booktest.Seed(t, db), db: db, fake: newFakeTwilio(t), bundle: strictBundle(t)}
	e.fake.slow = 3 * testCallTimeout
	st.LocationID, st.Enabled = e.f.Location.ID, true
	if err := e.f.Store.SaveSMSSettings(context.Background(), &st); err != nil {
		t.Fatal(err)
	}
	return e
}

// worker returns a worker sending through the real twilio-go client to
// the fake, with timeouts and backoff short enough for a test.
func (e *workerEnv) worker(t *testing.T, owner string) *notify.Worker {
	t.Helper()
	cfg := twilioConfig()
	cfg.Timeout = testCallTimeout
	s, err := notify.NewTwilioSender(cfg, notify.WithEndpoint(e.fake.URL()))
	if err != nil {
		t.Fatal(err)
	}
	return &notify.Worker{
		Store: e.f.Store, Sender: s, Locales: e.bundle, BaseURL: "https://book.example.com",
		StatusCallbackURL: testCallback, Owner: owner,
		Batch: 10, Lease: 5 * time.Second, Poll: 10 * time.Millisecond, CallTimeout: testCallTimeout,
		BackoffBase: 5 * time.Millisecond, BackoffMax: 40 * time.Millisecond,
	}
}

// book reserves one seat in each event for client n.
func (e *workerEnv) book(t *testing.T, n int, lang string, evs ...*booking.Event) *booking.Reservation {
	t.Helper()
	res, err := e.tryBook(n, lang, evs...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// tryBook is book for goroutines, which must not call t.Fatal.
func (e *workerEnv) tryBook(n int, lang string, evs ...*booking.Event) (*booking.Reservation, error) {
	ids := make([]int64, len(evs))
	for i, ev := range evs {
		ids[i] = ev.ID
	}
	res, err := e.f.Store.Reserve(context.Background(), booking.ReserveRequest{
		LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: ids, Seats: 1,
		Client: booktest.Client(n), Lang: lang,
	})
	if err != nil {
		return nil, fmt.Errorf("book client %d: %w", n, err)
	}
	return res, nil
}

func (e *workerEnv) outbox(t *testing.T) []booking.OutboxMessage {
	t.Helper()
	var out []booking.OutboxMessage
	if err := e.db.NewSelect().Model(&out).Order("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *workerEnv) pending(t *testing.T) int {
	t.Helper()
	n, err := e.db.NewSelect().Model((*booking.OutboxMessage)(nil)).Where("status = ?", booking.OutboxPending).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// drain runs w until nothing is pending, moving the fixture's clock past
// each backoff, at most rounds times.
func (e *workerEnv) drain(t *testing.T, w *notify.Worker, rounds int) {
	t.Helper()
	for range rounds {
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if e.pending(t) == 0 {
			return
		}
		e.f.Now = e.f.Now.Add(time.Second)
	}
	t.Fatalf("%d messages still pending after %d rounds", e.pending(t), rounds)
}

// realClock runs from the fixture's date at the speed of real time, so
// workers in goroutines see their backoffs expire without anyone moving a
// clock they read concurrently.
func realClock(f *booktest.Fixture) func() time.Time {
	base, start := f.Now, time.Now()
	return func() time.Time { return base.Add(time.Since(start)) }
}

// TestWorkerSendsAndRecords: a message goes out in the client's language
// with the location's sender and the status callback, and its sid is
// stored; an invalid number fails at once, with the reason.
func TestWorkerSendsAndRecords(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWorkerEnv(t, db, booking.SMSSettings{Sender: "SUNRISE"})
		evs := e.f.YogaEvents(t, 2, 10)
		res := e.book(t, 1, "hu", evs[0], evs[1])
		e.book(t, 2, "en", evs[0])
		bad := booktest.Client(2).Phone
		e.fake.decide = func(to string) action {
			if to == bad {
				return invalidTo
			}
			return accept
		}
		n, err := e.worker(t, "w1").RunOnce(context.Background())
		if err != nil || n != 2 {
			t.Fatalf("RunOnce = %d, %v", n, err)
		}
		sent := e.fake.Messages()
		if len(sent) != 1 {
			t.Fatalf("fake took %d messages", len(sent))
		}
		m := sent[0]
		wantBody := "Sunrise Yoga: foglalását rögzítettük: Yoga, márc. 3., K 19:00, és még 1 időpont. Foglalás kezelése: https://book.example.com/m/" + res.Group.Token
		if m.To != booktest.Client(1).Phone || m.Body != wantBody || m.From != "SUNRISE" || m.StatusCallback != testCallback {
			t.Errorf("message %+v\nwant body %q", m, wantBody)
		}
		rows := e.outbox(t)
		if r := rows[0]; r.Status != booking.OutboxSent || r.ProviderSID != m.SID || r.Attempts != 1 || r.SentAt == nil || r.LeaseOwner != "" {
			t.Errorf("sent row %+v", r)
		}
		if r := rows[1]; r.Status != booking.OutboxFailed || r.Attempts != 1 || !strings.Contains(r.LastError, "21211") {
			t.Errorf("failed row %+v", r)
		}
		// Nothing left to do, and the failed one is not tried again.
		e.f.Now = e.f.Now.Add(time.Hour)
		if n, _ := e.worker(t, "w1").RunOnce(context.Background()); n != 0 || len(e.fake.Requests()) != 2 {
			t.Errorf("second run claimed %d, fake saw %d requests", n, len(e.fake.Requests()))
		}
	})
}

// TestWorkerRetriesThenGivesUp: a passing failure is retried after a
// backoff within the exponential ceiling, and after MaxAttempts the
// message is marked failed.
func TestWorkerRetriesThenGivesUp(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWorkerEnv(t, db, booking.SMSSettings{})
		e.book(t, 1, "en", e.f.YogaEvents(t, 1, 10)...)
		e.fake.decide = func(string) action { return rateLimit }
		w := e.worker(t, "w1")
		w.BackoffBase, w.BackoffMax, w.MaxAttempts = time.Minute, 10*time.Minute, 4
		ctx := context.Background()
		for attempt := 1; attempt <= 3; attempt++ {
			before := e.f.Now
			if _, err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			r := e.outbox(t)[0]
			ceiling := min(time.Minute<<(attempt-1), 10*time.Minute)
			if r.Status != booking.OutboxPending || r.Attempts != attempt || !strings.Contains(r.LastError, "20429") ||
				r.NextAttemptAt.Before(before) || !r.NextAttemptAt.Before(before.Add(ceiling)) {
				t.Fatalf("after attempt %d: %+v (ceiling %v)", attempt, r, ceiling)
			}
			// Not due before its time.
			if n, _ := w.RunOnce(ctx); n != 0 && r.NextAttemptAt.After(e.f.Now) {
				t.Fatalf("claimed before its next attempt")
			}
			e.f.Now = r.NextAttemptAt
		}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		r := e.outbox(t)[0]
		if r.Status != booking.OutboxFailed || r.Attempts != 4 || !strings.HasPrefix(r.LastError, "gave up after 4 attempts") {
			t.Errorf("after MaxAttempts: %+v", r)
		}
	})
}

// TestWorkerSkipsStaleReminders: a reminder whose booking is no longer
// active, or whose event has begun, is skipped; a due one is sent; and
// nothing goes out for a location that turned SMS off.
func TestWorkerSkipsStaleReminders(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWorkerEnv(t, db, booking.SMSSettings{ReminderHours: 24})
		evs := e.f.YogaEvents(t, 2, 10) // Tue and Wed 18:00 UTC
		e.book(t, 1, "en", evs[1])
		gone := e.book(t, 2, "en", evs[1])
		e.book(t, 3, "en", evs[0])
		w := e.worker(t, "w1")
		if n, err := w.RunOnce(ctx); n != 3 || err != nil { // the "booked" messages
			t.Fatalf("RunOnce = %d, %v", n, err)
		}
		// A path that cancels without skipping its reminder (the core
		// skips them itself; the worker checks again at send time).
		if _, err := db.NewUpdate().Table("bookings").Set("status = ?", booking.StatusCancelled).
			Where("id = ?", gone.Bookings[0].ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		// Tuesday 18:30: Wednesday's reminders are due, Tuesday's event
		// has begun.
		e.f.Now = evs[0].StartsAt.Add(30 * time.Minute)
		if n, err := w.RunOnce(ctx); n != 3 || err != nil {
			t.Fatalf("RunOnce = %d, %v", n, err)
		}
		reasons := map[string]string{}
		for _, r := range e.outbox(t) {
			if r.Kind == booking.SMSReminder {
				reasons[r.Phone] = r.Status + " " + r.LastError
			}
		}
		want := map[string]string{
			booktest.Client(1).Phone: "sent ",
			booktest.Client(2).Phone: "skipped booking no longer active",
			booktest.Client(3).Phone: "skipped event already started",
		}
		if fmt.Sprint(reasons) != fmt.Sprint(want) {
			t.Errorf("reminders %v, want %v", reasons, want)
		}
		last := e.fake.Messages()[len(e.fake.Messages())-1]
		if !strings.HasPrefix(last.Body, "Sunrise Yoga: a reminder of your Yoga on Wed 4 Mar at 19:00.") {
			t.Errorf("reminder text %q", last.Body)
		}

		// SMS off: queued messages are dropped, not sent.
		if err := e.f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: e.f.Location.ID, Enabled: true}); err != nil {
			t.Fatal(err)
		}
		e.book(t, 4, "en", evs[1])
		if err := e.f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: e.f.Location.ID, Enabled: false}); err != nil {
			t.Fatal(err)
		}
		n := len(e.fake.Messages())
		e.drain(t, w, 1)
		rows := e.outbox(t)
		if r := rows[len(rows)-1]; r.Status != booking.OutboxSkipped || len(e.fake.Messages()) != n {
			t.Errorf("with SMS off: %+v", r)
		}
	})
}

// TestWorkerChaos: the fake fails about a third of the requests (429,
// 500, an HTML 503, answers slower than the call timeout) while 200
// clients book and two workers run. In the end every message is sent,
// each phone got its message once, and the only duplicates are messages
// the fake took but answered too late; the invalid numbers failed after
// one attempt.
func TestWorkerChaos(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWorkerEnv(t, db, booking.SMSSettings{ReminderHours: 0})
		evs := e.f.YogaEvents(t, 4, 100)
		e.f.Store.Now = realClock(e.f)
		const clients = 200
		invalid := map[string]bool{}
		for i := 0; i < clients; i += 40 {
			invalid[booktest.Client(1000+i+7).Phone] = true
		}
		var mu sync.Mutex
		rng := rand.New(rand.NewPCG(1, 2))
		e.fake.decide = func(to string) action {
			if invalid[to] {
				return invalidTo
			}
			mu.Lock()
			defer mu.Unlock()
			// a third: 429, 500, HTML 503, slow; the rest accepted.
			if a := rng.IntN(12); a < 4 {
				return []action{rateLimit, serverErr, badGateway, slowAccept}[a]
			}
			return accept
		}

		wctx, stop := context.WithCancel(ctx)
		var workers sync.WaitGroup
		for _, owner := range []string{"worker-a", "worker-b"} {
			w := e.worker(t, owner)
			workers.Go(func() {
				if err := w.Run(wctx); err != nil {
					t.Error(err)
				}
			})
		}
		start := time.Now()
		var reservers sync.WaitGroup
		for g := range 8 {
			reservers.Go(func() {
				for i := g; i < clients; i += 8 {
					chosen := []*booking.Event{evs[i%4]}
					if i%5 == 0 {
						chosen = append(chosen, evs[(i+1)%4])
					}
					if _, err := e.tryBook(1000+i, []string{"en", "hu", "pt", "ru", "uk"}[i%5], chosen...); err != nil {
						t.Error(err)
					}
				}
			})
		}
		reservers.Wait()
		booked := time.Since(start)
		for deadline := time.Now().Add(60 * time.Second); e.pending(t) > 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d messages still pending after 60 s", e.pending(t))
			}
		}
		stop()
		workers.Wait()
		t.Logf("%d bookings in %v, all messages settled after %v", clients, booked.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

		rows := e.outbox(t)
		if len(rows) != clients {
			t.Fatalf("%d messages for %d bookings", len(rows), clients)
		}
		taken := map[string][]fakeMessage{}
		for _, m := range e.fake.Messages() {
			taken[m.To] = append(taken[m.To], m)
		}
		requests := map[string]int{}
		for _, r := range e.fake.Requests() {
			requests[r.Form["To"]]++
		}
		duplicates, late := 0, 0
		for _, r := range rows {
			if invalid[r.Phone] {
				if r.Status != booking.OutboxFailed || r.Attempts != 1 || !strings.Contains(r.LastError, "21211") || requests[r.Phone] != 1 {
					t.Errorf("invalid number %s: %+v, %d requests", r.Phone, r, requests[r.Phone])
				}
				continue
			}
			if r.Status != booking.OutboxSent {
				t.Errorf("message %d: %s after %d attempts: %s", r.ID, r.Status, r.Attempts, r.LastError)
				continue
			}
			var onTime []fakeMessage
			for _, m := range taken[r.Phone] {
				if m.Late {
					late++
				} else {
					onTime = append(onTime, m)
				}
			}
			// Exactly one answer reached a worker, and that is the sid
			// stored; every other copy the phone got was answered late.
			if len(onTime) != 1 || onTime[0].SID != r.ProviderSID {
				t.Errorf("%s: %d messages answered in time %+v, stored sid %s", r.Phone, len(onTime), onTime, r.ProviderSID)
			}
			duplicates += len(taken[r.Phone]) - 1
		}
		acts := e.fake.Actions()
		t.Logf("fake: %d accepted, %d 429, %d 500, %d HTML 503, %d slow (taken, answered late), %d invalid; %d duplicates",
			acts[accept], acts[rateLimit], acts[serverErr], acts[badGateway], acts[slowAccept], acts[invalidTo], duplicates)
		if duplicates != late {
			t.Errorf("%d duplicates, but only %d late answers", duplicates, late)
		}
		if acts[rateLimit] == 0 || acts[serverErr] == 0 || acts[badGateway] == 0 || acts[slowAccept] == 0 {
			t.Errorf("the chaos did not happen: %v", acts)
		}
	})
}

// TestWorkerRestartAfterCrash: a worker claims a batch and dies before
// sending; once its lease runs out a new worker sends every message, once.
func TestWorkerRestartAfterCrash(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWorkerEnv(t, db, booking.SMSSettings{ReminderHours: 0})
		evs := e.f.YogaEvents(t, 1, 50)
		for i := range 20 {
			e.book(t, 100+i, "en", evs[0])
		}
		// Worker A: what a killed process leaves behind is its claim.
		const lease = time.Minute
		claimed, err := e.f.Store.ClaimDue(ctx, "worker-a", 50, lease)
		if err != nil || len(claimed) != 20 {
			t.Fatalf("A claimed %d, %v", len(claimed), err)
		}
		b := e.worker(t, "worker-b")
		if n, _ := b.RunOnce(ctx); n != 0 || len(e.fake.Requests()) != 0 {
			t.Fatalf("B took %d messages still leased to A", n)
		}
		e.f.Now = e.f.Now.Add(lease + time.Second)
		e.drain(t, b, 5)
		perPhone := map[string]int{}
		for _, m := range e.fake.Messages() {
			perPhone[m.To]++
		}
		for _, r := range e.outbox(t) {
			if r.Status != booking.OutboxSent || r.Attempts != 2 || perPhone[r.Phone] != 1 {
				t.Errorf("message %d: %s, attempts %d, sent %d times", r.ID, r.Status, r.Attempts, perPhone[r.Phone])
			}
		}
		// A, back from the dead, cannot overwrite what B recorded.
		if err := e.f.Store.MarkFailed(ctx, &claimed[0], "worker-a", "late"); err != nil {
			t.Fatal(err)
		}
		if r := e.outbox(t)[0]; r.Status != booking.OutboxSent {
			t.Errorf("stale worker changed a sent message: %+v", r)
		}
	})
}

// TestWorkerStopsCleanly: a worker stopped while idle returns, and one
// stopped before it could send leaves its messages free for others at
// once rather than after the lease.
func TestWorkerStopsCleanly(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWorkerEnv(t, db, booking.SMSSettings{})
		e.book(t, 1, "en", e.f.YogaEvents(t, 1, 10)...)
		ctx, cancel := context.WithCancel(context.Background())
		w := e.worker(t, "w1")
		w.Sender = senderFunc(func(ctx context.Context, m notify.Message) (string, error) {
			cancel() // the shutdown comes while the batch is being prepared
			return "", ctx.Err()
		})
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		r := e.outbox(t)[0]
		if r.Status != booking.OutboxPending || r.LeaseOwner != "" || r.NextAttemptAt.After(e.f.Now) {
			t.Errorf("after a stop before sending: %+v", r)
		}
		done := make(chan error)
		go func() { done <- e.worker(t, "w2").Run(ctx) }()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after its context ended")
		}
	})
}

type senderFunc func(context.Context, notify.Message) (string, error)

func (f senderFunc) Send(ctx context.Context, m notify.Message) (string, error) { return f(ctx, m) }

// TestTwoWorkersNeverSendTwice: two workers on one database (on
// PostgreSQL, their claims race through SKIP LOCKED) send 120 messages
// with no duplicate.
func TestTwoWorkersNeverSendTwice(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWorkerEnv(t, db, booking.SMSSettings{ReminderHours: 0})
		evs := e.f.YogaEvents(t, 2, 100)
		const clients = 120
		for i := range clients {
			e.book(t, 2000+i, "en", evs[i%2])
		}
		e.f.Store.Now = realClock(e.f)
		var mu sync.Mutex
		rng := rand.New(rand.NewPCG(3, 4))
		e.fake.decide = func(string) action {
			// A little latency, so the workers' batches overlap in time.
			mu.Lock()
			d := time.Duration(rng.IntN(15)) * time.Millisecond
			mu.Unlock()
			time.Sleep(d)
			return accept
		}
		bySender := map[string]int{}
		wctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		for _, owner := range []string{"worker-a", "worker-b"} {
			w := e.worker(t, owner)
			w.Batch = 7
			inner := w.Sender
			w.Sender = senderFunc(func(ctx context.Context, m notify.Message) (string, error) {
				mu.Lock()
				bySender[owner]++
				mu.Unlock()
				return inner.Send(ctx, m)
			})
			wg.Go(func() { w.Run(wctx) })
		}
		for deadline := time.Now().Add(30 * time.Second); e.pending(t) > 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d still pending", e.pending(t))
			}
		}
		stop()
		wg.Wait()
		perPhone := map[string]int{}
		for _, m := range e.fake.Messages() {
			perPhone[m.To]++
		}
		if len(perPhone) != clients {
			t.Errorf("%d phones got a message, want %d", len(perPhone), clients)
		}
		for phone, n := range perPhone {
			if n != 1 {
				t.Errorf("%s got %d messages", phone, n)
			}
		}
		t.Logf("sent by worker: %v", bySender)
	})
}

// TestDevSender logs each message and makes up distinct sids.
func TestDevSender(t *testing.T) {
	var buf bytes.Buffer
	d := &notify.DevSender{Log: slog.New(slog.NewJSONHandler(&buf, nil))}
	a, err := d.Send(context.Background(), notify.Message{To: "+36201234567", Body: "Sunrise Yoga: hello"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d.Send(context.Background(), notify.Message{To: "+36201234568", Body: "again"})
	if a != "dev-1" || b != "dev-2" {
		t.Errorf("sids %q %q", a, b)
	}
	if log := buf.String(); !strings.Contains(log, `"msg":"development SMS"`) || !strings.Contains(log, `"body":"Sunrise Yoga: hello"`) ||
		!strings.Contains(log, `"level":"INFO"`) {
		t.Errorf("log %s", log)
	}
}

// TestWorkerRefusesShortLease: a lease under twice the call timeout could
// let a slow call outlive it.
func TestWorkerRefusesShortLease(t *testing.T) {
	b := strictBundle(t)
	w := &notify.Worker{Store: booking.NewStore(nil), Sender: &notify.DevSender{}, Locales: b, CallTimeout: time.Second, Lease: 1500 * time.Millisecond}
	if _, err := w.RunOnce(context.Background()); err == nil || !strings.Contains(err.Error(), "lease") {
		t.Errorf("RunOnce with a short lease: %v", err)
	}
	if owner := notify.DefaultOwner(); owner == notify.DefaultOwner() || !strings.Contains(owner, "-") {
		t.Errorf("owners not unique: %q", owner)
	}
}
