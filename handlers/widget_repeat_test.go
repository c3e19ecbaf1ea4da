package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// bookWithCode books ev for verifyPhone through the code step and returns
// the manage path and the proof the redirect carries.
func bookWithCode(t *testing.T, e *widgetEnv, ev *booking.Event) (manage, proof string) {
	t.Helper()
	p := codePage(t, e, ev, "06 20 123 4567")
	right := e.post("/w/sunrise/verify", url.Values{"p": {p.hidden("p")}, "code": {e.codes.Code(verifyPhone)}})
	if right.code != http.StatusSeeOther {
		t.Fatalf("right code: %d\n%s", right.code, right.body)
	}
	loc, _ := url.Parse(right.hdr.Get("Location"))
	return loc.Path, loc.Query().Get("pv")
}

// manageLinks are the page's links to a manage page.
func manageLinks(p *page) []string {
	var out []string
	p.doc.Find("a[href], form[action]").Each(func(_ int, s *goqSel) {
		for _, a := range []string{"href", "action"} {
			if v, ok := s.Attr(a); ok && strings.Contains(v, "/m/") {
				out = append(out, v)
			}
		}
	})
	return out
}

// TestRepeatBookingAfterCode: with SMS confirmation a client booking a
// class they already have is shown that booking (date, seats) and its
// manage link, only once the code is confirmed; the other dates of the
// selection stay selected and nothing new is booked.
func TestRepeatBookingAfterCode(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		smsLink(t, e)
		evs := e.f.YogaEvents(t, 3, 10)
		manage, proof := bookWithCode(t, e, evs[0])
		if !strings.HasPrefix(manage, "/m/") || proof == "" {
			t.Fatalf("booked: manage %q proof %q", manage, proof)
		}

		// Someone else typing the same phone, without its proof: the code
		// step, with nothing said about the existing booking.
		form := contact(e.contactForm(evs[0], "1", evs[1]).hidden("s"))
		stranger := e.post("/w/sunrise/book", form)
		if stranger.code != http.StatusOK || stranger.hidden("p") == "" {
			t.Fatalf("unconfirmed repeat: %d\n%s", stranger.code, stranger.body)
		}
		if len(manageLinks(stranger)) != 0 || stranger.doc.Find("[data-gb-already]").Length() != 0 ||
			strings.Contains(stranger.text("main"), "already") {
			t.Errorf("the code step discloses the booking: %v %q", manageLinks(stranger), stranger.text("main"))
		}

		// With the code (its proof): the existing booking and its link.
		form.Set("pv", proof)
		before := e.bookings()
		again := e.post("/w/sunrise/book", form)
		if again.code != http.StatusConflict {
			t.Fatalf("confirmed repeat: %d\n%s", again.code, again.body)
		}
		box := again.doc.Find("[data-gb-already]")
		if box.Length() != 1 || !strings.Contains(box.Text(), "You already have this class booked") || !strings.Contains(box.Text(), "1 seat") {
			t.Fatalf("no existing booking shown: %q", again.text("main"))
		}
		href, _ := box.Find("a[data-gb-already-manage]").Attr("href")
		if u, err := url.Parse(href); err != nil || u.Path != manage {
			t.Errorf("manage link %q, want %s", href, manage)
		}
		// The rest of the selection kept: the page is the other date's,
		// with nothing else refused.
		if again.hidden("event") != itoa64(evs[1].ID) || again.doc.Find(".gb-alert--error").Length() != 0 {
			t.Errorf("selection not kept: event %q, errors %q", again.hidden("event"), again.text(".gb-alert--error"))
		}
		if e.bookings() != before || e.taken(evs[1]) != 0 {
			t.Error("a refused repeat booked something")
		}
		// The chosen class alone: its page, with the booking shown.
		only := contact(e.contactForm(evs[0], "1").hidden("s"))
		only.Set("pv", proof)
		alone := e.post("/w/sunrise/book", only)
		if alone.code != http.StatusConflict || alone.doc.Find("[data-gb-already]").Length() != 1 || alone.hidden("event") != itoa64(evs[0].ID) {
			t.Errorf("repeat of one class: %d %q", alone.code, alone.text("main"))
		}
	})
}

// TestRepeatBookingUnconfirmed: without SMS confirmation a repeated
// booking is refused (409) with a text that says nothing of another
// booking, and no manage link is shown.
func TestRepeatBookingUnconfirmed(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 3, 10)
		first := e.post("/w/sunrise/book", contact(e.contactForm(evs[0], "1").hidden("s")))
		if first.code != http.StatusSeeOther {
			t.Fatalf("first booking: %d", first.code)
		}
		before := e.bookings()
		for name, also := range map[string][]*booking.Event{"alone": nil, "with another date": {evs[1]}} {
			p := e.post("/w/sunrise/book", contact(e.contactForm(evs[0], "1", also...).hidden("s")))
			if p.code != http.StatusConflict {
				t.Fatalf("%s: %d\n%s", name, p.code, p.body)
			}
			msg := p.text(".gb-alert--error")
			if !strings.Contains(msg, "can’t book this class online again") {
				t.Errorf("%s: refusal %q", name, msg)
			}
			if strings.Contains(p.text("main"), "You already have") || len(manageLinks(p)) != 0 || p.doc.Find("[data-gb-already]").Length() != 0 {
				t.Errorf("%s: the refusal discloses the booking: %q %v", name, p.text("main"), manageLinks(p))
			}
		}
		if e.bookings() != before {
			t.Error("a refused repeat booked something")
		}
	})
}

// TestWaitlistRepeatUnconfirmed: without SMS confirmation, joining the
// waitlist of a class the phone is booked into, or a second time, is
// refused (409) without saying the phone has a booking or a place.
func TestWaitlistRepeatUnconfirmed(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		waitlistLink(t, e, false)
		ev, _ := fullEvent(t, e, 1, 1)
		booked := booktest.Client(1).Phone
		p := e.join(ev, "1", booked)
		if p.code != http.StatusConflict || !strings.Contains(p.text("main"), "can’t book this class online again") {
			t.Fatalf("booked phone joins: %d %q", p.code, p.text("main"))
		}
		if strings.Contains(p.text("main"), "You already have") || len(manageLinks(p)) != 0 {
			t.Errorf("the refusal discloses the booking: %q", p.text("main"))
		}
		if n := len(e.entries(ev)); n != 0 {
			t.Fatalf("%d entries", n)
		}
		other := booktest.Client(2).Phone
		if p := e.join(ev, "1", other); p.code != http.StatusSeeOther {
			t.Fatalf("join: %d", p.code)
		}
		p = e.join(ev, "1", other)
		if p.code != http.StatusConflict || !strings.Contains(p.text("#gb-phone-error"), "can’t join this class’s waitlist online again") ||
			strings.Contains(p.text("main"), "already on the waitlist") || p.doc.Find(`a[href*="/wl/"]`).Length() != 0 {
			t.Errorf("joining twice: %d %q", p.code, p.text("main"))
		}
	})
}

// TestWaitlistRepeatAfterCode: a phone confirmed by code joining the
// waitlist of a class it is booked into is shown that booking with its
// manage link; before the code nothing is said.
func TestWaitlistRepeatAfterCode(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		waitlistLink(t, e, true)
		ev := e.f.YogaEvents(t, 1, 1)[0]
		res, err := e.f.Store.Reserve(context.Background(), booking.ReserveRequest{
			LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: []int64{ev.ID}, Seats: 1,
			Client: booking.ClientInput{Phone: verifyPhone, FirstName: "Anna"}, Lang: "en",
		})
		if err != nil {
			t.Fatal(err)
		}
		code := e.join(ev, "1", "06 20 123 4567")
		if code.code != http.StatusOK || code.hidden("p") == "" || len(manageLinks(code)) != 0 || strings.Contains(code.text("main"), "already") {
			t.Fatalf("before the code: %d %q", code.code, code.text("main"))
		}
		done := e.post("/w/sunrise/verify", url.Values{"p": {code.hidden("p")}, "code": {e.codes.Code(verifyPhone)}})
		href, _ := done.doc.Find("[data-gb-already] a[data-gb-already-manage]").Attr("href")
		if u, err := url.Parse(href); done.code != http.StatusConflict || err != nil || u.Path != "/m/"+res.Group.Token {
			t.Fatalf("after the code: %d %q\n%s", done.code, href, done.body)
		}
		if n := len(e.entries(ev)); n != 0 {
			t.Errorf("%d waitlist entries", n)
		}
	})
}
