package payments_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/payments"
	"groupbook/payments/fakestripe"
)

// payEnv is a fixture with an online-payment link, a fake Stripe on the
// store's clock and the real client on it.
type payEnv struct {
	f    *booktest.Fixture
	db   *bun.DB
	fake *fakestripe.Server
	pay  *payments.Stripe
	link *booking.Link
}

func newPayEnv(t *testing.T, db *bun.DB) *payEnv {
	t.Helper()
	f := booktest.Seed(t, db)
	fake := fakestripe.New(fakestripe.Options{Now: f.Store.Now, SlowDelay: time.Second})
	t.Cleanup(fake.Close)
	link := *f.Link
	link.PaymentMode = booking.PayOnline
	if err := f.Store.SaveLink(context.Background(), &link); err != nil {
		t.Fatal(err)
	}
	return &payEnv{f: f, db: db, fake: fake, link: &link,
		pay: payments.NewStripe(payments.Config{SecretKey: fake.SecretKey(), APIURL: fake.URL()})}
}

// worker returns a worker with backoff short enough that a retry is due
// at once on the store's fixed clock.
func (e *payEnv) worker() *payments.Worker {
	return &payments.Worker{Store: e.f.Store, Provider: e.pay, BackoffBase: time.Nanosecond, BackoffMax: time.Nanosecond, CallTimeout: 500 * time.Millisecond, Lease: 5 * time.Second}
}

// hold books seats held for an online payment and opens their Checkout
// Session at the fake, as the widget does.
func (e *payEnv) hold(t *testing.T, client, seats int) (*booking.Reservation, *booking.Checkout, *payments.Session) {
	t.Helper()
	ev := e.f.YogaEvents(t, 1, 10)[0]
	res, co, s, err := fakestripe.HoldOne(context.Background(), e.f.Store, e.pay, e.link, booktest.Client(client), "hold-"+strconv.Itoa(client), ev.ID, seats, "https://book.example.com")
	if err != nil {
		t.Fatal(err)
	}
	return res, co, s
}

// checkout opens a (new) Checkout Session for a held group.
func (e *payEnv) checkout(t *testing.T, token string) (*booking.Checkout, *payments.Session) {
	t.Helper()
	co, s, err := fakestripe.OpenCheckout(context.Background(), e.f.Store, e.pay, token, "https://book.example.com")
	if err != nil {
		t.Fatal(err)
	}
	return co, s
}

// paid holds, pays at the fake and applies the webhook event.
func (e *payEnv) paid(t *testing.T, client, seats int) *booking.Reservation {
	t.Helper()
	res, _, s := e.hold(t, client, seats)
	ev, err := e.fake.Pay(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	se, err := payments.ParseWebhook(ev.Payload, e.fake.Sign(ev.Payload), e.fake.WebhookSecret(), e.f.Now)
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.f.Store.ApplyStripeEvent(context.Background(), *se)
	if err != nil || out.Result != booking.StripeConfirmed {
		t.Fatalf("apply: %+v %v", out, err)
	}
	return res
}

func (e *payEnv) runAll(t *testing.T, w *payments.Worker, times int) {
	t.Helper()
	for range times {
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

func (e *payEnv) entry(t *testing.T, id int64) booking.PaymentEntry {
	t.Helper()
	var p booking.PaymentEntry
	if err := e.db.NewSelect().Model(&p).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *payEnv) job(t *testing.T, kind string, ref int64) booking.Job {
	t.Helper()
	var j booking.Job
	if err := e.db.NewSelect().Model(&j).Where("kind = ? AND ref_id = ?", kind, ref).OrderExpr("id DESC").Limit(1).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return j
}

func (e *payEnv) seatsTaken(t *testing.T, eventID int64) int {
	t.Helper()
	var ev booking.Event
	if err := e.db.NewSelect().Model(&ev).Where("id = ?", eventID).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ev.SeatsTaken
}

// TestWorkerHoldExpires: when the hold runs out, workers racing for the
// job release the seats once, and the session is then expired at Stripe.
func TestWorkerHoldExpires(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newPayEnv(t, db)
		ctx := context.Background()
		res, co, s := e.hold(t, 1, 3)
		evID := res.Bookings[0].EventID
		if n := e.seatsTaken(t, evID); n != 3 {
			t.Fatalf("held seats %d", n)
		}
		e.runAll(t, e.worker(), 1) // not due yet
		if g := res.Group; g.State != booking.GroupPendingPayment {
			t.Fatalf("group %+v", g)
		}
		e.f.Now = e.f.Now.Add(time.Duration(e.f.Location.PaymentHoldMin+1) * time.Minute)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if _, err := e.worker().RunOnce(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := e.seatsTaken(t, evID); n != 0 {
			t.Errorf("seats after expiry %d", n)
		}
		if j := e.job(t, booking.JobHoldExpire, res.Group.ID); j.Status != booking.JobDone {
			t.Errorf("hold job %+v", j)
		}
		e.runAll(t, e.worker(), 2)
		if cs, _ := e.fake.Session(s.ID); cs.Status != "expired" {
			t.Errorf("session at Stripe: %s", cs.Status)
		}
		if p, err := e.f.Store.OnlinePaymentByID(ctx, co.Payment.ID); err != nil || p.Status != booking.OnlineExpired {
			t.Errorf("payment %+v %v", p, err)
		}
		if j := e.job(t, booking.JobCheckoutExpire, co.Payment.ID); j.Status != booking.JobDone {
			t.Errorf("expire job %+v", j)
		}
	})
}

// TestWorkerCheckoutOpenedTwice: the first session of a client who opened
// Checkout twice is expired at Stripe; Stripe down at first only delays it.
func TestWorkerCheckoutOpenedTwice(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newPayEnv(t, db)
		res, _, first := e.hold(t, 1, 1)
		_, second := e.checkout(t, res.Group.Token)
		e.fake.Fail("/v1/checkout/sessions/"+first.ID+"/expire", 1, fakestripe.Fault500)
		e.runAll(t, e.worker(), 3)
		if cs, _ := e.fake.Session(first.ID); cs.Status != "expired" {
			t.Errorf("first session %s", cs.Status)
		}
		if cs, _ := e.fake.Session(second.ID); cs.Status != "open" {
			t.Errorf("second session %s", cs.Status)
		}
	})
}

// TestWorkerRefundRetries: 429 and 5xx answers are retried with the same
// idempotency key until Stripe refunds, once.
func TestWorkerRefundRetries(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newPayEnv(t, db)
		ctx := context.Background()
		res := e.paid(t, 1, 2)
		entry, err := e.f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: e.f.Location.ID, BookingID: res.Bookings[0].ID, AmountMinor: 350000})
		if err != nil {
			t.Fatal(err)
		}
		e.fake.Fail("/v1/refunds", 1, fakestripe.Fault429)
		e.fake.Fail("/v1/refunds", 1, fakestripe.Fault500)
		e.fake.Fail("/v1/refunds", 1, fakestripe.Fault502HTML)
		w := e.worker()
		e.runAll(t, w, 3)
		if got := e.entry(t, entry.ID); got.Status != booking.EntryPending {
			t.Fatalf("after three failures: %+v", got)
		}
		if j := e.job(t, booking.JobRefund, entry.ID); j.Status != booking.JobPending || j.Attempts != 3 || j.LastError == "" {
			t.Errorf("job %+v", j)
		}
		e.runAll(t, w, 1)
		got := e.entry(t, entry.ID)
		rs := e.fake.Refunds()
		if got.Status != booking.EntrySucceeded || len(rs) != 1 || got.StripeID != rs[0].ID || rs[0].Amount != 350000 {
			t.Errorf("entry %+v, refunds %+v", got, rs)
		}
		keys := map[string]bool{}
		for _, r := range e.fake.Requests() {
			if r.Path == "/v1/refunds" {
				keys[r.IdempotencyKey] = true
			}
		}
		if len(keys) != 1 || !keys["groupbook-refund-"+strconv.FormatInt(entry.ID, 10)] {
			t.Errorf("idempotency keys %v", keys)
		}
	})
}

// TestWorkerRefundFails: a refund that keeps failing, or that Stripe
// refuses, is marked failed for staff; their retry sends it.
func TestWorkerRefundFails(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newPayEnv(t, db)
		ctx := context.Background()
		res := e.paid(t, 1, 2)
		w := e.worker()
		w.MaxAttempts = 2
		entry, err := e.f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: e.f.Location.ID, BookingID: res.Bookings[0].ID, AmountMinor: 100000})
		if err != nil {
			t.Fatal(err)
		}
		e.fake.Fail("/v1/refunds", 5, fakestripe.Fault500)
		e.runAll(t, w, 3)
		if got := e.entry(t, entry.ID); got.Status != booking.EntryFailed || got.LastError == "" {
			t.Errorf("out of attempts: %+v", got)
		}
		if j := e.job(t, booking.JobRefund, entry.ID); j.Status != booking.JobFailed {
			t.Errorf("job %+v", j)
		}

		refused, err := e.f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: e.f.Location.ID, BookingID: res.Bookings[0].ID, AmountMinor: 50000})
		if err != nil {
			t.Fatal(err)
		}
		e.fake.ClearFaults()
		e.fake.Fail("/v1/refunds", 100, fakestripe.FaultInvalid)
		e.runAll(t, e.worker(), 1)
		if got := e.entry(t, refused.ID); got.Status != booking.EntryFailed {
			t.Errorf("refused: %+v", got)
		}
		e.fake.ClearFaults()
		if err := e.f.Store.RetryRefund(ctx, e.f.Location.ID, entry.ID); err != nil {
			t.Fatal(err)
		}
		e.runAll(t, e.worker(), 2)
		if got := e.entry(t, entry.ID); got.Status != booking.EntrySucceeded || got.StripeID == "" {
			t.Errorf("retried: %+v", got)
		}
		if rs := e.fake.Refunds(); len(rs) != 1 || rs[0].Amount != 100000 {
			t.Errorf("refunds %+v", rs)
		}
	})
}

// TestWorkerRefundCrash: a worker killed between Stripe refunding and the
// refund being recorded (and one whose call timed out after Stripe acted)
// leaves the job to the next worker, whose retry with the same key
// records the one refund Stripe made.
func TestWorkerRefundCrash(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newPayEnv(t, db)
		ctx := context.Background()
		res := e.paid(t, 1, 2)
		entry, err := e.f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: e.f.Location.ID, BookingID: res.Bookings[0].ID, AmountMinor: 350000})
		if err != nil {
			t.Fatal(err)
		}
		// The dead worker: it claimed the job and Stripe refunded, then
		// nothing more (kill -9).
		jobs, err := e.f.Store.ClaimJobs(ctx, "dead-worker", 10, time.Minute)
		if err != nil || len(jobs) != 1 {
			t.Fatalf("claimed %d, %v", len(jobs), err)
		}
		r, err := e.f.Store.RefundToSendByID(ctx, entry.ID)
		if err != nil {
			t.Fatal(err)
		}
		first, err := e.pay.Refund(ctx, payments.RefundRequest{IdempotencyKey: r.IdempotencyKey, PaymentIntent: r.PaymentIntent, Amount: r.Entry.AmountMinor})
		if err != nil {
			t.Fatal(err)
		}
		// While its lease lasts nobody else takes the job.
		e.runAll(t, e.worker(), 1)
		if got := e.entry(t, entry.ID); got.Status != booking.EntryPending {
			t.Fatalf("taken during the lease: %+v", got)
		}
		e.f.Now = e.f.Now.Add(2 * time.Minute)
		e.runAll(t, e.worker(), 1)
		got := e.entry(t, entry.ID)
		if got.Status != booking.EntrySucceeded || got.StripeID != first || len(e.fake.Refunds()) != 1 {
			t.Errorf("entry %+v (Stripe's refund %s), refunds %+v", got, first, e.fake.Refunds())
		}

		// The answer lost on the way back: the call times out after
		// Stripe refunded; the retry records that refund.
		second, err := e.f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: e.f.Location.ID, BookingID: res.Bookings[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		e.fake.Fail("/v1/refunds", 1, fakestripe.FaultSlow)
		w := e.worker()
		w.CallTimeout = 200 * time.Millisecond
		e.runAll(t, w, 2)
		if got := e.entry(t, second.ID); got.Status != booking.EntrySucceeded || len(e.fake.Refunds()) != 2 {
			t.Errorf("after a lost answer: %+v, refunds %+v", got, e.fake.Refunds())
		}
	})
}

// TestWorkerRun: the background loop sends a refund queued while it runs
// and returns once its context ends; a lease shorter than two calls is
// refused at start.
func TestWorkerRun(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newPayEnv(t, db)
		res := e.paid(t, 1, 1)
		w := e.worker()
		w.Poll = 10 * time.Millisecond
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		entry, err := e.f.Store.RefundBooking(context.Background(), booking.StaffRefund{LocationID: e.f.Location.ID, BookingID: res.Bookings[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		wait, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		// Polled (the fake wakes the wait on each request, else every
		// 50 ms) until the refund is recorded.
		if err := e.fake.Wait(wait, func() bool { return e.entry(t, entry.ID).Status == booking.EntrySucceeded }); err != nil {
			t.Fatalf("refund not recorded: %+v, at Stripe %+v", e.entry(t, entry.ID), e.fake.Refunds())
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if rs := e.fake.Refunds(); len(rs) != 1 {
			t.Errorf("refunds %+v", rs)
		}
	})
	bad := &payments.Worker{Store: booking.NewStore(nil), CallTimeout: time.Minute, Lease: time.Minute}
	if err := bad.Run(context.Background()); err == nil {
		t.Error("a lease shorter than two calls was accepted")
	}
}
