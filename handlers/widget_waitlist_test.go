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

// waitlistLink turns the fixture link's waitlist on (and SMS confirmation
// when sms).
func waitlistLink(t *testing.T, e *widgetEnv, sms bool) {
	t.Helper()
	link := *e.f.Link
	link.Waitlist, link.SMSConfirm = true, sms
	if err := e.f.Store.SaveLink(context.Background(), &link); err != nil {
		t.Fatal(err)
	}
	*e.f.Link = link
}

// fullEvent is a Yoga event of capacity seats all taken by client n's
// booking, which it returns with the event.
func fullEvent(t *testing.T, e *widgetEnv, capacity, n int) (*booking.Event, *booking.Reservation) {
	t.Helper()
	ev := e.f.YogaEvents(t, 1, capacity)[0]
	res, err := e.f.Store.Reserve(context.Background(), booking.ReserveRequest{
		LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: []int64{ev.ID}, Seats: capacity, Client: booktest.Client(n), Lang: "en",
	})
	if err != nil {
		t.Fatal(err)
	}
	return ev, res
}

// entries reads the event's waitlist entries in position order.
func (e *widgetEnv) entries(ev *booking.Event) []booking.WaitlistEntry {
	e.t.Helper()
	var out []booking.WaitlistEntry
	if err := e.db.NewSelect().Model(&out).Where("event_id = ?", ev.ID).Order("position").Scan(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// formOf is the values of the page's form (inputs and textareas).
func formOf(p *page, sel string) url.Values {
	out := url.Values{}
	p.doc.Find(sel + " input").Each(func(_ int, s *goqSel) {
		if name, ok := s.Attr("name"); ok {
			v, _ := s.Attr("value")
			out.Set(name, v)
		}
	})
	return out
}

// join walks the waitlist's contact step for seats and submits it with
// phone, returning the answer.
func (e *widgetEnv) join(ev *booking.Event, seats, phone string) *page {
	e.t.Helper()
	step := e.get("/w/sunrise/waitlist?event=" + itoa64(ev.ID) + "&seats=" + seats)
	if step.code != http.StatusOK {
		e.t.Fatalf("waitlist contact step: %d\n%s", step.code, step.body)
	}
	form := contact(step.hidden("s"))
	form.Set("phone", phone)
	return e.post("/w/sunrise/waitlist", form)
}

// wlToken is the waitlist token a join's redirect leads to.
func wlToken(t *testing.T, p *page) string {
	t.Helper()
	if p.code != http.StatusSeeOther || !strings.HasPrefix(p.hdr.Get("Location"), "/wl/") {
		t.Fatalf("join: %d %q\n%s", p.code, p.hdr.Get("Location"), p.body)
	}
	u, _ := url.Parse(p.hdr.Get("Location"))
	return strings.TrimPrefix(u.Path, "/wl/")
}

func TestWaitlistJoinOfferClaim(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		waitlistLink(t, e, false)
		ev, first := fullEvent(t, e, 3, 1)
		// Book another on a later date's page links the full date to its
		// page, where its waitlist is.
		later := e.f.Event(t, e.f.Yoga, e.f.Sofie, ev.StartsAt.AddDate(0, 0, 1), 5)
		if href, _ := e.get("/w/sunrise/e/" + itoa64(later.ID)).doc.Find("[data-gb-wl-date]").Attr("href"); !strings.HasPrefix(href, "/w/sunrise/e/"+itoa64(ev.ID)) {
			t.Errorf("Book another's full date links to %q", href)
		}

		// The list says full with a waitlist, and the row opens the event.
		list := e.get("/w/sunrise")
		row := list.doc.Find(`a.gb-event[href*="/e/` + itoa64(ev.ID) + `"]`)
		if row.Length() != 1 || !strings.Contains(row.Text(), "Full · waitlist") {
			t.Fatalf("list row of the full event: %q", list.text(".gb-event"))
		}
		// The event page offers the waitlist with 1..3 seats (the event
		// holds 3, the link allows 4).
		page := e.get("/w/sunrise/e/" + itoa64(ev.ID))
		in := page.doc.Find("[data-gb-waitlist] input[name=seats]")
		if mn, _ := in.Attr("min"); mn != "1" {
			t.Errorf("waitlist stepper min %q", mn)
		}
		if mx, _ := in.Attr("max"); mx != "3" {
			t.Errorf("waitlist stepper max %q", mx)
		}
		// The contact step asks no comment and joins at /waitlist.
		step := e.get("/w/sunrise/waitlist?event=" + itoa64(ev.ID) + "&seats=2")
		if act, _ := step.doc.Find("form.gb-contact").Attr("action"); act != "/w/sunrise/waitlist" || step.doc.Find("#gb-comment").Length() != 0 {
			t.Fatalf("waitlist contact step: action %q, comment field %d", act, step.doc.Find("#gb-comment").Length())
		}
		// Two join: 2 seats, then 3 seats.
		tok := wlToken(t, e.join(ev, "2", "06 20 123 4567"))
		second := wlToken(t, e.join(ev, "3", "06 20 765 4321"))
		if got := e.entries(ev); len(got) != 2 || got[0].Seats != 2 || got[0].State != booking.WaitWaiting || got[1].Seats != 3 {
			t.Fatalf("entries: %+v", got)
		}
		if e.bookings() != 1 {
			t.Fatal("joining booked something")
		}
		wl := e.get("/wl/" + second + "?new=1")
		if wl.code != http.StatusOK || !strings.Contains(wl.text("[data-gb-wl-place]"), "number 2 in line") || !strings.Contains(wl.text(".gb-alert--success"), "on the waitlist") {
			t.Fatalf("second's page: %d %q", wl.code, wl.text("main"))
		}
		// Staff cancel the 3 seats: the first (2 seats) is offered; the
		// second (3) does not fit the one seat left and keeps its place.
		if _, err := e.f.Store.CancelByAdmin(context.Background(), first.Bookings[0].ID); err != nil {
			t.Fatal(err)
		}
		wl = e.get("/wl/" + tok)
		if !strings.Contains(wl.text("[data-gb-wl-offer]"), "2 seats are held for you until") || wl.doc.Find("[data-gb-wl-claim]").Length() != 1 {
			t.Fatalf("offer page: %q", wl.text("main"))
		}
		if got := e.entries(ev); got[1].State != booking.WaitWaiting {
			t.Fatalf("the party that does not fit: %s", got[1].State)
		}
		// One seat is left (two are held for the offer): the page books
		// one, and takes larger parties (2..3) on the waitlist.
		page = e.get("/w/sunrise/e/" + itoa64(ev.ID))
		in = page.doc.Find("[data-gb-waitlist] input[name=seats]")
		if mn, _ := in.Attr("min"); mn != "2" || page.doc.Find(`form.gb-select[action$="/contact"]`).Length() != 1 {
			t.Errorf("partly full: waitlist min %q, booking forms %d", mn, page.doc.Find(`form.gb-select[action$="/contact"]`).Length())
		}
		// Book them: the contact step is filled from the entry (the phone
		// is not in the address), the offer's seats are fixed.
		claimURL, _ := wl.doc.Find("[data-gb-wl-claim]").Attr("href")
		if strings.Contains(claimURL, "phone") || strings.Contains(claimURL, "3620") {
			t.Fatalf("claim link carries the phone: %q", claimURL)
		}
		claim := e.get(claimURL)
		form := formOf(claim, "form.gb-contact")
		if claim.code != http.StatusOK || form.Get("phone") != verifyPhone || form.Get("first_name") != "Anna" {
			t.Fatalf("claim step: %d %v", claim.code, form)
		}
		done := e.post("/w/sunrise/book", form)
		if done.code != http.StatusSeeOther || !strings.HasPrefix(done.hdr.Get("Location"), "/m/") {
			t.Fatalf("claim: %d %q\n%s", done.code, done.hdr.Get("Location"), done.body)
		}
		manage := e.get(done.hdr.Get("Location"))
		if !strings.Contains(manage.text(".gb-booking"), "2 seats") {
			t.Errorf("manage page: %q", manage.text(".gb-bookings"))
		}
		if got := e.entries(ev); got[0].State != booking.WaitBooked || e.taken(ev) != 2 {
			t.Fatalf("after the claim: %s, %d taken", got[0].State, e.taken(ev))
		}
		wl = e.get("/wl/" + tok)
		if href, _ := wl.doc.Find("[data-gb-wl-manage]").Attr("href"); !strings.HasPrefix(href, strings.Split(done.hdr.Get("Location"), "?")[0]) {
			t.Errorf("booked page links to %q", href)
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}

func TestWaitlistRefusals(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		ev, _ := fullEvent(t, e, 3, 1)
		path := "/w/sunrise/waitlist?event=" + itoa64(ev.ID) + "&seats="
		// Waitlist off: no form, and the step refuses.
		if p := e.get("/w/sunrise/e/" + itoa64(ev.ID)); p.doc.Find("[data-gb-waitlist]").Length() != 0 {
			t.Fatal("waitlist form on a link without waitlist")
		}
		if p := e.get(path + "1"); p.code != http.StatusConflict || !strings.Contains(p.text(".gb-alert--error"), "no waitlist") {
			t.Fatalf("waitlist off: %d %q", p.code, p.text(".gb-alert--error"))
		}
		waitlistLink(t, e, false)
		// More than the link allows, more than the event holds: at the field.
		if p := e.get(path + "5"); p.code != http.StatusUnprocessableEntity || p.text("#gb-wl-seats-error") == "" {
			t.Fatalf("5 seats: %d %q", p.code, p.text("#gb-wl-seats-error"))
		}
		if p := e.get(path + "4"); p.code != http.StatusUnprocessableEntity || !strings.Contains(p.text("#gb-wl-seats-error"), "does not have that many seats") {
			t.Fatalf("party too large: %d %q", p.code, p.text("#gb-wl-seats-error"))
		}
		// Seats free for the party: book them instead.
		open := e.f.YogaEvents(t, 1, 3)[0]
		if p := e.get("/w/sunrise/waitlist?event=" + itoa64(open.ID) + "&seats=2"); p.code != http.StatusConflict ||
			!strings.Contains(p.text(".gb-alert--error"), "Seats are available") || p.doc.Find(`form.gb-select[action$="/contact"]`).Length() != 1 {
			t.Fatalf("seats available: %d %q", p.code, p.text(".gb-alert--error"))
		}
		// A bad contact: at its field, nothing written.
		step := e.get(path + "1")
		bad := contact(step.hidden("s"))
		bad.Set("phone", "12")
		if p := e.post("/w/sunrise/waitlist", bad); p.code != http.StatusUnprocessableEntity || p.text("#gb-phone-error") == "" || len(e.entries(ev)) != 0 {
			t.Fatalf("bad phone: %d %q", p.code, p.text("#gb-phone-error"))
		}
		// Joining twice without a confirmed phone: refused at the phone,
		// without a way to the other place.
		tok := wlToken(t, e.join(ev, "1", "06 20 123 4567"))
		twice := e.join(ev, "2", "06 20 123 4567")
		if twice.code != http.StatusConflict || twice.text("#gb-phone-error") == "" || strings.Contains(twice.body, tok) {
			t.Fatalf("joining twice: %d %q", twice.code, twice.text("#gb-phone-error"))
		}
		// The line is full (the location takes one).
		if _, err := db.NewUpdate().Table("locations").Set("waitlist_max = 1").Where("id = ?", e.f.Location.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		if p := e.join(ev, "1", "06 20 765 4321"); p.code != http.StatusConflict || !strings.Contains(p.text("#gb-wl-seats-error"), "waitlist for this class is full") {
			t.Fatalf("line full: %d %q", p.code, p.text("#gb-wl-seats-error"))
		}
		if n := len(e.entries(ev)); n != 1 {
			t.Fatalf("%d entries after the refusals", n)
		}
		// A waitlist form posted to the booking route books nothing.
		if p := e.post("/w/sunrise/book", contact(step.hidden("s"))); p.code != http.StatusBadRequest || e.bookings() != 1 {
			t.Fatalf("waitlist token at /book: %d", p.code)
		}
	})
}

func TestWaitlistLeaveDeclineAndClaimRefusals(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		waitlistLink(t, e, false)
		ev, first := fullEvent(t, e, 2, 1)
		a := wlToken(t, e.join(ev, "1", "06 20 123 4567"))
		b := wlToken(t, e.join(ev, "1", "06 20 765 4321"))
		c := wlToken(t, e.join(ev, "2", "06 20 111 2222"))
		// Leave takes two steps: the first only asks.
		ask := e.post("/wl/"+c+"/leave", url.Values{})
		if ask.code != http.StatusOK || ask.doc.Find("[data-gb-wl-leave-sure]").Length() != 1 || e.entries(ev)[2].State != booking.WaitWaiting {
			t.Fatalf("leave, first step: %d %s", ask.code, e.entries(ev)[2].State)
		}
		left := e.post("/wl/"+c+"/leave", url.Values{"sure": {"1"}})
		if left.code != http.StatusSeeOther || e.entries(ev)[2].State != booking.WaitLeft {
			t.Fatalf("leave: %d %s", left.code, e.entries(ev)[2].State)
		}
		if again := e.post("/wl/"+c+"/leave", url.Values{"sure": {"1"}}); again.code != http.StatusSeeOther {
			t.Errorf("leaving twice: %d", again.code)
		}
		if p := e.get(left.hdr.Get("Location")); !strings.Contains(p.text(".gb-alert--success"), "no longer on the waitlist") || p.doc.Find("[data-gb-wl-leave]").Length() != 0 {
			t.Errorf("after leaving: %q", p.text("main"))
		}
		// One seat frees: a is offered. Claiming with another phone is
		// refused at the phone, nothing booked.
		if _, err := e.f.Store.ChangeSeats(context.Background(), first.Bookings[0].ID, 1); err != nil {
			t.Fatal(err)
		}
		if got := e.entries(ev); got[0].State != booking.WaitOffered {
			t.Fatalf("a: %s", got[0].State)
		}
		claim := e.get("/wl/" + a + "/claim")
		form := formOf(claim, "form.gb-contact")
		form.Set("phone", "06 20 999 8888")
		before := e.bookings()
		if p := e.post("/w/sunrise/book", form); p.code != http.StatusUnprocessableEntity || !strings.Contains(p.text("#gb-phone-error"), "phone number that joined") || e.bookings() != before {
			t.Fatalf("claim with another phone: %d %q", p.code, p.text("#gb-phone-error"))
		}
		// a declines ("No thanks", then confirm): b is offered.
		if p := e.post("/wl/"+a+"/leave", url.Values{}); p.doc.Find("[data-gb-wl-leave-sure]").Length() != 1 {
			t.Fatalf("decline asks: %d", p.code)
		}
		e.post("/wl/"+a+"/leave", url.Values{"sure": {"1"}})
		if got := e.entries(ev); got[0].State != booking.WaitLeft || got[1].State != booking.WaitOffered {
			t.Fatalf("after declining: %s %s", got[0].State, got[1].State)
		}
		// a's claim step and its old form are refused: the offer is gone.
		if p := e.get("/wl/" + a + "/claim"); p.code != http.StatusConflict || !strings.Contains(p.text(".gb-alert--error"), "no longer valid") {
			t.Fatalf("claim after declining: %d %q", p.code, p.text(".gb-alert--error"))
		}
		form.Set("phone", "06 20 123 4567")
		if p := e.post("/w/sunrise/book", form); p.code != http.StatusConflict || !strings.Contains(p.text(".gb-alert--error"), "no longer valid") || e.bookings() != before {
			t.Fatalf("old claim form: %d %q", p.code, p.text(".gb-alert--error"))
		}
		if p := e.get("/wl/no-such-token"); p.code != http.StatusNotFound {
			t.Errorf("unknown token: %d", p.code)
		}
		_ = b
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}

func TestWaitlistPhoneConfirmation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		waitlistLink(t, e, true)
		ev, first := fullEvent(t, e, 2, 1)
		code := e.join(ev, "1", "06 20 123 4567")
		if code.code != http.StatusOK || code.hidden("p") == "" || len(e.entries(ev)) != 0 || !strings.Contains(code.text("main"), "to join the waitlist") {
			t.Fatalf("join with SMS confirmation: %d\n%s", code.code, code.body)
		}
		done := e.post("/w/sunrise/verify", url.Values{"p": {code.hidden("p")}, "code": {e.codes.Code(verifyPhone)}})
		tok := wlToken(t, done)
		// The confirmed phone joins again (with its proof): it is shown
		// the way to its place.
		loc, _ := url.Parse(done.hdr.Get("Location"))
		q := url.Values{"pv": {loc.Query().Get("pv")}}
		step := e.get("/w/sunrise/waitlist?event=" + itoa64(ev.ID) + "&seats=2&" + q.Encode())
		form := contact(step.hidden("s"))
		form.Set("pv", q.Get("pv"))
		again := e.post("/w/sunrise/waitlist", form)
		href, _ := again.doc.Find("[data-gb-wl-existing] a").Attr("href")
		if again.code != http.StatusConflict || !strings.Contains(href, "/wl/"+tok) {
			t.Fatalf("joining twice, confirmed: %d %q\n%s", again.code, href, again.body)
		}
		if n := len(e.entries(ev)); n != 1 {
			t.Fatalf("%d entries", n)
		}
		// A seat frees; the claim confirms the phone by code too (a new
		// visit: no proof carried) and books.
		if _, err := e.f.Store.ChangeSeats(context.Background(), first.Bookings[0].ID, 1); err != nil {
			t.Fatal(err)
		}
		claim := e.get("/wl/" + tok + "/claim")
		form = formOf(claim, "form.gb-contact")
		e.f.Now = e.f.Now.Add(31 * time.Second) // past the code's cooldown
		code = e.post("/w/sunrise/book", form)
		if code.code != http.StatusOK || code.hidden("p") == "" || e.bookings() != 1 {
			t.Fatalf("claim with SMS confirmation: %d, %d bookings\n%s", code.code, e.bookings(), code.body)
		}
		booked := e.post("/w/sunrise/verify", url.Values{"p": {code.hidden("p")}, "code": {e.codes.Code(verifyPhone)}})
		if booked.code != http.StatusSeeOther || !strings.HasPrefix(booked.hdr.Get("Location"), "/m/") || e.bookings() != 2 {
			t.Fatalf("claim confirmed: %d %q", booked.code, booked.hdr.Get("Location"))
		}
		if got := e.entries(ev); got[0].State != booking.WaitBooked {
			t.Fatalf("entry after the claim: %s", got[0].State)
		}
	})
}

func TestWaitlistFirstClaim(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		waitlistLink(t, e, false)
		if _, err := db.NewUpdate().Table("locations").Set("waitlist_mode = ?", booking.WaitlistFirstClaim).Where("id = ?", e.f.Location.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		ev, first := fullEvent(t, e, 2, 1)
		tok := wlToken(t, e.join(ev, "1", "06 20 123 4567"))
		if p := e.get("/wl/" + tok); !strings.Contains(p.text(".gb-hint"), "whoever books them first") {
			t.Errorf("first-claim waiting hint: %q", p.text(".gb-hint"))
		}
		if _, err := e.f.Store.ChangeSeats(context.Background(), first.Bookings[0].ID, 1); err != nil {
			t.Fatal(err)
		}
		// Nothing is held: the seat stays free, the page says the first
		// to book gets it, and the claim books it.
		p := e.get("/wl/" + tok)
		if !strings.Contains(p.text("[data-gb-wl-offer]"), "whoever books first") || e.taken(ev) != 1 {
			t.Fatalf("first-claim offer: %q, %d taken", p.text("[data-gb-wl-offer]"), e.taken(ev))
		}
		done := e.post("/w/sunrise/book", formOf(e.get("/wl/"+tok+"/claim"), "form.gb-contact"))
		if done.code != http.StatusSeeOther || e.taken(ev) != 2 || e.entries(ev)[0].State != booking.WaitBooked {
			t.Fatalf("first-claim claim: %d, %d taken\n%s", done.code, e.taken(ev), done.body)
		}
	})
}
