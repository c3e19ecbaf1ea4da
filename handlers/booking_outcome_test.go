package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// unsurePage checks the answer to a booking whose outcome is unknown: 503
// with Retry-After, the "may or may not have gone through" text, never
// "failed", and a Try again form that resends the same selection, contact
// and request key. It returns the form.
func unsurePage(t *testing.T, p *page) (string, url.Values) {
	t.Helper()
	if p.code != http.StatusServiceUnavailable || p.hdr.Get("Retry-After") != "5" {
		t.Fatalf("answer %d (Retry-After %q), want 503 with Retry-After 5\n%s", p.code, p.hdr.Get("Retry-After"), p.body)
	}
	if got, want := p.text("h1"), enText(t, "widget_unsure_title"); got != want {
		t.Errorf("heading %q, want %q", got, want)
	}
	if got := p.text("[role=alert]"); got != enText(t, "widget_unsure_text") {
		t.Errorf("alert %q", got)
	}
	if strings.Contains(strings.ToLower(p.text("main")), "failed") {
		t.Errorf("the page says the booking failed:\n%s", p.text("main"))
	}
	action, vals := formValues(p, `form[action="/w/sunrise/book"]`)
	if action != "/w/sunrise/book" || vals.Get("first_name") != "Anna" || vals.Get("phone") != "06 20 123 4567" {
		t.Fatalf("no Try again form with the contact fields: %q %v", action, vals)
	}
	if vals.Get("s") == "" || p.doc.Find(`form button[type=submit]`).Text() != enText(t, "error_try_again") {
		t.Fatalf("Try again form lacks the selection or its button:\n%s", p.body)
	}
	return action, vals
}

// enText is an English message.
func enText(t *testing.T, id string) string {
	t.Helper()
	return testEnglish(t).T(id)
}

// TestBookingAnswerLostAfterCommit: PostgreSQL commits the booking but the
// connection breaks before its answer arrives (the server got the COMMIT).
// The client is not told it failed: the request key shows the booking
// exists, and the client lands on its manage page as after any success.
func TestBookingAnswerLostAfterCommit(t *testing.T) {
	e := newFaultEnv(t, booktest.Postgres)
	ev := e.f.YogaEvents(t, 1, 10)[0]
	s := e.contactForm(ev, "2").hidden("s")
	e.proxy.onCommit(commitLoseAnswer)
	p := e.post("/w/sunrise/book", contact(s))
	if e.proxy.commitsSeen() == 0 {
		t.Fatal("no COMMIT went through the proxy")
	}
	var g booking.Group
	if err := e.db.NewSelect().Model(&g).Scan(context.Background()); err != nil {
		t.Fatalf("the booking was not committed: %v", err)
	}
	wantRedirectTo(t, p, managePath(g.Token))
	if e.groups() != 1 || e.bookings() != 1 || e.taken(ev) != 2 {
		t.Errorf("%d groups, %d bookings, %d seats taken; want 1, 1, 2", e.groups(), e.bookings(), e.taken(ev))
	}
}

// TestBookingFrozenAfterCommit: the COMMIT reaches PostgreSQL, then the
// network freezes (nothing more is forwarded either way). The request
// still answers, before the freeze ends, within its deadline: "may or may
// not have gone through", with Try again. The booking exists meanwhile;
// pressing Try again (eight times at once) gives its manage page and no
// second booking.
func TestBookingFrozenAfterCommit(t *testing.T) {
	e := newFaultEnv(t, booktest.Postgres)
	ev := e.f.YogaEvents(t, 1, 10)[0]
	s := e.contactForm(ev, "1").hidden("s")
	e.proxy.onCommit(commitThenFreeze)
	start := time.Now()
	p := e.post("/w/sunrise/book", contact(s))
	// The proxy stays frozen until here: had the request waited for the
	// database, it would never have answered.
	t.Logf("answered in %v with the database frozen (request deadline %v)", time.Since(start).Round(time.Millisecond), faultRequestTimeout)
	action, form := unsurePage(t, p)
	if e.groups() != 1 {
		t.Fatalf("%d groups committed; the test needs the COMMIT to have reached the server", e.groups())
	}
	e.proxy.freeze(false)

	var g booking.Group
	if err := e.db.NewSelect().Model(&g).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	answers := make([]*page, 8)
	for i := range answers {
		wg.Go(func() { answers[i] = e.post(action, form) })
	}
	wg.Wait()
	for _, a := range answers {
		wantRedirectTo(t, a, managePath(g.Token))
	}
	if e.groups() != 1 || e.bookings() != 1 || e.taken(ev) != 1 {
		t.Errorf("%d groups, %d bookings, %d seats taken; want 1, 1, 1", e.groups(), e.bookings(), e.taken(ev))
	}
}

// TestBookingUnderHeldLock: another session holds the lock a booking needs
// (PostgreSQL: a table lock; SQLite: the write lock), so the booking's
// statement hangs. The answer comes within the deadline as "may or may not
// have gone through"; nothing was booked; Try again after the lock is gone
// books once.
func TestBookingUnderHeldLock(t *testing.T) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		t.Run(kind, func(t *testing.T) {
			e := newFaultEnv(t, kind)
			ev := e.f.YogaEvents(t, 1, 10)[0]
			s := e.contactForm(ev, "1").hidden("s")
			release := e.holdWriteLock()
			p := e.post("/w/sunrise/book", contact(s))
			action, form := unsurePage(t, p)
			release()
			if e.groups() != 0 {
				t.Fatalf("%d groups committed under the lock", e.groups())
			}
			again := e.post(action, form)
			var g booking.Group
			if err := e.db.NewSelect().Model(&g).Scan(context.Background()); err != nil {
				t.Fatalf("Try again booked nothing: %v\n%s", err, again.body)
			}
			wantRedirectTo(t, again, managePath(g.Token))
			wantRedirectTo(t, e.post(action, form), managePath(g.Token))
			if e.groups() != 1 || e.bookings() != 1 || e.taken(ev) != 1 {
				t.Errorf("%d groups, %d bookings, %d seats taken; want 1, 1, 1", e.groups(), e.bookings(), e.taken(ev))
			}
		})
	}
}

// TestStaffAddClientUnderHeldLock: the event window's "Add client" form
// whose booking hangs comes back as sent, with its request key, saying the
// booking may or may not have been made and that adding again is safe;
// adding again after the lock is gone books once.
func TestStaffAddClientUnderHeldLock(t *testing.T) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		t.Run(kind, func(t *testing.T) {
			e := newFaultEnv(t, kind)
			ev := e.f.YogaEvents(t, 1, 10)[0]
			owner := e.signIn(ownerEmail)
			win := owner.get("/admin/events/" + itoa64(ev.ID))
			action, form := formValues(win, `form[action$="/clients"]`)
			form.Set("phone", "+36 20 555 1234")
			form.Set("first_name", "Bea")
			key := form.Get("key")
			release := e.holdWriteLock()
			for _, htmx := range []bool{false, true} {
				var header []string
				if htmx {
					header = []string{"HX-Request", "true", "HX-Target", "div#gae-body"}
				}
				p := owner.post(action, form, header...)
				if p.code != http.StatusServiceUnavailable || p.hdr.Get("Retry-After") != "5" {
					t.Fatalf("htmx %v: answer %d, want 503\n%s", htmx, p.code, p.body)
				}
				if !strings.Contains(p.text("[role=alert]"), testEnglish(t).T("admin_event_add_unsure")) {
					t.Errorf("htmx %v: no 'may or may not' alert:\n%s", htmx, p.body)
				}
				if _, again := formValues(p, `form[action$="/clients"]`); again.Get("key") != key || again.Get("first_name") != "Bea" {
					t.Errorf("htmx %v: the form came back with key %q and name %q, want the same as sent", htmx, again.Get("key"), again.Get("first_name"))
				}
			}
			release()
			for range 2 {
				if p := owner.post(action, form); p.code != http.StatusSeeOther {
					t.Fatalf("add again: %d\n%s", p.code, p.body)
				}
			}
			if e.groups() != 1 || e.bookings() != 1 {
				t.Errorf("%d groups, %d bookings; want 1, 1", e.groups(), e.bookings())
			}
		})
	}
}

// TestConfirmedBookingUnderHeldLock: after the SMS code step the outcome
// can be unknown too. The Try again form carries the proof of the
// confirmed phone, so resending books without asking for a new code.
func TestConfirmedBookingUnderHeldLock(t *testing.T) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		t.Run(kind, func(t *testing.T) {
			e := newFaultEnv(t, kind)
			smsLink(t, e.widgetEnv)
			ev := e.f.YogaEvents(t, 1, 10)[0]
			pending := codePage(t, e.widgetEnv, ev, "06 20 123 4567").hidden("p")
			release := e.holdWriteLock()
			p := e.post("/w/sunrise/verify", map[string][]string{"p": {pending}, "code": {e.codes.Code(verifyPhone)}})
			action, form := unsurePage(t, p)
			if form.Get("pv") == "" {
				t.Fatalf("the Try again form lacks the phone's proof:\n%s", p.body)
			}
			release()
			again := e.post(action, form)
			var g booking.Group
			if err := e.db.NewSelect().Model(&g).Scan(context.Background()); err != nil {
				t.Fatalf("Try again booked nothing: %v\n%s", err, again.body)
			}
			wantRedirectTo(t, again, managePath(g.Token))
			if e.groups() != 1 || e.bookings() != 1 {
				t.Errorf("%d groups, %d bookings; want 1, 1", e.groups(), e.bookings())
			}
		})
	}
}
