package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestAdminLinkPaymentMode: the link form offers the four payment modes;
// without Stripe the online ones are refused at the field (422, nothing
// saved) with what the server needs, and the hint says online payment is
// off; with Stripe they save and show back.
func TestAdminLinkPaymentMode(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		off := newAdminEnv(t, db)
		c := off.signIn(ownerEmail)
		form := c.get("/admin/links/new")
		var values []string
		form.doc.Find("#gb-payment_mode option").Each(func(_ int, o *goquery.Selection) { values = append(values, o.AttrOr("value", "")) })
		if strings.Join(values, ",") != "desk,pass,online,pass_or_online" {
			t.Errorf("payment choices %v", values)
		}
		if got := form.doc.Find("#gb-payment_mode option[selected]").AttrOr("value", ""); got != "desk" {
			t.Errorf("a new link starts with %q", got)
		}
		if hint := form.text("#gb-payment_mode-hint"); !strings.Contains(hint, "STRIPE_SECRET_KEY") {
			t.Errorf("hint without Stripe: %q", hint)
		}
		for _, mode := range []string{"online", "pass_or_online"} {
			vals := linkFormValues(off.f)
			vals.Set("payment_mode", mode)
			for _, path := range []string{"/admin/links/new", "/admin/links/" + idString(off.f.Link.ID) + "/edit"} {
				r := c.post(path, vals)
				if r.code != http.StatusUnprocessableEntity {
					t.Fatalf("%s %s without Stripe: %d", mode, path, r.code)
				}
				if got, want := r.text("#gb-payment_mode-error"), linksEnText(t, "admin_links_payment_needs_stripe"); got != want {
					t.Errorf("%s: error %q, want %q", path, got, want)
				}
				if got := r.doc.Find("#gb-payment_mode option[selected]").AttrOr("value", ""); got != mode {
					t.Errorf("the refused choice is not shown back: %q", got)
				}
			}
		}
		if _, err := off.f.Store.LinkBySlug(ctx, "insta-yoga"); err == nil {
			t.Error("a link refused for online payment was created")
		}
		if l, _ := off.f.Store.Link(ctx, off.f.Link.ID); l.PaymentMode.Online() {
			t.Error("a refused edit was saved")
		}
		// A link left on online payment after the keys were removed: the
		// list says its clients are turned away.
		if got := c.get("/admin/links").text(".gb-alert--error"); got != "" {
			t.Errorf("links list warns with no online link: %q", got)
		}
		l, _ := off.f.Store.Link(ctx, off.f.Link.ID)
		l.PaymentMode = booking.PayOnline
		if err := off.f.Store.SaveLink(ctx, l); err != nil {
			t.Fatal(err)
		}
		if got := c.get("/admin/links").text(".gb-alert--error"); !strings.Contains(got, "1 link takes payment online, but online payment is off") {
			t.Errorf("links list: %q", got)
		}
		// An unknown mode posted by hand is refused by the core.
		bad := linkFormValues(off.f)
		bad.Set("payment_mode", "cash")
		if r := c.post("/admin/links/new", bad); r.code != http.StatusUnprocessableEntity || r.text("#gb-payment_mode-error") == "" {
			t.Errorf("unknown mode: %d %q", r.code, r.text("#gb-payment_mode-error"))
		}
	})
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		on := newAdminEnvStripe(t, db)
		c := on.signIn(ownerEmail)
		if got := c.get("/admin/links").text(".gb-alert--error"); got != "" {
			t.Errorf("links list warns with Stripe on: %q", got)
		}
		if hint := c.get("/admin/links/new").text("#gb-payment_mode-hint"); strings.Contains(hint, "STRIPE_SECRET_KEY") {
			t.Errorf("hint with Stripe on still says it is off: %q", hint)
		}
		vals := linkFormValues(on.f)
		vals.Set("payment_mode", "pass_or_online")
		r := c.post("/admin/links/new", vals)
		if r.code != http.StatusSeeOther {
			t.Fatalf("online with Stripe: %d %q", r.code, r.text(".gb-error"))
		}
		l, err := on.f.Store.LinkBySlug(ctx, "insta-yoga")
		if err != nil || l.PaymentMode != booking.PayPassOrOnline {
			t.Fatalf("saved %+v, %v", l, err)
		}
		if got := c.get(r.hdr.Get("Location")).doc.Find("#gb-payment_mode option[selected]").AttrOr("value", ""); got != "pass_or_online" {
			t.Errorf("shown back as %q", got)
		}
		if got := c.get("/admin/links").text(".gb-alert--error"); got != "" {
			t.Errorf("links list warns about an online link with Stripe on: %q", got)
		}
	})
}
