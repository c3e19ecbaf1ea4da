package handlers

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// Issue 8, item 19c: "We send your booking confirmation here" showed under
// the phone field with SMS off. The confirmation SMS goes out only when the
// location has SMS on, so the hint shows exactly then. A link's SMS code
// step alone sends no confirmation (only the code, which that step itself
// explains), so it does not bring the hint back.
func TestWidgetPhoneHintOnlyWithSMS(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		ev := e.f.YogaEvents(t, 1, 10)[0]
		hint := func() (string, string) {
			t.Helper()
			p := e.contactForm(ev, "1")
			return p.text("#gb-phone-hint"), p.doc.Find("#gb-phone").AttrOr("aria-describedby", "")
		}
		if text, desc := hint(); text != "" || desc != "" {
			t.Errorf("SMS off: phone hint %q (aria-describedby %q)", text, desc)
		}
		link := *e.f.Link
		link.SMSConfirm = true
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		if text, _ := hint(); text != "" {
			t.Errorf("SMS off, code step on: phone hint %q", text)
		}
		if err := e.f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: e.f.Location.ID, Enabled: true, ReminderHours: 24}); err != nil {
			t.Fatal(err)
		}
		if text, desc := hint(); !strings.Contains(text, "booking confirmation") || desc != "gb-phone-hint" {
			t.Errorf("SMS on: phone hint %q (aria-describedby %q)", text, desc)
		}
		// The form shown again after an error keeps the same rule.
		form := contact(e.contactForm(ev, "1").hidden("s"))
		form.Set("first_name", "")
		if r := e.post("/w/sunrise/book", form); r.code != 422 || !strings.Contains(r.text("#gb-phone-hint"), "booking confirmation") {
			t.Errorf("contact form after an error: %d, hint %q", r.code, r.text("#gb-phone-hint"))
		}
	})
}
