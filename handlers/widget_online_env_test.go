package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/payments"
	"groupbook/payments/fakestripe"
)

// onlineEnv is the widget with Stripe on: the real stripe-go client
// (payments.NewStripe) pointed at a local fake Stripe whose clock is the
// fixture's, and the "sunrise" link set to mode.
type onlineEnv struct {
	*widgetEnv
	stripe   *fakestripe.Server
	provider payments.Provider
}

// newOnlineEnv builds it; opts change the fake's options and the Deps.
func newOnlineEnv(t *testing.T, db *bun.DB, mode booking.PaymentMode, fakeOpts func(*fakestripe.Options), deps ...func(*Deps)) *onlineEnv {
	t.Helper()
	f := booktest.Seed(t, db)
	o := fakestripe.Options{Now: func() time.Time { return f.Now }}
	if fakeOpts != nil {
		fakeOpts(&o)
	}
	fake := fakestripe.New(o)
	t.Cleanup(fake.Close)
	provider := payments.NewStripe(payments.Config{SecretKey: fake.SecretKey(), WebhookSecret: fake.WebhookSecret(), APIURL: fake.URL()})
	opts := append([]func(*Deps){func(d *Deps) {
		d.Payments, d.StripeWebhookSecret = provider, fake.WebhookSecret()
		d.CheckoutTimeout = 5 * time.Second
	}}, deps...)
	e := newTestRouter(t, f.Store, func() time.Time { return f.Now }, opts...)
	e.db, e.f = db, f
	link := *f.Link
	link.PaymentMode = mode
	if err := f.Store.SaveLink(context.Background(), &link); err != nil {
		t.Fatal(err)
	}
	*f.Link = link
	return &onlineEnv{widgetEnv: e, stripe: fake, provider: provider}
}

// submitContact walks to the contact step and submits it: the answer to
// the submit (a 303 to the manage page when the seats are held).
func (e *onlineEnv) submitContact(seats string, evs ...*booking.Event) *page {
	e.t.Helper()
	ct := e.contactForm(evs[0], seats, evs[1:]...)
	if ct.code != http.StatusOK {
		e.t.Fatalf("contact: %d\n%s", ct.code, ct.body)
	}
	return e.post("/w/sunrise/book", contact(ct.hidden("s")))
}

// token is the manage token a redirect leads to.
func tokenOf(t *testing.T, p *page) string {
	t.Helper()
	if p.code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303\n%s", p.code, p.body)
	}
	u, err := url.Parse(p.hdr.Get("Location"))
	if err != nil || !strings.HasPrefix(u.Path, "/m/") {
		t.Fatalf("redirect to %q, want the manage page", p.hdr.Get("Location"))
	}
	return strings.TrimPrefix(u.Path, "/m/")
}

// group reads the group of a manage token.
func (e *onlineEnv) group(token string) *booking.Reservation {
	e.t.Helper()
	res, err := e.f.Store.GroupByToken(context.Background(), token)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

// payments lists a group's online payments, newest first.
func (e *onlineEnv) payments(groupID int64) []booking.OnlinePayment {
	e.t.Helper()
	ps, err := e.f.Store.GroupPayments(context.Background(), groupID)
	if err != nil {
		e.t.Fatal(err)
	}
	return ps
}

// deliver hands a fake Stripe event to the webhook the way Stripe would:
// signed, posted to /hooks/stripe. It returns the status.
func (e *onlineEnv) deliver(ev fakestripe.Event) int {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "/hooks/stripe", strings.NewReader(string(ev.Payload)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", e.stripe.Sign(ev.Payload))
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	return w.Code
}

// runJobs runs the payment jobs due now once (expiring superseded
// sessions at the fake, refunds) and returns how many ran.
func (e *onlineEnv) runJobs() int {
	e.t.Helper()
	n, err := (&payments.Worker{Store: e.f.Store, Provider: e.provider}).RunOnce(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}
