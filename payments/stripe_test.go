package payments_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"groupbook/payments"
	"groupbook/payments/fakestripe"
)

// newFake starts a fake Stripe and the real stripe-go client on it.
func newFake(t *testing.T, opt fakestripe.Options) (*fakestripe.Server, *payments.Stripe) {
	t.Helper()
	f := fakestripe.New(opt)
	t.Cleanup(f.Close)
	p := payments.NewStripe(payments.Config{SecretKey: f.SecretKey(), WebhookSecret: f.WebhookSecret(), APIURL: f.URL(), Timeout: 2 * time.Second})
	return f, p
}

func checkoutReq(key string) payments.CheckoutRequest {
	return payments.CheckoutRequest{
		IdempotencyKey: key, Currency: "EUR",
		Lines: []payments.Line{
			{Name: "Yoga — Tue 3 Mar 18:00", UnitAmount: 1500, Quantity: 2},
			{Name: "Yoga — Tue 10 Mar 18:00", UnitAmount: 1500, Quantity: 2},
		},
		SuccessURL: "https://book.example.com/m/tok?paid=1", CancelURL: "https://book.example.com/m/tok",
		ExpiresAt:         time.Now().Add(31 * time.Minute),
		ClientReferenceID: "42", Metadata: map[string]string{payments.MetadataPayment: "42"},
		Locale: payments.CheckoutLocale("hu"), CustomerEmail: "anna@example.com",
	}
}

// TestCreateCheckout: the session Stripe gets (lines, amounts, lower-case
// currency, metadata on the session and the PaymentIntent, URLs, expiry,
// key), and the same key answers the same session without a second one.
func TestCreateCheckout(t *testing.T) {
	f, p := newFake(t, fakestripe.Options{})
	ctx := context.Background()
	req := checkoutReq("groupbook-checkout-42")
	s1, err := p.CreateCheckout(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := p.CreateCheckout(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if *s1 != *s2 || len(f.Sessions()) != 1 {
		t.Fatalf("same key gave %+v then %+v, %d sessions", s1, s2, len(f.Sessions()))
	}
	cs := f.Sessions()[0]
	if cs.ID != s1.ID || cs.URL != s1.URL || cs.Currency != "eur" || cs.AmountTotal != 6000 || len(cs.Lines) != 2 ||
		cs.Lines[0].Name != req.Lines[0].Name || cs.Lines[1].Quantity != 2 || cs.Lines[1].UnitAmount != 1500 {
		t.Errorf("session %+v", cs)
	}
	if cs.Metadata[payments.MetadataPayment] != "42" || cs.PaymentMetadata[payments.MetadataPayment] != "42" || cs.ClientReferenceID != "42" {
		t.Errorf("metadata %+v / %+v / %q", cs.Metadata, cs.PaymentMetadata, cs.ClientReferenceID)
	}
	if cs.SuccessURL != req.SuccessURL || cs.CancelURL != req.CancelURL || cs.ExpiresAt != req.ExpiresAt.Unix() ||
		cs.Locale != "hu" || cs.CustomerEmail != "anna@example.com" || cs.Mode != "payment" {
		t.Errorf("session %+v", cs)
	}
	for _, r := range f.Requests() {
		if r.IdempotencyKey != req.IdempotencyKey || r.Auth != "Bearer "+f.SecretKey() {
			t.Errorf("request %s key %q auth %q", r.Path, r.IdempotencyKey, r.Auth)
		}
	}
	if payments.CheckoutLocale("uk") != "auto" {
		t.Error("Checkout has no Ukrainian")
	}
}

// TestCreateCheckoutFaults: what is worth retrying and what is not, and
// a client whose call timed out while Stripe created the session gets
// that session on the retry with the same key.
func TestCreateCheckoutFaults(t *testing.T) {
	f, p := newFake(t, fakestripe.Options{SlowDelay: time.Second})
	const path = "/v1/checkout/sessions"
	for _, c := range []struct {
		name  string
		fault fakestripe.Fault
	}{{"429", fakestripe.Fault429}, {"500", fakestripe.Fault500}, {"502 html", fakestripe.Fault502HTML}, {"hang", fakestripe.FaultHang}} {
		f.Fail(path, 1, c.fault)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		_, err := p.CreateCheckout(ctx, checkoutReq("k-"+c.name))
		cancel()
		if err == nil || !payments.Temporary(err) {
			t.Errorf("%s: %v, temporary %v", c.name, err, payments.Temporary(err))
		}
	}
	var se *payments.StatusError
	f.Fail(path, 1, fakestripe.Fault502HTML)
	if _, err := p.CreateCheckout(context.Background(), checkoutReq("k-502b")); !errors.As(err, &se) || se.Code != http.StatusBadGateway {
		t.Errorf("502 page: %v", err)
	}

	// Slow: created at Stripe, the answer lost; the retry finds it.
	n := len(f.Sessions())
	f.Fail(path, 1, fakestripe.FaultSlow)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	_, err := p.CreateCheckout(ctx, checkoutReq("k-slow"))
	cancel()
	if !payments.Temporary(err) {
		t.Fatalf("slow: %v", err)
	}
	s, err := p.CreateCheckout(context.Background(), checkoutReq("k-slow"))
	if err != nil || len(f.Sessions()) != n+1 || f.Sessions()[n].ID != s.ID {
		t.Fatalf("retry after a lost answer: %v, %d sessions (had %d)", err, len(f.Sessions()), n)
	}

	// Refused for good: expires_at under Stripe's 30 minutes.
	bad := checkoutReq("k-bad")
	bad.ExpiresAt = time.Now().Add(10 * time.Minute)
	if _, err := p.CreateCheckout(context.Background(), bad); err == nil || payments.Temporary(err) {
		t.Errorf("short expiry: %v", err)
	}
	// A wrong key is not temporary either.
	wrong := payments.NewStripe(payments.Config{SecretKey: "sk_test_wrong", APIURL: f.URL()})
	if _, err := wrong.CreateCheckout(context.Background(), checkoutReq("k-wrong")); err == nil || payments.Temporary(err) {
		t.Errorf("wrong key: %v", err)
	}
	// Nobody listening: temporary.
	down := payments.NewStripe(payments.Config{SecretKey: "sk_test_x", APIURL: "http://127.0.0.1:1"})
	if _, err := down.CreateCheckout(context.Background(), checkoutReq("k-down")); err == nil || !payments.Temporary(err) {
		t.Errorf("down: %v", err)
	}
}

// TestExpireCheckout: an open session expires; one already expired,
// paid or unknown is ErrGone.
func TestExpireCheckout(t *testing.T) {
	f, p := newFake(t, fakestripe.Options{})
	ctx := context.Background()
	a, _ := p.CreateCheckout(ctx, checkoutReq("a"))
	b, _ := p.CreateCheckout(ctx, checkoutReq("b"))
	if err := p.ExpireCheckout(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if cs, _ := f.Session(a.ID); cs.Status != "expired" {
		t.Errorf("status %s", cs.Status)
	}
	if err := p.ExpireCheckout(ctx, a.ID); !errors.Is(err, payments.ErrGone) {
		t.Errorf("twice: %v", err)
	}
	if _, err := f.Pay(b.ID); err != nil {
		t.Fatal(err)
	}
	if err := p.ExpireCheckout(ctx, b.ID); !errors.Is(err, payments.ErrGone) {
		t.Errorf("paid: %v", err)
	}
	if err := p.ExpireCheckout(ctx, "cs_test_nope"); !errors.Is(err, payments.ErrGone) {
		t.Errorf("unknown: %v", err)
	}
	// Refused, and Stripe down when asked why: try again later.
	f.Fail("/v1/checkout/sessions/"+a.ID, 1, fakestripe.Fault500)
	if err := p.ExpireCheckout(ctx, a.ID); errors.Is(err, payments.ErrGone) || !payments.Temporary(err) {
		t.Errorf("read back failed: %v", err)
	}
	f.Fail("/v1/checkout/sessions/"+a.ID+"/expire", 1, fakestripe.Fault500)
	if err := p.ExpireCheckout(ctx, a.ID); errors.Is(err, payments.ErrGone) || !payments.Temporary(err) {
		t.Errorf("500: %v", err)
	}
}

// TestRefund: a refund whose answer was lost is retried with the same
// key and refunds once; more than is left is refused for good.
func TestRefund(t *testing.T) {
	f, p := newFake(t, fakestripe.Options{SlowDelay: time.Second})
	ctx := context.Background()
	s, _ := p.CreateCheckout(ctx, checkoutReq("pay"))
	if _, err := f.Pay(s.ID); err != nil {
		t.Fatal(err)
	}
	cs, _ := f.Session(s.ID)
	req := payments.RefundRequest{IdempotencyKey: "groupbook-refund-7", PaymentIntent: cs.PaymentIntent, Amount: 1500, Metadata: map[string]string{"groupbook_entry": "7"}}
	// Refunded at Stripe, the answer lost (the call timed out).
	f.Fail("/v1/refunds", 1, fakestripe.FaultSlow)
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err := p.Refund(short, req)
	cancel()
	if err == nil || !payments.Temporary(err) {
		t.Fatalf("lost answer: %v", err)
	}
	// The connection closed after Stripe acted: Go's transport itself
	// may retry a request with an Idempotency-Key on a reused
	// connection, so either answer is fine as long as it refunds once.
	f.Fail("/v1/refunds", 1, fakestripe.FaultDrop)
	if _, err := p.Refund(ctx, req); err != nil && !payments.Temporary(err) {
		t.Fatalf("dropped: %v", err)
	}
	id, err := p.Refund(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	rs := f.Refunds()
	if len(rs) != 1 || rs[0].ID != id || rs[0].Amount != 1500 || rs[0].Metadata["groupbook_entry"] != "7" {
		t.Fatalf("refunds %+v, id %s", rs, id)
	}
	f.Fail("/v1/refunds", 1, fakestripe.Fault429)
	if _, err := p.Refund(ctx, payments.RefundRequest{IdempotencyKey: "r2", PaymentIntent: cs.PaymentIntent, Amount: 100}); !payments.Temporary(err) {
		t.Errorf("429: %v", err)
	}
	if _, err := p.Refund(ctx, payments.RefundRequest{IdempotencyKey: "r3", PaymentIntent: cs.PaymentIntent, Amount: 5000}); err == nil || payments.Temporary(err) {
		t.Errorf("too much: %v", err)
	}
	if len(f.Refunds()) != 1 {
		t.Errorf("refunds %+v", f.Refunds())
	}
}
