package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// moveForm is the reschedule page's form for the date to, as the browser
// would post it (nil when the page does not offer that date).
func moveForm(p *page, to int64) (action string, form url.Values) {
	btn := p.doc.Find(`button[data-gb-move-to="` + itoa64(to) + `"]`)
	if btn.Length() == 0 {
		return "", nil
	}
	f := btn.Closest("form")
	form = url.Values{}
	f.Find("input[type=hidden]").Each(func(_ int, s *goqSel) { form.Set(s.AttrOr("name", ""), s.AttrOr("value", "")) })
	return f.AttrOr("action", ""), form
}

// moveTargets lists the event ids a reschedule page offers, in page order.
func moveTargets(p *page) []string {
	var ids []string
	p.doc.Find("button[data-gb-move-to]").Each(func(_ int, s *goqSel) { ids = append(ids, s.AttrOr("data-gb-move-to", "")) })
	return ids
}

// icsSequence parses a calendar file and returns each event's DTSTART and
// SEQUENCE.
func icsSequence(t *testing.T, body string) (starts []time.Time, seqs []string) {
	t.Helper()
	cal, err := ical.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("parse .ics: %v\n%s", err, body)
	}
	for _, ev := range cal.Events() {
		st, err := ev.DateTimeStart(time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		seq := ""
		if p := ev.Props.Get(ical.PropSequence); p != nil {
			seq = p.Value
		}
		starts, seqs = append(starts, st), append(seqs, seq)
	}
	return starts, seqs
}

// TestManageReschedule: the Change menu's Reschedule lists the dates the
// booking can move to by day; picking one moves it (seats on both events,
// the success alert naming the new time, the .ics at SEQUENCE 1); every
// refusal shows the page again with the reason and changes nothing.
func TestManageReschedule(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 5, 10) // cutoff on the link: 2 h; same team member only
		enableSMSFor(t, e.f)            // the client is told the new time
		full := evs[4]
		eszter, err := e.f.Store.CreateTeamMember(ctx, e.f.Location.ID, booking.TeamMemberInput{Name: "Eszter", Title: "Yoga teacher", ServiceIDs: []int64{e.f.Yoga.ID}})
		if err != nil {
			t.Fatal(err)
		}
		otherMember := e.f.Event(t, e.f.Yoga, eszter, evs[2].StartsAt.Add(2*time.Hour), 10)
		pilates := e.f.Event(t, e.f.Pilates, e.f.Marton, evs[2].StartsAt.Add(-2*time.Hour), 8)
		started := e.f.Event(t, e.f.Yoga, e.f.Sofie, booktest.Now.Add(-30*time.Minute), 10)
		manage := bookVia(t, e, "+36201234567", "2", evs[0], evs[1])
		other := bookVia(t, e, "+36301234567", "1", evs[3])
		bookVia(t, e, "+36701234567", "4", full)
		fill, err := e.f.Store.Event(ctx, full.ID)
		if err != nil {
			t.Fatal(err)
		}
		fill.Capacity = 4 // full now: the target list hides it, a post is refused
		if _, err := db.NewUpdate().Model(fill).Column("capacity").WherePK().Exec(ctx); err != nil {
			t.Fatal(err)
		}

		m := e.get(manage)
		ids := manageBookingIDs(m)
		if n := m.doc.Find("details[data-gb-change] a[data-gb-reschedule]").Length(); n != 2 {
			t.Fatalf("%d Reschedule entries, want 2", n)
		}
		page := e.get(m.doc.Find("a[data-gb-reschedule]").First().AttrOr("href", ""))
		if page.code != http.StatusOK {
			t.Fatalf("reschedule page: %d\n%s", page.code, page.body)
		}
		// Other dates of the same class and teacher, not where the client
		// already is, not full, not another class or teacher.
		if got, want := moveTargets(page), []string{itoa64(evs[2].ID), itoa64(evs[3].ID)}; !slices.Equal(got, want) {
			t.Errorf("targets %v, want %v", got, want)
		}
		if n := page.doc.Find("section.gb-day h2").Length(); n != 2 {
			t.Errorf("%d day headings, want 2", n)
		}
		if !strings.Contains(page.text("section.gb-day"), "10 seats left") {
			t.Errorf("seats left not shown: %q", page.text("section.gb-day"))
		}
		if uk := e.get(manage + "/move/" + ids[0] + "?lang=uk"); uk.text("h1") != "Перенесення запису" || len(moveTargets(uk)) != 2 ||
			uk.doc.Find(`form.gb-move input[name=lang][value=uk]`).Length() != 2 {
			t.Errorf("uk: %q, %d targets", uk.text("h1"), len(moveTargets(uk)))
		}
		action, form := moveForm(page, evs[2].ID)
		if action != manage+"/move" || form.Get("booking") != ids[0] || form.Get("from") != itoa64(evs[0].ID) {
			t.Fatalf("move form %s %v", action, form)
		}

		// Refusals: nothing moves.
		try := func(name string, mutate func(url.Values), want int, text string) {
			t.Helper()
			f := url.Values{}
			for k, v := range form {
				f[k] = slices.Clone(v)
			}
			mutate(f)
			r := e.post(action, f)
			if r.code != want {
				t.Errorf("%s: %d, want %d\n%s", name, r.code, want, r.text(".gb-alert"))
				return
			}
			if text != "" && !strings.Contains(r.text(".gb-alert--error"), text) {
				t.Errorf("%s: alert %q, want %q", name, r.text(".gb-alert--error"), text)
			}
		}
		otherID := manageBookingIDs(e.get(other))[0]
		try("another group's booking", func(f url.Values) { f.Set("booking", otherID) }, http.StatusNotFound, "")
		try("booking=abc", func(f url.Values) { f.Set("booking", "abc") }, http.StatusNotFound, "")
		try("full", func(f url.Values) { f.Set("to", itoa64(full.ID)) }, http.StatusConflict, "full")
		try("already booked there", func(f url.Values) { f.Set("to", itoa64(evs[1].ID)) }, http.StatusConflict, "already have")
		try("other class", func(f url.Values) { f.Set("to", itoa64(pilates.ID)) }, http.StatusUnprocessableEntity, "")
		try("other teacher", func(f url.Values) { f.Set("to", itoa64(otherMember.ID)) }, http.StatusUnprocessableEntity, "same instructor")
		try("no such event", func(f url.Values) { f.Set("to", "999999") }, http.StatusNotFound, "")
		try("started", func(f url.Values) { f.Set("to", itoa64(started.ID)) }, http.StatusConflict, "already started")
		try("stale from", func(f url.Values) { f.Set("from", itoa64(evs[1].ID)) }, http.StatusConflict, "changed meanwhile")
		for _, ev := range []*booking.Event{evs[0], evs[1], evs[2], full, pilates, otherMember, started} {
			want := map[int64]int{evs[0].ID: 2, evs[1].ID: 2, full.ID: 4}[ev.ID]
			if got := e.taken(ev); got != want {
				t.Errorf("event %d: %d seats taken after the refusals, want %d", ev.ID, got, want)
			}
		}

		if n := movedMessages(t, db); n != 0 {
			t.Errorf("%d moved messages after the refusals", n)
		}

		// The move.
		r := e.post(action, form)
		if r.code != http.StatusSeeOther {
			t.Fatalf("move: %d\n%s", r.code, r.text(".gb-alert"))
		}
		loc := r.hdr.Get("Location")
		if !strings.HasPrefix(loc, manage+"?") || !strings.Contains(loc, "moved="+ids[0]) {
			t.Errorf("redirect to %q", loc)
		}
		after := e.get(loc)
		if want := "Your booking was moved to " + shortWhen(e, evs[2].StartsAt) + "."; after.text(".gb-alert--success") != want {
			t.Errorf("alert %q, want %q", after.text(".gb-alert--success"), want)
		}
		lt := evs[2].StartsAt.In(e.f.Location.Zone())
		if got := after.text("#booking-" + ids[0] + " .gb-booking__when"); !strings.Contains(got, lt.Format("15:04")) || !strings.Contains(got, lt.Format("January")) {
			t.Errorf("moved booking shows %q", got)
		}
		if e.taken(evs[0]) != 0 || e.taken(evs[2]) != 2 {
			t.Errorf("seats after the move: %d on the old, %d on the new event", e.taken(evs[0]), e.taken(evs[2]))
		}
		if n := movedMessages(t, db); n != 1 {
			t.Errorf("%d moved messages after the move, want 1 (the new time, to the client)", n)
		}
		// The same form again (a double click, the back button): stale.
		again := e.post(action, form)
		if again.code != http.StatusConflict || !strings.Contains(again.text(".gb-alert--error"), "changed meanwhile") {
			t.Errorf("second post: %d %q", again.code, again.text(".gb-alert--error"))
		}
		if e.taken(evs[2]) != 2 || e.taken(evs[0]) != 0 {
			t.Error("the replayed move changed seats")
		}

		// Calendars update the event: SEQUENCE 1 for the moved booking.
		starts, seqs := icsSequence(t, e.get(manage+"/ics/"+ids[0]).body)
		if len(starts) != 1 || !starts[0].Equal(evs[2].StartsAt) || seqs[0] != "1" {
			t.Errorf("moved booking's .ics: %v %v", starts, seqs)
		}
		starts, seqs = icsSequence(t, e.get(manage+"/ics").body)
		for i := range starts {
			want := map[bool]string{true: "1", false: "0"}[starts[i].Equal(evs[2].StartsAt)]
			if seqs[i] != want && !(want == "0" && seqs[i] == "") {
				t.Errorf("all .ics: event at %v has SEQUENCE %q, want %s", starts[i], seqs[i], want)
			}
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Error(bad)
		}

		// Any team member: the other teacher's date is offered and taken.
		link := *e.f.Link
		link.RescheduleMode = booking.RescheduleAnyMember
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		page = e.get(manage + "/move/" + ids[1])
		if !slices.Contains(moveTargets(page), itoa64(otherMember.ID)) {
			t.Errorf("any member: targets %v lack the other teacher's date", moveTargets(page))
		}
		action, form = moveForm(page, otherMember.ID)
		if r := e.post(action, form); r.code != http.StatusSeeOther || e.taken(otherMember) != 2 {
			t.Errorf("move to the other teacher: %d, %d seats", r.code, e.taken(otherMember))
		}

		// Past the cutoff: no Reschedule, a note with until when, and the
		// page and a post refuse.
		e.f.Now = evs[2].StartsAt.Add(-time.Hour)
		late := e.get(manage)
		li := late.doc.Find("#booking-" + ids[0])
		until := shortWhen(e, evs[2].StartsAt.Add(-2*time.Hour))
		if li.Find("a[data-gb-reschedule]").Length() != 0 || !strings.Contains(li.Find("[data-gb-reschedule-note]").Text(), "possible until "+until) {
			t.Errorf("past the cutoff: %q", strings.Join(strings.Fields(li.Text()), " "))
		}
		if r := e.get(manage + "/move/" + ids[0]); r.code != http.StatusConflict || len(moveTargets(r)) != 0 {
			t.Errorf("reschedule page past the cutoff: %d, %d targets", r.code, len(moveTargets(r)))
		}
		if r := e.post(manage+"/move", url.Values{"booking": {ids[0]}, "from": {itoa64(evs[2].ID)}, "to": {itoa64(evs[3].ID)}}); r.code != http.StatusConflict || e.taken(evs[2]) != 2 {
			t.Errorf("move past the cutoff: %d", r.code)
		}
		// Its own cutoff of 30 minutes: moving is open again an hour
		// before, while cancelling stays closed.
		link.RescheduleOwnCutoff, link.RescheduleCutoffMin = true, 30
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		li = e.get(manage).doc.Find("#booking-" + ids[0])
		if li.Find("a[data-gb-reschedule]").Length() != 1 || li.Find("a[data-gb-cancel]").Length() != 0 || li.Find("[data-gb-reschedule-note]").Length() != 0 {
			t.Errorf("own cutoff: %q", strings.Join(strings.Fields(li.Text()), " "))
		}
		if r := e.get(manage + "/move/" + ids[0]); r.code != http.StatusOK || !slices.Contains(moveTargets(r), itoa64(evs[3].ID)) {
			t.Errorf("reschedule page under its own cutoff: %d, targets %v", r.code, moveTargets(r))
		}
		e.f.Now = booktest.Now

		// Rescheduling off on the link: no Reschedule anywhere.
		link.RescheduleMode = booking.RescheduleOff
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		if n := e.get(manage).doc.Find("a[data-gb-reschedule]").Length(); n != 0 {
			t.Errorf("%d Reschedule entries with rescheduling off", n)
		}
		if r := e.get(manage + "/move/" + ids[0]); r.code != http.StatusConflict {
			t.Errorf("reschedule page with rescheduling off: %d", r.code)
		}
		// Unknown tokens and bookings of other groups: 404.
		for _, path := range []string{"/m/nope/move/" + ids[0], manage + "/move/" + otherID, manage + "/move/abc"} {
			if r := e.get(path); r.code != http.StatusNotFound {
				t.Errorf("%s: %d", path, r.code)
			}
		}
	})
}

// TestManageRescheduleStaffBooking: a booking staff made at the desk came
// through no link, so its client may not move it online: no Reschedule in
// its Change menu, and the page and a post refuse without moving it.
func TestManageRescheduleStaffBooking(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 2, 10)
		res, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, Key: "desk-1",
			EventIDs: []int64{evs[0].ID}, Seats: 1, Client: booktest.Client(7), Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		manage, id := "/m/"+res.Group.Token, itoa64(res.Bookings[0].ID)
		if n := e.get(manage).doc.Find("a[data-gb-reschedule]").Length(); n != 0 {
			t.Errorf("%d Reschedule entries on a desk booking", n)
		}
		if r := e.get(manage + "/move/" + id); r.code != http.StatusConflict || len(moveTargets(r)) != 0 {
			t.Errorf("reschedule page of a desk booking: %d, %d targets", r.code, len(moveTargets(r)))
		}
		r := e.post(manage+"/move", url.Values{"booking": {id}, "from": {itoa64(evs[0].ID)}, "to": {itoa64(evs[1].ID)}})
		if r.code != http.StatusConflict || e.taken(evs[0]) != 1 || e.taken(evs[1]) != 0 {
			t.Errorf("move of a desk booking: %d; seats %d, %d", r.code, e.taken(evs[0]), e.taken(evs[1]))
		}
	})
}

// TestManageRescheduleRace: the same booking's reschedule forms posted at
// once to different dates (two tabs, a double click) move it exactly once;
// every other post is refused with a 4xx and no seat is lost or doubled.
func TestManageRescheduleRace(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 7, 10)
		manage := bookVia(t, e, "+36201234567", "2", evs[0])
		page := e.get(manage + "/move/" + manageBookingIDs(e.get(manage))[0])
		type post struct {
			action string
			form   url.Values
		}
		var posts []post
		for _, ev := range evs[1:] {
			a, f := moveForm(page, ev.ID)
			if f == nil {
				t.Fatalf("event %d not offered", ev.ID)
			}
			posts = append(posts, post{a, f})
		}
		codes := make([]int, len(posts))
		var wg sync.WaitGroup
		for i, p := range posts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = e.postQuiet(p.action, p.form)
			}()
		}
		wg.Wait()
		moved := 0
		for _, c := range codes {
			switch {
			case c == http.StatusSeeOther:
				moved++
			case c < 400 || c >= 500:
				t.Errorf("a racing post answered %d", c)
			}
		}
		taken := 0
		for _, ev := range evs {
			taken += e.taken(ev)
		}
		if moved != 1 || taken != 2 || e.taken(evs[0]) != 0 {
			t.Errorf("%d moves (codes %v), %d seats taken in all, %d on the old event", moved, codes, taken, e.taken(evs[0]))
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Error(bad)
		}
	})
}

// postQuiet posts a form from any goroutine and returns only the status:
// e.post reports through t, which only the test's goroutine may stop.
func (e *widgetEnv) postQuiet(path string, form url.Values) int {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	return w.Code
}

// movedMessages counts the "moved" messages in the outbox.
func movedMessages(t *testing.T, db *bun.DB) int {
	t.Helper()
	n, err := db.NewSelect().Model((*booking.OutboxMessage)(nil)).Where("kind = ?", booking.SMSMoved).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
