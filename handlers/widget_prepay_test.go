package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestPrepaymentSetting: the link form names the setting for what it does,
// and refuses it without SMS confirmation (a pass is only offered to a
// confirmed phone, so nobody could book): 422 at the field, nothing saved.
func TestPrepaymentSetting(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)
		form := c.get("/admin/links/new")
		if got := form.text(`label[for="gb-payment_mode"]`); got != "Payment" {
			t.Errorf("payment label %q", got)
		}
		if got := form.text(`#gb-payment_mode option[value="pass"]`); got != "A pass required before booking" {
			t.Errorf("pass option %q", got)
		}
		if hint := form.text("#gb-payment_mode-hint"); !strings.Contains(hint, "stays available") || !strings.Contains(hint, "SMS") {
			t.Errorf("payment hint %q", hint)
		}

		values := linkFormValues(e.f)
		values.Del("sms_confirm")
		before, _ := e.f.Store.Links(ctx, e.f.Location.ID)
		for _, path := range []string{"/admin/links/new", "/admin/links/" + idString(e.f.Link.ID) + "/edit"} {
			r := c.post(path, values)
			if r.code != http.StatusUnprocessableEntity {
				t.Fatalf("%s: %d, want 422", path, r.code)
			}
			if got, want := r.text("#gb-payment_mode-error"), linksEnText(t, booking.MsgPrepaymentNeedsSMS); got != want {
				t.Errorf("%s: error %q, want %q", path, got, want)
			}
		}
		after, _ := e.f.Store.Links(ctx, e.f.Location.ID)
		if len(after) != len(before) {
			t.Error("a refused link was created")
		}
		if l, _ := e.f.Store.Link(ctx, e.f.Link.ID); l.PassRequired() {
			t.Error("a refused edit was saved")
		}
		// With SMS confirmation it saves.
		if r := c.post("/admin/links/new", linkFormValues(e.f)); r.code != http.StatusSeeOther {
			t.Fatalf("prepayment with SMS confirmation: %d", r.code)
		}
	})
}

// TestPrepaymentKeepsBookAnother: with "pay before booking" on, Book
// another stays, and a selection of several dates goes on to the contact
// step (the pass pays for every date).
func TestPrepaymentKeepsBookAnother(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		link := *e.f.Link
		link.PaymentMode, link.SMSConfirm = booking.PayPassRequired, true
		if err := e.f.Store.SaveLink(context.Background(), &link); err != nil {
			t.Fatal(err)
		}
		evs := tueThuYoga(t, e, 10)
		p := e.get(widgetEventURL(evs[0], ""))
		if p.doc.Find(".gb-another input[name=also]").Length() == 0 {
			t.Fatal("Book another hidden with prepayment on")
		}
		three := e.contactForm(&evs[0], "2", &evs[1], &evs[2])
		if three.code != http.StatusOK || three.hidden("s") == "" {
			t.Fatalf("three dates with prepayment: %d %q", three.code, three.text(".gb-alert--error"))
		}
	})
}
