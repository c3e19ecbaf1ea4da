package payments_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"

	"groupbook/payments"
	"groupbook/payments/fakestripe"
)

// TestParseWebhook: a signed completed event gives the session's fields;
// unsigned, forged, tampered, too old or from the future is
// ErrBadSignature.
func TestParseWebhook(t *testing.T) {
	f, p := newFake(t, fakestripe.Options{})
	s, _ := p.CreateCheckout(t.Context(), checkoutReq("k"))
	ev, err := f.Pay(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := f.Session(s.ID)
	now := time.Now()
	got, err := payments.ParseWebhook(ev.Payload, f.Sign(ev.Payload), f.WebhookSecret(), now)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != ev.ID || got.Type != payments.EventCheckoutCompleted || got.SessionID != s.ID || got.PaymentIntent != cs.PaymentIntent ||
		got.PaymentStatus != "paid" || got.AmountTotal != 6000 || got.Currency != "eur" || got.PaymentID != 42 {
		t.Errorf("event %+v", got)
	}

	sign := func(payload []byte, secret string, at time.Time) string {
		return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
	}
	tampered := []byte(strings.Replace(string(ev.Payload), `"amount_total":6000`, `"amount_total":1`, 1))
	for name, c := range map[string]struct {
		payload []byte
		header  string
	}{
		"unsigned":    {ev.Payload, ""},
		"garbage":     {ev.Payload, "nonsense"},
		"other key":   {ev.Payload, sign(ev.Payload, "whsec_other", now)},
		"tampered":    {tampered, sign(ev.Payload, f.WebhookSecret(), now)},
		"too old":     {ev.Payload, sign(ev.Payload, f.WebhookSecret(), now.Add(-6*time.Minute))},
		"from future": {ev.Payload, sign(ev.Payload, f.WebhookSecret(), now.Add(6*time.Minute))},
	} {
		if _, err := payments.ParseWebhook(c.payload, c.header, f.WebhookSecret(), now); !errors.Is(err, payments.ErrBadSignature) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := payments.ParseWebhook(ev.Payload, f.Sign(ev.Payload), "", now); !errors.Is(err, payments.ErrBadSignature) {
		t.Errorf("no secret: %v", err)
	}
	// Signed but not JSON: an error, not a bad signature.
	junk := []byte("not json")
	if _, err := payments.ParseWebhook(junk, f.Sign(junk), f.WebhookSecret(), now); err == nil || errors.Is(err, payments.ErrBadSignature) {
		t.Errorf("junk: %v", err)
	}

	// Not ours: no metadata.
	cs.Metadata = nil
	other := f.EventPayload("evt_other", payments.EventCheckoutCompleted, cs)
	if got, err := payments.ParseWebhook(other, f.Sign(other), f.WebhookSecret(), now); err != nil || got.PaymentID != 0 || got.SessionID != s.ID {
		t.Errorf("foreign session: %+v %v", got, err)
	}
	// Another type: id and type only.
	pi := []byte(`{"id":"evt_pi","object":"event","type":"payment_intent.succeeded","api_version":"2020-08-27","data":{"object":{"id":"pi_1","object":"payment_intent"}}}`)
	if got, err := payments.ParseWebhook(pi, f.Sign(pi), f.WebhookSecret(), now); err != nil || got.Type != "payment_intent.succeeded" || got.SessionID != "" {
		t.Errorf("other type: %+v %v", got, err)
	}
}
