package fakestripe_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"groupbook/payments"
	"groupbook/payments/fakestripe"
)

// TestCheckoutPageAndDelivery: the hosted page's Pay button completes the
// session, sends the browser to success_url and delivers a signed
// checkout.session.completed, retried until the endpoint answers 2xx.
func TestCheckoutPageAndDelivery(t *testing.T) {
	var calls atomic.Int32
	var body atomic.Value
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if _, err := payments.ParseWebhook(b, r.Header.Get("Stripe-Signature"), fakestripe.TestWebhookSecret, time.Now()); err != nil {
			t.Errorf("delivery: %v", err)
		}
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		body.Store(b)
	}))
	defer hook.Close()
	f := fakestripe.New(fakestripe.Options{WebhookURL: hook.URL})
	defer f.Close()
	p := payments.NewStripe(payments.Config{SecretKey: f.SecretKey(), APIURL: f.URL()})
	s, err := p.CreateCheckout(context.Background(), payments.CheckoutRequest{
		IdempotencyKey: "k", Currency: "huf", Lines: []payments.Line{{Name: "Pilates", UnitAmount: 300000, Quantity: 1}},
		SuccessURL: "https://shop.example/m/x?paid=1", CancelURL: "https://shop.example/m/x",
		Metadata: map[string]string{payments.MetadataPayment: "9"},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), "Pilates") || !strings.Contains(string(page), `id="pay"`) {
		t.Fatalf("page: %s", page)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err = noFollow.PostForm(s.URL, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "https://shop.example/m/x?paid=1" {
		t.Fatalf("pay: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	ev := f.Events()[0]
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.Wait(ctx, func() bool { return f.Delivered(ev.ID) }); err != nil {
		t.Fatalf("not delivered: %+v", f.Deliveries())
	}
	if n := calls.Load(); n != 3 || len(f.Deliveries()) != 3 {
		t.Errorf("%d calls, deliveries %+v", n, f.Deliveries())
	}
	// Paying again does nothing new.
	if _, err := f.Pay(s.ID); err == nil {
		t.Error("paid twice")
	}
	if err := f.Redeliver(ev.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.Wait(ctx, func() bool { return calls.Load() == 4 }); err != nil {
		t.Fatal("not redelivered")
	}
}
