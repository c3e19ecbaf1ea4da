package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// waitlistURL is the address of an action on a waitlist entry of ev.
func waitlistURL(ev *booking.Event, entry *booking.WaitlistEntry, action string) string {
	return fmt.Sprintf("/admin/events/%d/waitlist/%d/%s", ev.ID, entry.ID, action)
}

// waitlistEntry reads an entry as stored.
func (e *eventEnv) waitlistEntry(id int64) booking.WaitlistEntry {
	e.t.Helper()
	var w booking.WaitlistEntry
	if err := e.db.NewSelect().Model(&w).Where("id = ?", id).Scan(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return w
}

// waitlistRows are the rows of the window's waitlist, as "place name
// party state" lines.
func waitlistRows(p *page) []string {
	var out []string
	p.doc.Find("#gae-waitlist tbody tr").Each(func(_ int, s *goqSel) {
		cell := func(sel string) string { return strings.Join(strings.Fields(s.Find(sel).Text()), " ") }
		out = append(out, strings.Join([]string{cell(".gae-wl__pos"), cell(".gae-name"), cell(".gae-wl__party"), cell(".gae-wl__badge")}, " | "))
	})
	return out
}

func TestAdminEventWaitlist(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail) // staff run the waitlist
		ctx := context.Background()
		ev := e.yoga[0]
		e.f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		e.f.Fill(t, ev)
		join := func(n, seats int, first string) *booking.WaitlistEntry {
			req := e.f.JoinRequest(n, seats, ev)
			req.Client.FirstName = first
			w, err := e.f.Store.JoinWaitlist(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			return w
		}
		a, b, c := join(21, 2, "Ada"), join(22, 1, "Bea"), join(23, 3, "Cili")

		p := e.c.get(e.url(ev))
		if p.code != http.StatusOK {
			t.Fatalf("window: %d\n%s", p.code, p.body)
		}
		want := []string{"1 | Ada Kovács | 2 seats | Waiting", "2 | Bea Kovács | 1 seat | Waiting", "3 | Cili Kovács | 3 seats | Waiting"}
		if got := waitlistRows(p); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("waitlist rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if got := p.text("#gae-wl-title .ga-badge"); got != "3" {
			t.Errorf("in line: %q", got)
		}
		if got := p.text("#waitlist-" + itoa64(a.ID) + " .gae-phone"); got != "+36 20 100 0021" {
			t.Errorf("phone %q", got)
		}
		first, last := "#waitlist-"+itoa64(a.ID), "#waitlist-"+itoa64(c.ID)
		if p.doc.Find(first+` form[action$="/up"] button[disabled]`).Length() != 1 || p.doc.Find(last+` form[action$="/down"] button[disabled]`).Length() != 1 ||
			p.doc.Find(first+` form[action$="/down"] button[disabled]`).Length() != 0 {
			t.Error("up/down are not disabled exactly at the ends of the line")
		}
		if n := p.doc.Find(first + ` form[method=post] input[name=_csrf]`).Length(); n != 4 {
			t.Errorf("%d of the row's 4 forms carry the CSRF token", n)
		}

		// Down, with htmx: the clients block comes back with the new order.
		r := e.c.post(waitlistURL(ev, a, "down"), url.Values{}, htmx...)
		if r.code != http.StatusOK || !strings.Contains(r.text(".gb-alert--success"), "Waitlist order changed.") {
			t.Fatalf("down: %d %q\n%s", r.code, r.text(".gb-alert"), r.body)
		}
		if got := waitlistRows(r); len(got) != 3 || !strings.HasPrefix(got[0], "1 | Bea") || !strings.HasPrefix(got[1], "2 | Ada") {
			t.Errorf("after down: %q", got)
		}

		// Remove, as a plain form: redirected back with the message.
		r = e.c.post(waitlistURL(ev, c, "remove"), url.Values{})
		if r.code != http.StatusSeeOther || r.hdr.Get("Location") != e.url(ev)+"?done=wl_removed#gae-waitlist" {
			t.Fatalf("remove: %d to %q", r.code, r.hdr.Get("Location"))
		}
		p = e.c.get(e.url(ev) + "?done=wl_removed")
		if !strings.Contains(p.text(".gb-alert--success"), "Removed from the waitlist.") {
			t.Errorf("no removed message: %q", p.text(".gb-alert"))
		}
		if got := e.waitlistEntry(c.ID).State; got != booking.WaitRemoved {
			t.Errorf("removed entry is %s", got)
		}
		if row := p.doc.Find(last); row.Find("form").Length() != 0 || !strings.Contains(row.Text(), "Removed") || !strings.Contains(row.Text(), "—") {
			t.Errorf("a removed entry keeps its actions or place: %q", strings.Join(strings.Fields(row.Text()), " "))
		}
		// Removing it again: someone got there first, nothing changes.
		r = e.c.post(waitlistURL(ev, c, "remove"), url.Values{}, htmx...)
		if r.code != http.StatusConflict || !strings.Contains(r.text("#waitlist-"+itoa64(c.ID)+"-error"), "changed meanwhile") {
			t.Errorf("second remove: %d %q", r.code, r.text(".gb-error"))
		}

		// A cancel frees one seat: Bea (1 seat, first in line) is offered it
		// until 12:00 in Budapest (09:00 UTC plus the two-hour window).
		if _, err := e.f.Store.CancelByAdmin(ctx, e.kid.ID); err != nil {
			t.Fatal(err)
		}
		p = e.c.get(e.url(ev))
		if got := p.text("#gae-held"); got != "1 seat held for the waitlist" {
			t.Errorf("held: %q", got)
		}
		bea := p.doc.Find("#waitlist-" + itoa64(b.ID))
		if bea.Find(`form[action$="/book"] button[disabled]`).Length() != 0 {
			t.Error("move in is disabled for an offer holding its seat")
		}
		if got := strings.Join(strings.Fields(bea.Find(".gae-wl__state").Text()), " "); !strings.HasPrefix(got, "Offered until") || !strings.HasSuffix(got, "12:00") {
			t.Errorf("offer shown as %q", got)
		}
		e.invariant()

		// Move Bea in: her offered seat becomes a booking.
		before := e.bookings()
		r = e.c.post(waitlistURL(ev, b, "book"), url.Values{}, htmx...)
		if r.code != http.StatusOK || !strings.Contains(r.text(".gb-alert--success"), "Moved in from the waitlist.") {
			t.Fatalf("book: %d %q\n%s", r.code, r.text(".gb-alert"), r.body)
		}
		if e.bookings() != before+1 || e.waitlistEntry(b.ID).State != booking.WaitBooked {
			t.Fatalf("book: %d bookings (was %d), entry %s", e.bookings(), before, e.waitlistEntry(b.ID).State)
		}
		if !strings.Contains(r.text("#gae-clients table tbody"), "Bea Kovács") || r.doc.Find("#gae-held").Length() != 0 {
			t.Error("the booked client is not in the list, or a seat is still shown held")
		}
		e.invariant()

		// Ada's party of 2 does not fit: the button says so, and a post
		// anyway is refused at her row, nothing booked.
		if got := r.doc.Find("#waitlist-"+itoa64(a.ID)+` form[action$="/book"] button[disabled]`).AttrOr("title", ""); got != "Not enough free seats for a party of 2: 0 free." {
			t.Errorf("move in for a party that does not fit: title %q", got)
		}
		before = e.bookings()
		r = e.c.post(waitlistURL(ev, a, "book"), url.Values{}, htmx...)
		if r.code != http.StatusConflict || r.text("#waitlist-"+itoa64(a.ID)+"-error") != "Not enough free seats for a party of 2: 0 free." {
			t.Errorf("book without seats: %d %q", r.code, r.text(".gb-error"))
		}
		if e.bookings() != before || e.waitlistEntry(a.ID).State != booking.WaitWaiting {
			t.Error("a refused move-in booked or changed the entry")
		}

		// Entries are only reachable through their own event.
		for _, path := range []string{
			waitlistURL(e.yoga[1], a, "remove"), waitlistURL(e.pilates, a, "book"),
			fmt.Sprintf("/admin/events/%d/waitlist/x/up", ev.ID), fmt.Sprintf("/admin/events/%d/waitlist/999999/down", ev.ID),
		} {
			if r := e.c.post(path, url.Values{}); r.code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, r.code)
			}
		}
		if got := e.waitlistEntry(a.ID); got.State != booking.WaitWaiting {
			t.Errorf("a refused request changed the entry: %s", got.State)
		}
		// A wrong CSRF token, or a post from another site: refused.
		if r := e.c.post(waitlistURL(ev, a, "remove"), url.Values{"_csrf": {"forged"}}); r.code != http.StatusForbidden {
			t.Errorf("forged CSRF token: %d", r.code)
		}
		if r := e.c.post(waitlistURL(ev, a, "book"), url.Values{}, "Sec-Fetch-Site", "cross-site"); r.code != http.StatusForbidden {
			t.Errorf("cross-site post: %d", r.code)
		}
		// Signed out: sent to sign in, nothing changes.
		anon := &adminClient{e: e.adminEnv, ip: "192.0.2.99"}
		if r := anon.post(waitlistURL(ev, a, "remove"), url.Values{}); r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login") {
			t.Errorf("anonymous remove: %d to %q", r.code, r.hdr.Get("Location"))
		}
		if e.waitlistEntry(a.ID).State != booking.WaitWaiting {
			t.Error("an anonymous request removed the entry")
		}
		e.invariant()
	})
}

// An event's minimum override is set on the event form, checked at the
// field, and the window warns while the event is below it.
func TestAdminEventMinimum(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, ownerEmail)
		ctx := context.Background()
		ev := e.pilates // capacity 8, nothing booked; 19:00 in Budapest on 5 March
		edit := schedEventPath(ev.ID, "edit")
		form := func(min string) url.Values {
			return url.Values{"team_member_id": {itoa64(e.f.Marton.ID)}, "date": {"2026-03-05"}, "start_time": {"19:00"},
				"duration_min": {"50"}, "capacity": {"8"}, "min_attendees": {min}}
		}
		p := e.c.get(edit)
		if p.code != http.StatusOK || p.doc.Find("#gb-min_attendees").AttrOr("value", "?") != "" || p.doc.Find("#gb-min_attendees").AttrOr("placeholder", "") != "0" {
			t.Fatalf("edit form: %d, min %q placeholder %q", p.code, p.doc.Find("#gb-min_attendees").AttrOr("value", "?"), p.doc.Find("#gb-min_attendees").AttrOr("placeholder", ""))
		}
		if e.c.get(e.url(ev)).doc.Find("#gae-min").Length() != 0 {
			t.Error("an event without a minimum shows the minimum banner")
		}
		for _, tc := range []struct{ value, msg string }{
			{"some", settingsMsg(t, "admin_settings_error_whole_number")},
			{"-2", settingsMsg(t, booking.MsgOutOfRange)},
			{"9", settingsMsg(t, booking.MsgMinAboveCapacity)},
		} {
			r := e.c.post(edit, form(tc.value))
			if r.code != http.StatusUnprocessableEntity || r.text("#gb-min_attendees-error") != tc.msg {
				t.Errorf("min %q: %d %q, want 422 %q", tc.value, r.code, r.text("#gb-min_attendees-error"), tc.msg)
			}
			if r.doc.Find("#gb-min_attendees").AttrOr("value", "") != tc.value {
				t.Errorf("min %q not shown back", tc.value)
			}
			if got := schedLoad(e.adminEnv, ev.ID); got.MinAttendees != nil {
				t.Fatalf("min %q refused but saved %d", tc.value, *got.MinAttendees)
			}
		}
		if r := e.c.post(edit, form("3")); r.code != http.StatusSeeOther {
			t.Fatalf("save min 3: %d\n%s", r.code, r.body)
		}
		if got := schedLoad(e.adminEnv, ev.ID).MinAttendees; got == nil || *got != 3 {
			t.Fatalf("saved minimum %v", got)
		}
		if v := e.c.get(edit).doc.Find("#gb-min_attendees").AttrOr("value", ""); v != "3" {
			t.Errorf("edit form shows min %q", v)
		}

		// Below the minimum: a warning with the decision time (3 h before).
		p = e.c.get(e.url(ev))
		if got := p.text("#gae-min.gae-min--warn"); !strings.HasPrefix(got, "Below its minimum: 0 of 3 seats booked.") || !strings.Contains(got, "16:00") {
			t.Errorf("banner %q", got)
		}
		if got := p.text("#gae-min-fact"); !strings.HasPrefix(got, "3, decided on ") || !strings.HasSuffix(got, " at 16:00") {
			t.Errorf("minimum fact %q", got)
		}
		// Staff were warned at the decision time: the banner says so.
		setState := func(s booking.MinState) {
			if _, err := db.NewUpdate().Model((*booking.Event)(nil)).Set("min_state = ?", s).Where("id = ?", ev.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		setState(booking.MinWarned)
		if got := e.c.get(e.url(ev)).text("#gae-min.gae-min--error"); !strings.HasPrefix(got, "This class did not reach its minimum: 0 of 3") {
			t.Errorf("warned banner %q", got)
		}
		// Decided to run, or enough booked: no banner.
		setState(booking.MinOK)
		if e.c.get(e.url(ev)).doc.Find("#gae-min").Length() != 0 {
			t.Error("an event decided to run shows the banner")
		}
		setState(booking.MinUndecided)
		schedBook(e.adminEnv, 31, 3, ev)
		if e.c.get(e.url(ev)).doc.Find("#gae-min").Length() != 0 {
			t.Error("an event at its minimum shows the banner")
		}
		// Emptying the field gives the event the service's minimum again.
		if r := e.c.post(edit, form("")); r.code != http.StatusSeeOther {
			t.Fatalf("clear min: %d", r.code)
		}
		if got := schedLoad(e.adminEnv, ev.ID).MinAttendees; got != nil {
			t.Errorf("cleared minimum kept %d", *got)
		}
	})
}

// A new event or weekly series takes a minimum override from the create
// form; a bad one is refused at the field and nothing is created.
func TestAdminNewEventMinimum(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		c := e.signIn(ownerEmail)
		series := url.Values{"repeat": {"weekly"}, "service_id": {itoa64(e.f.Pilates.ID)}, "team_member_id": {itoa64(e.f.Marton.ID)},
			"weekdays": {"2", "4"}, "start_time": {"18:00"}, "from": {"2026-03-17"}, "until": {"2026-03-26"}, "capacity": {"6"}}
		for _, tc := range []struct{ repeat, value, msg string }{
			{"weekly", "lots", settingsMsg(t, "admin_settings_error_whole_number")},
			{"weekly", "7", settingsMsg(t, booking.MsgMinAboveCapacity)},
			{"none", "-1", settingsMsg(t, booking.MsgOutOfRange)},
		} {
			form := url.Values{}
			for k, v := range series {
				form[k] = v
			}
			form.Set("repeat", tc.repeat)
			form.Set("date", "2026-03-17")
			form.Set("min_attendees", tc.value)
			r := c.post("/admin/schedule/new", form)
			if r.code != http.StatusUnprocessableEntity || r.text("#gb-min_attendees-error") != tc.msg {
				t.Errorf("%s min %q: %d %q, want 422 %q", tc.repeat, tc.value, r.code, r.text("#gb-min_attendees-error"), tc.msg)
			}
			if n := schedEventCount(e); n != 0 {
				t.Fatalf("%s min %q refused but %d events created", tc.repeat, tc.value, n)
			}
		}
		form := url.Values{}
		for k, v := range series {
			form[k] = v
		}
		form.Set("min_attendees", "2")
		if r := c.post("/admin/schedule/new", form); r.code != http.StatusSeeOther {
			t.Fatalf("create series: %d\n%s", r.code, r.text(".gb-error"))
		}
		events, err := e.f.Store.Events(context.Background(), booking.EventFilter{LocationID: e.f.Location.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 4 {
			t.Fatalf("%d events in the series", len(events))
		}
		for _, ev := range events {
			if ev.MinAttendees == nil || *ev.MinAttendees != 2 {
				t.Errorf("event %d minimum %v", ev.ID, ev.MinAttendees)
			}
		}
	})
}

// The link form turns a link's waitlist on and off.
func TestAdminLinkWaitlist(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		c := e.signIn(ownerEmail)
		path := "/admin/links/" + idString(e.f.Link.ID) + "/edit"
		if p := c.get(path); p.code != http.StatusOK || p.doc.Find("#gb-waitlist").Length() != 1 || p.doc.Find("#gb-waitlist[checked]").Length() != 0 {
			t.Fatalf("link form: %d, waitlist box %d", p.code, p.doc.Find("#gb-waitlist").Length())
		}
		form := linkFormValues(e.f)
		form.Set("payment_mode", "desk")
		form.Set("waitlist", "1")
		if r := c.post(path, form); r.code != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", r.code, r.text(".gb-error"))
		}
		l, err := e.f.Store.Link(context.Background(), e.f.Link.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !l.Waitlist {
			t.Fatal("waitlist not saved")
		}
		if c.get(path).doc.Find("#gb-waitlist[checked]").Length() != 1 {
			t.Error("the saved waitlist is not shown ticked")
		}
		// A refused form keeps the box as sent, and saves nothing.
		form.Del("waitlist")
		form.Set("max_seats", "0")
		r := c.post(path, form)
		if r.code != http.StatusUnprocessableEntity || r.doc.Find("#gb-waitlist[checked]").Length() != 0 {
			t.Errorf("refused form: %d, box ticked %d", r.code, r.doc.Find("#gb-waitlist[checked]").Length())
		}
		if l, _ = e.f.Store.Link(context.Background(), e.f.Link.ID); !l.Waitlist {
			t.Error("a refused form turned the waitlist off")
		}
		form.Set("max_seats", "4")
		if r := c.post(path, form); r.code != http.StatusSeeOther {
			t.Fatalf("save off: %d", r.code)
		}
		if l, _ = e.f.Store.Link(context.Background(), e.f.Link.ID); l.Waitlist {
			t.Error("unticked waitlist stayed on")
		}
	})
}
