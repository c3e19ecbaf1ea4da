package handlers

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/payments"
	"groupbook/payments/fakestripe"
)

const stripePath = "/hooks/stripe"

// stripeEnv is a fixture, a fake Stripe on the store's clock, the real
// stripe-go client on it, and the router with the webhook route.
type stripeEnv struct {
	f      *booktest.Fixture
	db     *bun.DB
	fake   *fakestripe.Server
	pay    *payments.Stripe
	router http.Handler
	logs   *bytes.Buffer
	link   *booking.Link
}

func newStripeEnv(t *testing.T, db *bun.DB) *stripeEnv {
	t.Helper()
	f := booktest.Seed(t, db)
	fake := fakestripe.New(fakestripe.Options{Now: f.Store.Now})
	t.Cleanup(fake.Close)
	pay := payments.NewStripe(payments.Config{SecretKey: fake.SecretKey(), APIURL: fake.URL()})
	r, logs := testRouter(t, Deps{Store: f.Store, BaseURL: hookBase, Payments: pay, StripeWebhookSecret: fake.WebhookSecret()})
	link := *f.Link
	link.PaymentMode = booking.PayOnline
	if err := f.Store.SaveLink(context.Background(), &link); err != nil {
		t.Fatal(err)
	}
	if err := f.Store.SaveSMSSettings(context.Background(), &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	return &stripeEnv{f: f, db: db, fake: fake, pay: pay, router: r, logs: logs, link: &link}
}

// hold books seats held for an online payment and opens their Checkout
// Session at the fake, as the widget does.
func (e *stripeEnv) hold(t *testing.T, client, seats int) (*booking.Reservation, *booking.Checkout, *payments.Session) {
	t.Helper()
	ev := e.f.YogaEvents(t, 1, 10)[0]
	res, co, s, err := fakestripe.HoldOne(context.Background(), e.f.Store, e.pay, e.link, booktest.Client(client), "hold-"+strconv.Itoa(client), ev.ID, seats, hookBase)
	if err != nil {
		t.Fatal(err)
	}
	return res, co, s
}

// checkout opens a (new) Checkout Session for a held group.
func (e *stripeEnv) checkout(t *testing.T, token string) (*booking.Checkout, *payments.Session) {
	t.Helper()
	co, s, err := fakestripe.OpenCheckout(context.Background(), e.f.Store, e.pay, token, hookBase)
	if err != nil {
		t.Fatal(err)
	}
	return co, s
}

// post delivers a payload with a header, as Stripe does (server to
// server: no Origin, no Sec-Fetch-Site).
func (e *stripeEnv) post(payload []byte, sig string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, stripePath, bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
	if sig != "" {
		req.Header.Set("Stripe-Signature", sig)
	}
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	return w
}

// deliver posts an event the fake made, signed now.
func (e *stripeEnv) deliver(t *testing.T, ev fakestripe.Event) int {
	t.Helper()
	return e.post(ev.Payload, e.fake.Sign(ev.Payload)).Code
}

// counts are the rows the webhook may write.
type stripeCounts struct{ events, entries, outbox, jobs int }

func (e *stripeEnv) counts(t *testing.T) stripeCounts {
	t.Helper()
	ctx := context.Background()
	n := func(table string) int {
		c, err := e.db.NewSelect().TableExpr(table).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(c)
	}
	return stripeCounts{n("stripe_events"), n("payment_entries"), n("outbox"), n("jobs")}
}

func (e *stripeEnv) group(t *testing.T, id int64) booking.Group {
	t.Helper()
	var g booking.Group
	if err := e.db.NewSelect().Model(&g).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestStripeWebhookSignature: unsigned, forged, tampered and stale
// deliveries get 400 and write nothing; so does a signed body that is
// not an event. Without a secret the route does not exist.
func TestStripeWebhookSignature(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newStripeEnv(t, db)
		payload := []byte(`{"id":"evt_1","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_test_1","object":"checkout.session","payment_status":"paid","amount_total":350000,"currency":"huf","metadata":{"groupbook_payment":"1"}}}}`)
		before := e.counts(t)
		sign := func(body []byte, secret string, at time.Time) string {
			return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at}).Header
		}
		now := e.f.Now
		for name, c := range map[string]struct {
			body []byte
			sig  string
		}{
			"unsigned":     {payload, ""},
			"garbage":      {payload, "t=1,v1=zz"},
			"other key":    {payload, sign(payload, "whsec_forged", now)},
			"tampered":     {bytes.Replace(payload, []byte("350000"), []byte("1"), 1), sign(payload, e.fake.WebhookSecret(), now)},
			"stale":        {payload, sign(payload, e.fake.WebhookSecret(), now.Add(-10*time.Minute))},
			"not an event": {[]byte("[1,2]"), sign([]byte("[1,2]"), e.fake.WebhookSecret(), now)},
		} {
			if w := e.post(c.body, c.sig); w.Code != http.StatusBadRequest {
				t.Errorf("%s: %d", name, w.Code)
			}
		}
		if after := e.counts(t); after != before {
			t.Errorf("refused deliveries wrote: %+v → %+v", before, after)
		}
		// Other types and foreign sessions: 200, nothing written.
		other := []byte(`{"id":"evt_2","object":"event","type":"charge.refunded","data":{"object":{"id":"ch_1","object":"charge"}}}`)
		if w := e.post(other, e.fake.Sign(other)); w.Code != http.StatusOK {
			t.Errorf("other type: %d", w.Code)
		}
		foreign := fakestripe.Session{ID: "cs_test_foreign", Status: "complete", PaymentStatus: "paid", Currency: "huf", AmountTotal: 350000, PaymentIntent: "pi_foreign"}
		fp := e.fake.EventPayload("evt_3", payments.EventCheckoutCompleted, foreign)
		if w := e.post(fp, e.fake.Sign(fp)); w.Code != http.StatusOK {
			t.Errorf("foreign session: %d", w.Code)
		}
		if after := e.counts(t); after != before {
			t.Errorf("ignored events wrote: %+v → %+v", before, after)
		}

		r, _ := testRouter(t, Deps{Store: e.f.Store, BaseURL: hookBase})
		req := httptest.NewRequest(http.MethodPost, stripePath, bytes.NewReader(payload))
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != http.StatusNotFound {
			t.Errorf("without Stripe: %d", w.Code)
		}
	})
}

// TestStripeWebhookConfirms: the client pays at the fake Checkout; the
// signed completed event books the group and queues the booked SMS; the
// same event again, and an expired event after it, change nothing more.
func TestStripeWebhookConfirms(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newStripeEnv(t, db)
		res, _, s := e.hold(t, 1, 2)
		if res.Group.State != booking.GroupPendingPayment {
			t.Fatalf("held group %+v", res.Group)
		}
		ev, err := e.fake.Pay(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if code := e.deliver(t, ev); code != http.StatusOK {
			t.Fatalf("completed: %d\n%s", code, e.logs)
		}
		if g := e.group(t, res.Group.ID); g.State != booking.GroupBooked {
			t.Fatalf("group %+v", g)
		}
		once := e.counts(t)
		if once.entries != 1 || once.events != 1 {
			t.Errorf("after one event: %+v", once)
		}
		var b booking.Booking
		if err := db.NewSelect().Model(&b).Where("group_id = ?", res.Group.ID).Limit(1).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		cs, _ := e.fake.Session(s.ID)
		if b.Payment != booking.PaymentOnline || b.PaidAmountMinor != 2*350000 || b.OnlinePaymentID == 0 {
			t.Errorf("booking %+v (session %+v)", b, cs)
		}
		var sms int64
		sms, err = db.NewSelect().TableExpr("outbox").Where("kind = ?", booking.SMSBooked).Count(context.Background())
		if err != nil || sms != 1 {
			t.Errorf("booked SMS: %d, %v", sms, err)
		}

		if code := e.deliver(t, ev); code != http.StatusOK {
			t.Errorf("redelivered: %d", code)
		}
		cs.Status = "expired"
		late := e.fake.EventPayload(e.fake.NewEventID(), payments.EventCheckoutExpired, cs)
		if w := e.post(late, e.fake.Sign(late)); w.Code != http.StatusOK {
			t.Errorf("expired after completed: %d", w.Code)
		}
		after := e.counts(t)
		if after.entries != once.entries || after.outbox != once.outbox || after.jobs != once.jobs {
			t.Errorf("the same event twice or out of order: %+v → %+v", once, after)
		}
		if g := e.group(t, res.Group.ID); g.State != booking.GroupBooked {
			t.Errorf("group after an expired event: %+v", g)
		}
	})
}

// TestStripeWebhookLatePayment: a payment for a group whose hold ran out
// is recorded, refunded through the job worker at the fake Stripe, and
// the client gets the refunded SMS.
func TestStripeWebhookLatePayment(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newStripeEnv(t, db)
		ctx := context.Background()
		res, co, s := e.hold(t, 1, 1)
		if released, err := e.f.Store.ExpireHold(ctx, res.Group.ID); err != nil || !released {
			t.Fatalf("expire: %v %v", released, err)
		}
		ev, err := e.fake.Pay(s.ID) // Stripe had not heard yet
		if err != nil {
			t.Fatal(err)
		}
		if code := e.deliver(t, ev); code != http.StatusOK {
			t.Fatalf("late: %d\n%s", code, e.logs)
		}
		if g := e.group(t, res.Group.ID); g.State != booking.GroupExpired {
			t.Errorf("group %+v", g)
		}
		p, err := e.f.Store.OnlinePaymentByID(ctx, co.Payment.ID)
		if err != nil || p.Status != booking.OnlineLate {
			t.Errorf("payment %+v %v", p, err)
		}
		n, _ := db.NewSelect().TableExpr("outbox").Where("kind = ?", booking.SMSRefunded).Count(ctx)
		if n != 1 {
			t.Errorf("%d refunded SMS", n)
		}
		w := &payments.Worker{Store: e.f.Store, Provider: e.pay, BackoffBase: time.Millisecond}
		for range 3 {
			if _, err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		cs, _ := e.fake.Session(s.ID)
		if rs := e.fake.Refunds(); len(rs) != 1 || rs[0].Amount != 350000 || rs[0].PaymentIntent != cs.PaymentIntent {
			t.Errorf("refunds at Stripe: %+v", rs)
		}
		var refund booking.PaymentEntry
		if err := db.NewSelect().Model(&refund).Where("kind = ?", booking.EntryRefund).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if refund.Status != booking.EntrySucceeded || refund.StripeID == "" {
			t.Errorf("refund %+v", refund)
		}
	})
}

// TestStripeWebhookMismatch: an amount that differs from the payment is
// recorded and flagged, and the group is not confirmed.
func TestStripeWebhookMismatch(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newStripeEnv(t, db)
		res, co, s := e.hold(t, 1, 1)
		if _, err := e.fake.Pay(s.ID); err != nil {
			t.Fatal(err)
		}
		cs, _ := e.fake.Session(s.ID)
		cs.AmountTotal = 100
		body := e.fake.EventPayload(e.fake.NewEventID(), payments.EventCheckoutCompleted, cs)
		if w := e.post(body, e.fake.Sign(body)); w.Code != http.StatusOK {
			t.Fatalf("mismatch: %d", w.Code)
		}
		if g := e.group(t, res.Group.ID); g.State != booking.GroupPendingPayment {
			t.Errorf("group confirmed on a wrong amount: %+v", g)
		}
		if p, _ := e.f.Store.OnlinePaymentByID(context.Background(), co.Payment.ID); p.Status != booking.OnlineMismatch {
			t.Errorf("payment %+v", p)
		}
		if len(e.fake.Refunds()) != 0 {
			t.Error("refunded a mismatch automatically")
		}
	})
}

// TestStripeWebhookStoreError: when the store fails the webhook answers
// 500 (Stripe redelivers) and the redelivery then confirms.
func TestStripeWebhookStoreError(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newStripeEnv(t, db)
		ctx := context.Background()
		res, _, s := e.hold(t, 1, 1)
		ev, err := e.fake.Pay(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "ALTER TABLE stripe_events RENAME TO stripe_events_away"); err != nil {
			t.Fatal(err)
		}
		code := e.deliver(t, ev)
		if _, err := db.ExecContext(ctx, "ALTER TABLE stripe_events_away RENAME TO stripe_events"); err != nil {
			t.Fatal(err)
		}
		if code != http.StatusInternalServerError {
			t.Fatalf("store error: %d", code)
		}
		if g := e.group(t, res.Group.ID); g.State != booking.GroupPendingPayment {
			t.Fatalf("group after a failed delivery: %+v", g)
		}
		if code := e.deliver(t, ev); code != http.StatusOK {
			t.Fatalf("redelivery: %d", code)
		}
		if g := e.group(t, res.Group.ID); g.State != booking.GroupBooked {
			t.Errorf("group after the redelivery: %+v", g)
		}
	})
}

// TestStripeWebhookUnknownPayment: a signed event whose metadata names a
// payment we have no row for is answered 200 (Stripe would redeliver an
// error for days) and changes nothing, and the log says so.
func TestStripeWebhookUnknownPayment(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newStripeEnv(t, db)
		before := e.counts(t)
		cs := fakestripe.Session{ID: "cs_test_unknown", Status: "complete", PaymentStatus: "paid", Currency: "huf", AmountTotal: 350000,
			PaymentIntent: "pi_unknown", Metadata: map[string]string{payments.MetadataPayment: "987654"}}
		body := e.fake.EventPayload(e.fake.NewEventID(), payments.EventCheckoutCompleted, cs)
		if w := e.post(body, e.fake.Sign(body)); w.Code != http.StatusOK {
			t.Fatalf("unknown payment: %d", w.Code)
		}
		if after := e.counts(t); after.entries != before.entries || after.outbox != before.outbox || after.jobs != before.jobs {
			t.Errorf("unknown payment wrote: %+v → %+v", before, after)
		}
		if !bytes.Contains(e.logs.Bytes(), []byte(`"event_id":"`)) {
			t.Errorf("not logged: %s", e.logs)
		}
		// A completed session not yet paid (a bank debit) waits for
		// async_payment_succeeded.
		_, _, s := e.hold(t, 1, 1)
		unpaid, _ := e.fake.Session(s.ID)
		unpaid.Status = "complete"
		body = e.fake.EventPayload(e.fake.NewEventID(), payments.EventCheckoutCompleted, unpaid)
		if w := e.post(body, e.fake.Sign(body)); w.Code != http.StatusOK {
			t.Fatalf("unpaid: %d", w.Code)
		}
		unpaid.PaymentStatus, unpaid.PaymentIntent = "paid", "pi_async"
		body = e.fake.EventPayload(e.fake.NewEventID(), payments.EventCheckoutAsyncSucceeded, unpaid)
		if w := e.post(body, e.fake.Sign(body)); w.Code != http.StatusOK {
			t.Fatalf("async succeeded: %d", w.Code)
		}
		var g booking.Group
		if err := db.NewSelect().Model(&g).Where("client_id IS NOT NULL").OrderExpr("id DESC").Limit(1).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if g.State != booking.GroupBooked {
			t.Errorf("after async_payment_succeeded: %+v", g)
		}
	})
}
