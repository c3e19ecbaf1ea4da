package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

const verifyPhone = "+36201234567" // contact() types it as "06 20 123 4567"

// smsLink turns on phone confirmation for the fixture's link.
func smsLink(t *testing.T, e *widgetEnv) {
	t.Helper()
	link := *e.f.Link
	link.SMSConfirm = true
	if err := e.f.Store.SaveLink(context.Background(), &link); err != nil {
		t.Fatal(err)
	}
}

// codePage submits the contact step and returns the code page.
func codePage(t *testing.T, e *widgetEnv, ev *booking.Event, phone string) *page {
	t.Helper()
	form := contact(e.contactForm(ev, "1").hidden("s"))
	form.Set("phone", phone)
	p := e.post("/w/sunrise/book", form)
	if p.code != http.StatusOK || p.hidden("p") == "" {
		t.Fatalf("contact with SMS confirmation: %d\n%s", p.code, p.body)
	}
	return p
}

func TestPhoneConfirmation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		smsLink(t, e)
		evs := e.f.YogaEvents(t, 2, 10)
		p := codePage(t, e, evs[0], "06 20 123 4567")
		if e.bookings() != 0 {
			t.Fatal("booked before the phone was confirmed")
		}
		if !strings.Contains(p.text("main"), verifyPhone) {
			t.Error("the code page does not say where the code went")
		}
		if p.doc.Find("[data-gb-devcode]").Length() != 0 {
			t.Error("the code is shown outside demo mode")
		}
		pending := p.hidden("p")
		// A wrong code: 422 at the field, nothing booked.
		wrong := e.post("/w/sunrise/verify", url.Values{"p": {pending}, "code": {"000000"}})
		if wrong.code != http.StatusUnprocessableEntity || !strings.Contains(wrong.text("#gb-code-error"), "not correct") || e.bookings() != 0 {
			t.Fatalf("wrong code: %d %q", wrong.code, wrong.text("#gb-code-error"))
		}
		// Resend too soon.
		if r := e.post("/w/sunrise/verify/resend", url.Values{"p": {pending}}); r.code != http.StatusTooManyRequests || !strings.Contains(r.text(".gb-alert--error"), "30 seconds") {
			t.Errorf("resend at once: %d %q", r.code, r.text(".gb-alert--error"))
		}
		e.f.Now = e.f.Now.Add(31 * time.Second)
		if r := e.post("/w/sunrise/verify/resend", url.Values{"p": {pending}}); r.code != http.StatusOK {
			t.Errorf("resend after the cooldown: %d", r.code)
		}
		// The right code books, and the redirect carries the proof.
		right := e.post("/w/sunrise/verify", url.Values{"p": {pending}, "code": {e.codes.Code(verifyPhone)}})
		if right.code != http.StatusSeeOther || e.bookings() != 1 {
			t.Fatalf("right code: %d, %d bookings\n%s", right.code, e.bookings(), right.body)
		}
		loc, _ := url.Parse(right.hdr.Get("Location"))
		proof := loc.Query().Get("pv")
		if proof == "" {
			t.Fatal("no proof carried after confirmation")
		}
		// With the proof, the same phone books again without a code...
		q := url.Values{"pv": {proof}}
		again := contact(e.contactFormWith(q, evs[1], "1").hidden("s"))
		again.Set("pv", proof)
		if r := e.post("/w/sunrise/book", again); r.code != http.StatusSeeOther || e.bookings() != 2 {
			t.Fatalf("book with proof: %d", r.code)
		}
		// ...but not another phone, and not with a forged proof.
		other := contact(e.contactForm(evs[1], "1").hidden("s"))
		other.Set("phone", "+36301234567")
		other.Set("pv", proof)
		if r := e.post("/w/sunrise/book", other); r.code != http.StatusOK || r.hidden("p") == "" || e.bookings() != 2 {
			t.Errorf("proof for another phone: %d", r.code)
		}
		forged := contact(e.contactForm(evs[1], "1").hidden("s"))
		forged.Set("phone", "+36301234568")
		forged.Set("pv", strings.Replace(proof, "A", "B", 1))
		if r := e.post("/w/sunrise/book", forged); r.code != http.StatusOK || r.hidden("p") == "" {
			t.Errorf("forged proof: %d", r.code)
		}
		// An expired proof asks for a code again.
		e.f.Now = e.f.Now.Add(16 * time.Minute)
		late := contact(e.contactForm(evs[1], "2").hidden("s"))
		late.Set("pv", proof)
		if r := e.post("/w/sunrise/book", late); r.code != http.StatusOK || r.hidden("p") == "" || e.bookings() != 2 {
			t.Errorf("expired proof: %d", r.code)
		}
	})
}

func TestPhoneConfirmationRefusals(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		smsLink(t, e)
		evs := e.f.YogaEvents(t, 1, 10)
		pending := codePage(t, e, evs[0], "06 20 123 4567").hidden("p")
		// A code for another phone does not confirm this one.
		if r := e.post("/w/sunrise/verify", url.Values{"p": {pending}, "code": {e.codes.Code("+36301234567")}}); r.code != http.StatusUnprocessableEntity {
			t.Errorf("another phone's code: %d", r.code)
		}
		// Forged and expired pending forms.
		payload, sig, _ := strings.Cut(pending, ".")
		if r := e.post("/w/sunrise/verify", url.Values{"p": {payload + "x." + sig}, "code": {e.codes.Code(verifyPhone)}}); r.code != http.StatusBadRequest {
			t.Errorf("forged pending: %d", r.code)
		}
		// Five wrong codes in all: then even the right code is refused.
		for i := 0; i < 4; i++ {
			e.post("/w/sunrise/verify", url.Values{"p": {pending}, "code": {"111111"}})
		}
		r := e.post("/w/sunrise/verify", url.Values{"p": {pending}, "code": {e.codes.Code(verifyPhone)}})
		if r.code != http.StatusTooManyRequests || r.doc.Find(`input[name=code]`).Length() != 0 || !strings.Contains(r.text(".gb-alert--error"), "Too many wrong") {
			t.Errorf("after 5 wrong codes: %d %q", r.code, r.text(".gb-alert--error"))
		}
		if e.bookings() != 0 {
			t.Fatal("booked after too many wrong codes")
		}
		e.f.Now = e.f.Now.Add(16 * time.Minute)
		if r := e.post("/w/sunrise/verify", url.Values{"p": {pending}, "code": {e.codes.Code(verifyPhone)}}); r.code != http.StatusBadRequest {
			t.Errorf("expired pending: %d", r.code)
		}
		// Sends are limited per phone: three in 15 minutes.
		phone := "06 30 765 4321"
		for i := 1; i <= 4; i++ {
			form := contact(e.contactForm(evs[0], "1").hidden("s"))
			form.Set("phone", phone)
			r := e.post("/w/sunrise/book", form)
			want := http.StatusOK
			if i == 4 {
				want = http.StatusTooManyRequests
			}
			if r.code != want {
				t.Fatalf("send %d: %d, want %d", i, r.code, want)
			}
			e.f.Now = e.f.Now.Add(31 * time.Second)
		}
		if e.bookings() != 0 {
			t.Fatal("a refused confirmation booked")
		}
	})
}
