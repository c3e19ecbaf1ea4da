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

// eventEnv is a signed-in admin with Yoga events tomorrow and the day after
// (capacity 4), a Pilates event, and in the first Yoga event a widget
// booking from Instagram (Anna, 2 seats) and a staff one for Anna's child.
type eventEnv struct {
	*adminEnv
	c        *adminClient
	yoga     []*booking.Event
	pilates  *booking.Event
	web, kid booking.Booking
}

func newEventEnv(t *testing.T, db *bun.DB, email string) *eventEnv {
	t.Helper()
	e := &eventEnv{adminEnv: newAdminEnv(t, db)}
	e.yoga = e.f.YogaEvents(t, 2, 4)
	e.pilates = e.f.Event(t, e.f.Pilates, e.f.Marton, e.yoga[0].StartsAt.AddDate(0, 0, 2), 8)
	ctx := context.Background()
	web, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{
		LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: []int64{e.yoga[0].ID}, Seats: 2,
		Client: booktest.Client(1), Comment: "First class", Lang: "en",
		UTM: booking.UTM{Source: "instagram", Medium: "bio"},
	})
	if err != nil {
		t.Fatal(err)
	}
	kid, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{
		LocationID: e.f.Location.ID, EventIDs: []int64{e.yoga[0].ID}, Seats: 1,
		Client: booktest.Client(1), VisitorName: "Peti",
	})
	if err != nil {
		t.Fatal(err)
	}
	e.web, e.kid = web.Bookings[0], kid.Bookings[0]
	e.c = e.signIn(email)
	return e
}

func (e *eventEnv) url(ev *booking.Event, rest ...string) string {
	return eventURL(ev.ID) + strings.Join(rest, "")
}

func (e *eventEnv) bookingURL(b booking.Booking, action string) string {
	return fmt.Sprintf("/admin/events/%d/bookings/%d/%s", b.EventID, b.ID, action)
}

func (e *eventEnv) booking(id int64) *booking.Booking {
	e.t.Helper()
	b, err := e.f.Store.Booking(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *eventEnv) invariant() {
	e.t.Helper()
	if bad := booktest.Invariant(e.t, e.db); len(bad) > 0 {
		e.t.Fatal(bad)
	}
}

var htmx = []string{"HX-Request", "true"}

func TestAdminEventWindow(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail) // staff may use the window
		gone, err := e.f.Store.Reserve(context.Background(), booking.ReserveRequest{
			LocationID: e.f.Location.ID, EventIDs: []int64{e.yoga[0].ID}, Seats: 1,
			Client: booking.ClientInput{Phone: "+36201000002", FirstName: "Bence", LastName: "Tóth"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.f.Store.CancelByAdmin(context.Background(), gone.Bookings[0].ID); err != nil {
			t.Fatal(err)
		}
		p := e.c.get(e.url(e.yoga[0]))
		if p.code != http.StatusOK {
			t.Fatalf("window: %d\n%s", p.code, p.body)
		}
		// Details, in the studio's zone (18:00 UTC is 19:00 in Budapest).
		facts := p.text(".gae-facts")
		for _, want := range []string{"Sofie", "Tuesday, 3 March", "19:00–20:00", "60 min", "Yoga", "Classes", "4 seats", "#2a9d8f"} {
			if !strings.Contains(facts, want) {
				t.Errorf("details %q lack %q", facts, want)
			}
		}
		if p.doc.Find(`a[href="/admin/schedule/events/`+itoa64(e.yoga[0].ID)+`/edit"]`).Length() != 1 ||
			p.doc.Find(`a[href="/admin/schedule?date=2026-03-03"]`).Length() != 1 {
			t.Error("no edit link or no link back to the schedule's day")
		}
		if got := p.text(".gae-meter"); !strings.Contains(got, "3 of 4 seats taken") || !strings.Contains(got, "1 seat free") {
			t.Errorf("seat meter: %q", got)
		}

		rows := p.doc.Find("#gae-clients table").First().Find("tbody tr")
		if rows.Length() != 2 {
			t.Fatalf("%d active rows", rows.Length())
		}
		web := rows.Eq(0)
		if got := strings.Join(strings.Fields(web.Find(".gae-who").Text()), " "); got != "Anna Kovács +36 20 100 0001 Online booking: Instagram" {
			t.Errorf("widget row client: %q", got)
		}
		if l := web.Find(`.gae-seats-cell svg[role=img]`).AttrOr("aria-label", ""); l != "2 seats" {
			t.Errorf("two seats have no labelled icon: %q", l)
		}
		if got := web.Find("select[name=status] option[selected]").AttrOr("value", ""); got != "expected" {
			t.Errorf("status %q", got)
		}
		if got := strings.Join(strings.Fields(web.Find(".gae-src").Text()), " "); got != "Online booking: Instagram" {
			t.Errorf("channel: %q", got)
		}
		if !strings.Contains(web.Find(".gae-comment").Text(), "First class") {
			t.Error("comment missing")
		}
		kid := rows.Eq(1)
		if v := kid.Find(".gae-visitor"); !strings.Contains(v.Text(), "Peti") || v.Find(`svg[aria-label="Another visitor"]`).Length() != 1 {
			t.Errorf("visitor: %q", v.Text())
		}
		if kid.Find(".gae-seats-cell svg").Length() != 0 {
			t.Error("one seat shows the several-seats icon")
		}
		if kid.Find(".gae-channel").Length() != 0 {
			t.Error("a staff booking shows an online channel")
		}
		// Cancelled bookings are listed apart, muted, with no controls.
		cancelled := p.doc.Find(".gae-table--cancelled tbody tr")
		if cancelled.Length() != 1 || !cancelled.HasClass("ga-muted") || !strings.Contains(cancelled.Text(), "Bence") ||
			!strings.Contains(cancelled.Text(), "by staff") || cancelled.Find("form, select").Length() != 0 {
			t.Errorf("cancelled list: %d rows %q", cancelled.Length(), cancelled.Text())
		}
		if strings.Contains(p.text("#gae-clients table:first-of-type tbody"), "Bence") {
			t.Error("a cancelled booking is among the active ones")
		}
		// The add form: labelled fields, phone lookup wired to htmx.
		phone := p.doc.Find(`#gae-add input[name=phone]`)
		if phone.AttrOr("hx-get", "") != e.url(e.yoga[0], "/client-lookup") || phone.AttrOr("hx-trigger", "") != "input changed delay:300ms" {
			t.Errorf("phone lookup attributes: %v", phone.Nodes)
		}
		for _, name := range []string{"phone", "first_name", "last_name", "email", "seats", "visitor_name", "comment"} {
			id := p.doc.Find(`#gae-add [name=`+name+`]`).AttrOr("id", "")
			if id == "" || p.doc.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("add form field %s has no label", name)
			}
		}
		if p.doc.Find(`#gae-add input[type=checkbox][name=another]`).Length() != 1 {
			t.Error("no 'another visitor' box")
		}
		// htmx gets the content only.
		if frag := e.c.get(e.url(e.yoga[0]), htmx...); frag.code != 200 || strings.Contains(frag.body, "<html") || frag.doc.Find("#gae-clients").Length() != 1 {
			t.Errorf("htmx window: %d", frag.code)
		}
	})
}

func TestAdminEventAccess(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, ownerEmail)
		if p := e.c.get(e.url(e.yoga[0])); p.code != http.StatusOK {
			t.Errorf("owner: %d", p.code)
		}
		anon := &adminClient{e: e.adminEnv, ip: "192.0.2.1"}
		r := anon.get(e.url(e.yoga[0]))
		if r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login?next=") {
			t.Errorf("anonymous window: %d to %q", r.code, r.hdr.Get("Location"))
		}
		if r := anon.post(e.bookingURL(e.web, "delete"), url.Values{}); r.code != http.StatusSeeOther || e.booking(e.web.ID).Status == booking.StatusCancelled {
			t.Errorf("anonymous delete: %d", r.code)
		}
		// Without the CSRF token nothing changes.
		r = e.c.post(e.bookingURL(e.web, "status"), url.Values{"status": {"arrived"}, "_csrf": {"forged"}})
		if r.code < 400 || e.booking(e.web.ID).Status != booking.StatusExpected {
			t.Errorf("forged CSRF token: %d", r.code)
		}
	})
}

func TestAdminEventNotFound(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		ctx := context.Background()
		// Another studio's event in the same database.
		other, err := e.f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		svc, err := e.f.Store.CreateService(ctx, other.ID, booking.ServiceInput{Name: "Spin", DurationMin: 45, DefaultCapacity: 5, Currency: "HUF", Color: "#123456"})
		if err != nil {
			t.Fatal(err)
		}
		tm, err := e.f.Store.CreateTeamMember(ctx, other.ID, booking.TeamMemberInput{Name: "Zoé", ServiceIDs: []int64{svc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := e.f.Store.CreateEvent(ctx, other.ID, booking.EventInput{ServiceID: svc.ID, TeamMemberID: tm.ID, StartsAt: e.yoga[0].StartsAt})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/admin/events/987654", "/admin/events/abc", e.url(foreign), e.url(foreign, "/client-lookup?phone=%2B36201000001")} {
			if p := e.c.get(path); p.code != http.StatusNotFound || !strings.Contains(p.body, "Event not found") {
				t.Errorf("GET %s: %d", path, p.code)
			}
		}
		// A booking reached through another event's URL.
		wrong := e.web
		wrong.EventID = e.yoga[1].ID
		for _, action := range []string{"status", "seats", "comment", "delete", "move"} {
			form := url.Values{"status": {"arrived"}, "seats": {"1"}, "comment": {"x"}, "to": {itoa64(e.yoga[1].ID)}}
			if p := e.c.post(e.bookingURL(wrong, action), form); p.code != http.StatusNotFound {
				t.Errorf("POST %s through another event: %d", action, p.code)
			}
		}
		if p := e.c.get(e.bookingURL(wrong, "move")); p.code != http.StatusNotFound {
			t.Errorf("move page through another event: %d", p.code)
		}
		if p := e.c.post(fmt.Sprintf("%s/bookings/abc/status", e.url(e.yoga[0])), url.Values{"status": {"arrived"}}); p.code != http.StatusNotFound {
			t.Errorf("bad booking id: %d", p.code)
		}
		if b := e.booking(e.web.ID); b.Status != booking.StatusExpected || b.Seats != 2 || b.Comment != "First class" || b.EventID != e.yoga[0].ID {
			t.Errorf("a refused request changed the booking: %+v", b)
		}
		// A deleted event's window is gone too.
		if _, err := e.f.Store.DeleteEvent(ctx, e.yoga[1].ID); err != nil {
			t.Fatal(err)
		}
		if p := e.c.get(e.url(e.yoga[1])); p.code != http.StatusNotFound {
			t.Errorf("deleted event: %d", p.code)
		}
	})
}

func TestAdminEventStatus(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		// htmx: the select posts on change and gets the list back.
		p := e.c.post(e.bookingURL(e.web, "status"), url.Values{"status": {"arrived"}}, htmx...)
		if p.code != http.StatusOK || p.doc.Find("#gae-clients").Length() != 1 || strings.Contains(p.body, "<html") {
			t.Fatalf("htmx status: %d\n%s", p.code, p.body)
		}
		if got := p.doc.Find(fmt.Sprintf("#gae-status-%d option[selected]", e.web.ID)).AttrOr("value", ""); got != "arrived" {
			t.Errorf("list after change shows %q", got)
		}
		if !strings.Contains(p.text(".gb-alert--success"), "Status saved") {
			t.Error("no confirmation in the fragment")
		}
		if e.booking(e.web.ID).Status != booking.StatusArrived {
			t.Error("status not stored")
		}
		// A plain form redirects back to the window, which confirms it.
		p = e.c.post(e.bookingURL(e.kid, "status"), url.Values{"status": {"no_show"}})
		want := fmt.Sprintf("%s?done=status#booking-%d", e.url(e.yoga[0]), e.kid.ID)
		if p.code != http.StatusSeeOther || p.hdr.Get("Location") != want {
			t.Fatalf("plain status: %d to %q", p.code, p.hdr.Get("Location"))
		}
		if back := e.c.get(strings.TrimSuffix(want, fmt.Sprintf("#booking-%d", e.kid.ID))); !strings.Contains(back.text(".gb-alert--success"), "Status saved") {
			t.Error("no confirmation after the redirect")
		}
		if e.booking(e.kid.ID).Status != booking.StatusNoShow {
			t.Error("no-show not stored")
		}
		// Unknown statuses, and cancelling through the status, are refused.
		for _, bad := range []string{"cancelled", "lost"} {
			p = e.c.post(e.bookingURL(e.web, "status"), url.Values{"status": {bad}}, htmx...)
			if p.code != http.StatusUnprocessableEntity || !strings.Contains(p.text(fmt.Sprintf("#gae-status-%d-error", e.web.ID)), "valid status") {
				t.Errorf("status %q: %d", bad, p.code)
			}
		}
		if e.booking(e.web.ID).Status != booking.StatusArrived {
			t.Error("a refused status was stored")
		}
	})
}

func TestAdminEventSeats(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail) // 3 of 4 seats taken
		p := e.c.post(e.bookingURL(e.kid, "seats"), url.Values{"seats": {"2"}}, htmx...)
		if p.code != http.StatusOK || !strings.Contains(p.text(".gae-meter"), "4 of 4 seats taken") {
			t.Fatalf("seats: %d %q", p.code, p.text(".gae-meter"))
		}
		if e.taken(e.yoga[0]) != 4 || e.booking(e.kid.ID).Seats != 2 {
			t.Error("seats not changed")
		}
		// Full: the message is at the row's seats field, nothing changes.
		p = e.c.post(e.bookingURL(e.web, "seats"), url.Values{"seats": {"3"}}, htmx...)
		field := fmt.Sprintf("#gae-seats-%d", e.web.ID)
		if p.code != http.StatusUnprocessableEntity || p.doc.Find(field).AttrOr("aria-invalid", "") != "true" ||
			!strings.Contains(p.text(field+"-error"), "at most 2 seats") || p.doc.Find(field).AttrOr("value", "") != "3" {
			t.Errorf("over capacity: %d %q", p.code, p.text(field+"-error"))
		}
		if p.doc.Find(fmt.Sprintf("#booking-%d details[open]", e.web.ID)).Length() != 1 {
			t.Error("the edit panel with the error is closed")
		}
		for _, bad := range []string{"0", "abc", "51"} {
			p = e.c.post(e.bookingURL(e.web, "seats"), url.Values{"seats": {bad}})
			if p.code != http.StatusUnprocessableEntity || p.text(field+"-error") == "" || p.doc.Find("html").Length() != 1 {
				t.Errorf("seats %q without htmx: %d", bad, p.code)
			}
		}
		if e.booking(e.web.ID).Seats != 2 || e.taken(e.yoga[0]) != 4 {
			t.Error("a refused change was stored")
		}
		// Fewer seats free them.
		if p = e.c.post(e.bookingURL(e.web, "seats"), url.Values{"seats": {"1"}}); p.code != http.StatusSeeOther {
			t.Fatalf("fewer seats: %d", p.code)
		}
		if e.taken(e.yoga[0]) != 3 {
			t.Error("seats not freed")
		}
		e.invariant()
	})
}

func TestAdminEventComment(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		p := e.c.post(e.bookingURL(e.kid, "comment"), url.Values{"comment": {"  Needs a mat  "}}, htmx...)
		if p.code != http.StatusOK || !strings.Contains(p.text(fmt.Sprintf("#booking-%d .gae-comment", e.kid.ID)), "Needs a mat") {
			t.Fatalf("comment: %d", p.code)
		}
		if got := e.booking(e.kid.ID).Comment; got != "Needs a mat" {
			t.Errorf("stored comment %q", got)
		}
		long := strings.Repeat("é", 201)
		for _, hx := range [][]string{htmx, nil} {
			p = e.c.post(e.bookingURL(e.kid, "comment"), url.Values{"comment": {long}}, hx...)
			field := fmt.Sprintf("#gae-comment-%d", e.kid.ID)
			if p.code != http.StatusUnprocessableEntity || p.doc.Find(field).AttrOr("aria-invalid", "") != "true" ||
				!strings.Contains(p.text(field+"-error"), "too long") || p.doc.Find(field).Text() != long {
				t.Errorf("201 characters (htmx %v): %d %q", hx != nil, p.code, p.text(field+"-error"))
			}
		}
		if got := e.booking(e.kid.ID).Comment; got != "Needs a mat" {
			t.Errorf("an over-long comment was written: %q", got)
		}
		// Exactly 200 is fine; an empty comment clears it.
		if p = e.c.post(e.bookingURL(e.kid, "comment"), url.Values{"comment": {long[:400]}}); p.code != http.StatusSeeOther {
			t.Errorf("200 characters: %d", p.code)
		}
		if p = e.c.post(e.bookingURL(e.kid, "comment"), url.Values{"comment": {""}}); p.code != http.StatusSeeOther || e.booking(e.kid.ID).Comment != "" {
			t.Errorf("clearing: %d", p.code)
		}
	})
}

func TestAdminEventDelete(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		p := e.c.post(e.bookingURL(e.web, "delete"), url.Values{}, htmx...)
		if p.code != http.StatusOK || p.doc.Find("#gae-clients table").First().Find("tbody tr").Length() != 1 ||
			p.doc.Find(".gae-table--cancelled tbody tr").Length() != 1 {
			t.Fatalf("delete: %d", p.code)
		}
		if e.taken(e.yoga[0]) != 1 || e.booking(e.web.ID).Status != booking.StatusCancelled {
			t.Error("delete did not cancel the booking and free its seats")
		}
		// Deleting it again says so; the seats are not freed twice.
		p = e.c.post(e.bookingURL(e.web, "delete"), url.Values{}, htmx...)
		if p.code != http.StatusConflict || !strings.Contains(p.text(".gb-alert--error"), "cancelled") || e.taken(e.yoga[0]) != 1 {
			t.Errorf("second delete: %d", p.code)
		}
		if p = e.c.post(e.bookingURL(e.kid, "delete"), url.Values{}); p.code != http.StatusSeeOther || e.taken(e.yoga[0]) != 0 {
			t.Errorf("plain delete: %d", p.code)
		}
		e.invariant()
	})
}

// addForm is a valid "Add a client" submission.
func addForm(phone, first string) url.Values {
	return url.Values{"key": {"k-" + first + "-0123456789abcdef"}, "phone": {phone}, "first_name": {first}, "last_name": {"Szabó"}, "email": {""}, "seats": {"1"}}
}

func TestAdminEventAddClient(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		ev := e.yoga[1]
		ctx := context.Background()

		// A new client with a visitor and two seats, without JavaScript.
		f := addForm("06 30 555 1234", "Kata")
		f.Set("seats", "2")
		f.Set("another", "1")
		f.Set("visitor_name", "Bori")
		f.Set("email", "kata@example.com")
		p := e.c.post(e.url(ev, "/clients"), f)
		if p.code != http.StatusSeeOther || p.hdr.Get("Location") != e.url(ev, "?done=added#gae-clients") {
			t.Fatalf("add: %d %q\n%s", p.code, p.hdr.Get("Location"), p.body)
		}
		kata, err := e.f.Store.ClientByPhone(ctx, e.f.Location.ID, "+36305551234")
		if err != nil || kata.FirstName != "Kata" || kata.Email != "kata@example.com" {
			t.Fatalf("client: %+v %v", kata, err)
		}
		w, err := e.f.Store.EventWindow(ctx, e.f.Location.ID, ev.ID)
		if err != nil || len(w.Active) != 1 {
			t.Fatalf("window: %v", err)
		}
		if b := w.Active[0]; b.Seats != 2 || b.VisitorName != "Bori" || b.Source != booking.SourceAdmin || b.Client.ID != kata.ID || b.Lang != "en" {
			t.Errorf("booking: %+v", b.Booking)
		}
		if e.taken(ev) != 2 {
			t.Errorf("taken %d", e.taken(ev))
		}
		// The same form sent again (double click) books nothing more.
		if p = e.c.post(e.url(ev, "/clients"), f); p.code != http.StatusSeeOther || e.taken(ev) != 2 {
			t.Errorf("resubmit: %d, taken %d", p.code, e.taken(ev))
		}

		// An existing client, found by phone; the names on file are kept.
		f = addForm("+36 20 100 0001", "Annamária")
		n := e.bookings()
		p = e.c.post(e.url(ev, "/clients"), f, htmx...)
		if p.code != http.StatusOK || strings.Contains(p.body, "<html") {
			t.Fatalf("htmx add: %d\n%s", p.code, p.body)
		}
		if got := p.text("#gae-clients table tbody"); !strings.Contains(got, "Anna Kovács") || !strings.Contains(got, "Kata Szabó") {
			t.Errorf("list after add: %q", got)
		}
		if p.doc.Find("#gae-add input[name=phone]").AttrOr("value", "x") != "" || p.hidden("key") == f.Get("key") {
			t.Error("the form is not fresh after an add")
		}
		if e.bookings() != n+1 {
			t.Fatal("not added")
		}
		anna, _ := e.f.Store.ClientByPhone(ctx, e.f.Location.ID, "+36201000001")
		if anna.FirstName != "Anna" {
			t.Errorf("a staff booking renamed the client: %q", anna.FirstName)
		}

		// Anna again without a visitor: already booked, said at the phone.
		n = e.bookings()
		f = addForm("06201000001", "Anna")
		for _, hx := range [][]string{htmx, nil} {
			f.Set("key", "another-key-0123456789")
			p = e.c.post(e.url(ev, "/clients"), f, hx...)
			if p.code != http.StatusUnprocessableEntity || !strings.Contains(p.text("#gb-phone-error"), "already booked") {
				t.Errorf("already booked (htmx %v): %d %q", hx != nil, p.code, p.text("#gb-phone-error"))
			}
			if p.doc.Find("#gae-add input[name=first_name]").AttrOr("value", "") != "Anna" {
				t.Error("the form lost what was typed")
			}
		}
		if e.bookings() != n {
			t.Error("a refused add wrote a booking")
		}

		// Every field problem at once, nothing written.
		bad := url.Values{"phone": {"06 20 123"}, "first_name": {""}, "email": {"nope"}, "seats": {"1"}, "another": {"1"}, "visitor_name": {" "}, "comment": {strings.Repeat("x", 201)}}
		p = e.c.post(e.url(ev, "/clients"), bad, htmx...)
		if p.code != http.StatusUnprocessableEntity {
			t.Fatalf("invalid add: %d", p.code)
		}
		for _, name := range []string{"phone", "first_name", "email", "visitor_name", "comment"} {
			if p.text("#gb-"+name+"-error") == "" {
				t.Errorf("no error at %s", name)
			}
		}
		if !strings.Contains(p.text("#gae-add .gb-alert--error"), "correct") {
			t.Error("no alert in the add form")
		}
		// Over capacity: Kata (2 seats) and Anna (1) leave one seat of four.
		f = addForm("06 30 555 9999", "Lili")
		f.Set("seats", "2")
		p = e.c.post(e.url(ev, "/clients"), f)
		if p.code != http.StatusUnprocessableEntity || !strings.Contains(p.text("#gb-seats-error"), "Only 1 seat is free") {
			t.Errorf("over capacity: %d %q", p.code, p.text("#gb-seats-error"))
		}
		if e.bookings() != n || e.taken(ev) != 3 {
			t.Error("a refused add changed something")
		}
		if _, err := e.f.Store.ClientByPhone(ctx, e.f.Location.ID, "+36305559999"); err == nil {
			t.Error("a refused add created the client")
		}
		e.invariant()
	})
}

func TestAdminEventClientLookup(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		lookup := func(ev *booking.Event, phone string) *page {
			return e.c.get(e.url(ev, "/client-lookup?phone="+url.QueryEscape(phone)), htmx...)
		}
		p := lookup(e.yoga[1], "06 20 100 0001")
		if p.code != http.StatusOK || !strings.Contains(p.text(".gae-match"), "Anna Kovács") {
			t.Fatalf("lookup: %d %q", p.code, p.body)
		}
		// Names on file are swapped into the form out of band.
		first := p.doc.Find(`#gae-f-first_name[hx-swap-oob]`)
		if first.Find(`input[name=first_name]`).AttrOr("value", "") != "Anna" ||
			p.doc.Find(`#gae-f-last_name[hx-swap-oob] input`).AttrOr("value", "") != "Kovács" {
			t.Errorf("no prefill:\n%s", p.body)
		}
		if p.doc.Find(".gae-match--warn").Length() != 0 {
			t.Error("warned about a booking in another event")
		}
		// In the event Anna is already in, the lookup warns.
		if p = lookup(e.yoga[0], "+36201000001"); !strings.Contains(p.text(".gae-match--warn"), "already booked") {
			t.Errorf("no warning: %q", p.body)
		}
		if p = lookup(e.yoga[0], "06 30 555 1234"); !strings.Contains(p.text(".gae-match--new"), "New client") || p.doc.Find("[hx-swap-oob]").Length() != 0 {
			t.Errorf("unknown number: %q", p.body)
		}
		if p = lookup(e.yoga[0], "06 20 1"); p.code != http.StatusOK || strings.TrimSpace(p.body) != "" {
			t.Errorf("half-typed number: %d %q", p.code, p.body)
		}
	})
}

func TestAdminEventMove(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		ctx := context.Background()
		third := e.f.Event(t, e.f.Yoga, e.f.Sofie, e.yoga[1].StartsAt.AddDate(0, 0, 1), 1) // too small for 2 seats
		page := e.c.get(e.bookingURL(e.web, "move"))
		if page.code != http.StatusOK {
			t.Fatalf("move page: %d", page.code)
		}
		var offered []string
		page.doc.Find("input[type=radio][name=to]").Each(func(_ int, s *goqSel) { offered = append(offered, s.AttrOr("value", "")) })
		if len(offered) != 1 || offered[0] != itoa64(e.yoga[1].ID) {
			t.Errorf("offered %v, want only %d (not %d, too small, nor Pilates %d)", offered, e.yoga[1].ID, third.ID, e.pilates.ID)
		}
		if got := page.text(".gae-targets"); !strings.Contains(got, "Wednesday, 4 March") || !strings.Contains(got, "Sofie") || !strings.Contains(got, "4 seats free") {
			t.Errorf("target: %q", got)
		}

		// Refusals, each with its message and nothing written.
		full := e.f.Event(t, e.f.Yoga, e.f.Sofie, e.yoga[1].StartsAt.AddDate(0, 0, 2), 3)
		if _, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, EventIDs: []int64{full.ID}, Seats: 2, Client: booktest.Client(9)}); err != nil {
			t.Fatal(err)
		}
		for name, tc := range map[string]struct {
			to   string
			want string
		}{
			"full":          {itoa64(full.ID), "enough free seats"},
			"other service": {itoa64(e.pilates.ID), "same service"},
			"unknown":       {"987654", "Choose an event"},
			"not a number":  {"x", "Choose an event"},
		} {
			p := e.c.post(e.bookingURL(e.web, "move"), url.Values{"to": {tc.to}})
			if p.code != http.StatusUnprocessableEntity || !strings.Contains(p.text("#gae-to-error"), tc.want) {
				t.Errorf("%s: %d %q", name, p.code, p.text("#gae-to-error"))
			}
		}
		if b := e.booking(e.web.ID); b.EventID != e.yoga[0].ID || e.taken(full) != 2 || e.taken(e.pilates) != 0 {
			t.Error("a refused move changed something")
		}

		// The move itself: both events' seat counts follow.
		p := e.c.post(e.bookingURL(e.web, "move"), url.Values{"to": {itoa64(e.yoga[1].ID)}})
		want := fmt.Sprintf("%s?done=moved&to=%d#gae-clients", e.url(e.yoga[0]), e.yoga[1].ID)
		if p.code != http.StatusSeeOther || p.hdr.Get("Location") != want {
			t.Fatalf("move: %d %q", p.code, p.hdr.Get("Location"))
		}
		if e.taken(e.yoga[0]) != 1 || e.taken(e.yoga[1]) != 2 || e.booking(e.web.ID).EventID != e.yoga[1].ID {
			t.Errorf("seats after the move: %d, %d", e.taken(e.yoga[0]), e.taken(e.yoga[1]))
		}
		e.invariant()
		back := e.c.get(strings.TrimSuffix(want, "#gae-clients"))
		if !strings.Contains(back.text(".gae-moved"), "moved to Wed 4 Mar, 19:00") || back.doc.Find(`.gae-moved a[href="`+e.url(e.yoga[1])+`"]`).Length() != 1 {
			t.Errorf("after the move: %q", back.text(".gae-moved"))
		}
		if strings.Contains(back.text("#gae-clients table tbody"), "First class") {
			t.Error("the moved booking is still listed")
		}
		moved := e.c.get(e.url(e.yoga[1]))
		if !strings.Contains(moved.text("#gae-clients table tbody"), "First class") || !strings.Contains(moved.text(".gae-meter"), "2 of 4") {
			t.Error("the moved booking is not in the new event")
		}

		// Someone fills the target meanwhile: the page offered it, the move is refused.
		kidMove := e.c.get(e.bookingURL(e.kid, "move"))
		if kidMove.doc.Find(`input[name=to][value="`+itoa64(third.ID)+`"]`).Length() != 1 {
			t.Fatal("the one-seat event is not offered for one seat")
		}
		if _, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, EventIDs: []int64{third.ID}, Seats: 1, Client: booktest.Client(8)}); err != nil {
			t.Fatal(err)
		}
		p = e.c.post(e.bookingURL(e.kid, "move"), url.Values{"to": {itoa64(third.ID)}})
		if p.code != http.StatusUnprocessableEntity || !strings.Contains(p.text("#gae-to-error"), "enough free seats") {
			t.Errorf("filled meanwhile: %d", p.code)
		}
		e.invariant()
	})
}

func TestAdminEventAlertsOnce(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newEventEnv(t, db, staffEmail)
		// Each way of answering shows a message exactly once: the clients
		// fragment, the whole page for a plain form, and htmx's main block.
		long := url.Values{"comment": {strings.Repeat("x", 201)}}
		for name, p := range map[string]*page{
			"fragment":   e.c.post(e.bookingURL(e.kid, "comment"), long, htmx...),
			"plain form": e.c.post(e.bookingURL(e.kid, "comment"), long),
		} {
			if n := p.doc.Find(".gb-alert--error").Length(); n != 1 {
				t.Errorf("%s: %d error alerts", name, n)
			}
		}
		if p := e.c.get(e.url(e.yoga[0], "?done=seats"), htmx...); p.doc.Find(".gb-alert--success").Length() != 1 {
			t.Errorf("htmx page: %d success alerts", p.doc.Find(".gb-alert--success").Length())
		}
		if p := e.c.get(e.url(e.yoga[0], "?done=seats")); p.doc.Find(".gb-alert--success").Length() != 1 {
			t.Errorf("page: %d success alerts", p.doc.Find(".gb-alert--success").Length())
		}
	})
}
