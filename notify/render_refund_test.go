package notify_test

import (
	"strings"
	"testing"

	"groupbook/booking"
	"groupbook/notify"
)

// TestRenderRefunded: the refunded text names the location and the money
// in every language, fits one segment in English, and a payload without
// an amount is a permanent error.
func TestRenderRefunded(t *testing.T) {
	b := strictBundle(t)
	link := renderBase + "/m/" + renderToken
	refunded := func(lang string) *booking.OutboxMessage {
		return outboxMessage(t, booking.SMSRefunded, lang, booking.MessagePayload{
			Token: renderToken, Refund: &booking.MessageRefund{AmountMinor: 700000, Currency: "HUF"},
		})
	}
	got, err := notify.Render(b, renderBase, refunded("en"))
	want := "Sunrise Yoga: your payment of 7,000 HUF could not be used for a booking, so we are refunding it. Details: " + link
	if err != nil || got != want {
		t.Errorf("en:\n got %q, %v\nwant %q", got, err, want)
	}
	if n, ok := gsm7Len(got); !ok || n > 160 {
		t.Errorf("%d GSM-7 characters (all GSM-7: %v): %q", n, ok, got)
	}
	for _, lang := range b.Languages() {
		got, err := notify.Render(b, renderBase, refunded(lang))
		if err != nil || !strings.HasPrefix(got, "Sunrise Yoga") || !strings.Contains(got, "HUF") || !strings.Contains(got, "7") ||
			!strings.HasSuffix(got, " "+link) || strings.Contains(got, "sms_") || strings.Contains(got, "{{") {
			t.Errorf("%s: %q, %v", lang, got, err)
		}
	}
	noAmount := outboxMessage(t, booking.SMSRefunded, "en", booking.MessagePayload{Token: renderToken})
	if _, err := notify.Render(b, renderBase, noAmount); err == nil || !notify.IsPermanent(err) {
		t.Errorf("no amount: %v", err)
	}
}
