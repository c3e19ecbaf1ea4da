package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// bookVia books the events through the widget and returns the manage path.
func bookVia(t *testing.T, e *widgetEnv, phone, seats string, evs ...*booking.Event) string {
	t.Helper()
	ct := e.contactForm(evs[0], seats, evs[1:]...)
	form := contact(ct.hidden("s"))
	form.Set("phone", phone)
	r := e.post("/w/sunrise/book", form)
	if r.code != http.StatusSeeOther {
		t.Fatalf("book: %d\n%s", r.code, r.body)
	}
	u, _ := url.Parse(r.hdr.Get("Location"))
	return u.Path
}

func TestManageCancelRules(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 2, 10) // cutoff on the link: 2 h
		manage := bookVia(t, e, "+36201234567", "1", evs[0], evs[1])
		other := bookVia(t, e, "+36301234567", "1", evs[1])

		p := e.get(manage + "?new=1")
		if !strings.Contains(p.text("h1"), "2 bookings confirmed") {
			t.Errorf("heading %q", p.text("h1"))
		}
		if !strings.Contains(p.text(".gb-manage-link"), testBaseURL+manage) {
			t.Errorf("manage link not shown: %q", p.text(".gb-manage-link"))
		}
		// The other client's booking cannot be cancelled with this token.
		otherID := manageBookingIDs(e.get(other))[0]
		if r := e.post(manage+"/cancel", url.Values{"booking": {otherID}, "confirm": {"1"}}); r.code != http.StatusNotFound {
			t.Errorf("cancel another group's booking: %d", r.code)
		}
		if r := e.post(manage+"/cancel", url.Values{"booking": {"abc"}, "confirm": {"1"}}); r.code != http.StatusNotFound {
			t.Errorf("cancel booking=abc: %d", r.code)
		}
		// Inside the cutoff the Cancel button is gone and a post is refused.
		e.f.Now = evs[0].StartsAt.Add(-time.Hour)
		p = e.get(manage)
		first := p.doc.Find(".gb-booking").First()
		if first.Find("a[data-gb-cancel]").Length() != 0 || !strings.Contains(first.Text(), "too late") {
			t.Errorf("inside the cutoff: %q", strings.Join(strings.Fields(first.Text()), " "))
		}
		id := strings.TrimPrefix(first.AttrOr("id", ""), "booking-")
		r := e.post(manage+"/cancel", url.Values{"booking": {id}, "confirm": {"1"}})
		if r.code != http.StatusConflict || !strings.Contains(r.text(".gb-alert--error"), "too late") {
			t.Errorf("cancel after cutoff: %d %q", r.code, r.text(".gb-alert--error"))
		}
		if e.taken(evs[0]) != 1 {
			t.Error("a refused cancel freed seats")
		}
		// Unknown tokens are a plain 404.
		for _, path := range []string{"/m/nope", "/m/nope/ics", manage + "/ics/999999"} {
			if r := e.get(path); r.code != http.StatusNotFound {
				t.Errorf("%s: %d", path, r.code)
			}
		}
		// Cancellation switched off on the link: no buttons at all.
		link := *e.f.Link
		link.CancelAllowed = false
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		e.f.Now = booktest.Now
		if n := e.get(manage).doc.Find("a[data-gb-cancel]").Length(); n != 0 {
			t.Errorf("%d cancel buttons with cancellation off", n)
		}
	})
}

func TestManageCalendarFiles(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 2, 10)
		manage := bookVia(t, e, "+36201234567", "2", evs[0], evs[1])
		all := e.get(manage + "/ics")
		if all.code != 200 || !strings.HasPrefix(all.hdr.Get("Content-Type"), "text/calendar") ||
			!strings.Contains(all.hdr.Get("Content-Disposition"), "attachment") {
			t.Fatalf("all .ics: %d %v", all.code, all.hdr)
		}
		cal, err := ical.NewDecoder(strings.NewReader(all.body)).Decode()
		if err != nil {
			t.Fatalf("parse .ics: %v\n%s", err, all.body)
		}
		events := cal.Events()
		if len(events) != 2 {
			t.Fatalf("%d events in the file", len(events))
		}
		start, err := events[0].DateTimeStart(time.UTC)
		if err != nil || !start.Equal(evs[0].StartsAt) {
			t.Errorf("DTSTART %v (%v), want %v", start, err, evs[0].StartsAt)
		}
		desc, _ := events[0].Props.Text(ical.PropDescription)
		if !strings.Contains(desc, "2 seats") || !strings.Contains(desc, testBaseURL+manage) {
			t.Errorf("DESCRIPTION %q", desc)
		}
		uid, _ := events[0].Props.Text(ical.PropUID)
		// Cancel the first; its own file now cancels it in the calendar.
		r, id := cancelVia(t, e, e.get(manage), 0)
		if r.code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", r.code)
		}
		one := e.get(manage + "/ics/" + id)
		cancel, err := ical.NewDecoder(strings.NewReader(one.body)).Decode()
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := cancel.Props.Text(ical.PropMethod); m != "CANCEL" {
			t.Errorf("METHOD %q after cancel", m)
		}
		ce := cancel.Events()[0]
		cuid, _ := ce.Props.Text(ical.PropUID)
		seq := ""
		if p := ce.Props.Get(ical.PropSequence); p != nil {
			seq = p.Value
		}
		if cuid != uid || seq != "1" {
			t.Errorf("cancel UID %q (was %q), SEQUENCE %q", cuid, uid, seq)
		}
		for i, line := range strings.Split(strings.TrimSuffix(all.body, "\r\n"), "\r\n") {
			if len(line) > 75 || strings.Contains(line, "\n") {
				t.Errorf("line %d not folded or bare LF: %q", i, line)
			}
		}
	})
}
