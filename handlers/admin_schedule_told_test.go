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

// TestAdminScheduleEditTellsClients: staff moving a booked series from
// its second event on sends each booked client one "changed" message and
// the schedule's confirmation says how many clients were told; an edit of
// the capacity alone tells no one and says nothing about clients.
func TestAdminScheduleEditTellsClients(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		f := e.f
		ctx := context.Background()
		if err := f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true, ReminderHours: 24}); err != nil {
			t.Fatal(err)
		}
		_, events, err := f.Store.CreateSeries(ctx, f.Location.ID, booking.SeriesInput{
			ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID, Weekdays: booking.WeekdaySet(time.Tuesday, time.Thursday),
			StartTime: "18:00", From: "2026-03-17", Until: "2026-04-09",
		})
		if err != nil {
			t.Fatal(err)
		}
		// Client 1 on two later dates, client 2 on one, client 3 only
		// before the edited event.
		first, err := f.Store.Reserve(ctx, booking.ReserveRequest{
			LocationID: f.Location.ID, EventIDs: []int64{events[2].ID, events[4].ID}, Seats: 1, Client: booktest.Client(1), Lang: "en",
		})
		if err != nil {
			t.Fatal(err)
		}
		schedBook(e, 2, 1, &events[3])
		schedBook(e, 3, 1, &events[0])
		f.AlsoRuns(t, f.Marton, f.Yoga) // the series moves to him below
		c := e.signIn(ownerEmail)

		second := events[1] // Thu 19 March
		form := func(kv ...string) url.Values {
			v := url.Values{"scope": {"following"}, "team_member_id": {itoa64(f.Sofie.ID)}, "date": {"2026-03-19"},
				"start_time": {"18:00"}, "duration_min": {"60"}, "capacity": {"10"}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		// Capacity only: no message, no word about clients.
		r := c.post(schedEventPath(second.ID, "edit"), form("capacity", "12"))
		if r.code != http.StatusSeeOther || strings.Contains(r.hdr.Get("Location"), "told") {
			t.Fatalf("capacity edit: %d %q", r.code, r.hdr.Get("Location"))
		}
		if p := c.get(r.hdr.Get("Location")); p.doc.Find(".gb-alert--info").Length() != 0 {
			t.Errorf("capacity edit says %q", p.text(".gb-alert--info"))
		}
		if n := changedRows(t, db); n != 0 {
			t.Fatalf("%d changed messages after a capacity edit", n)
		}

		// A new time and team member from the second event on.
		r = c.post(schedEventPath(second.ID, "edit"), form("team_member_id", itoa64(f.Marton.ID), "start_time", "19:30"))
		if r.code != http.StatusSeeOther {
			t.Fatalf("series edit: %d\n%s", r.code, r.body)
		}
		p := c.get(r.hdr.Get("Location"))
		if got := p.text(".gb-alert--success"); got != schedEnglish(t, "admin_schedule_updated", 7) {
			t.Errorf("success %q", got)
		}
		if got := p.text(".gb-alert--info"); got != schedEnglish(t, "admin_schedule_told", 2) {
			t.Errorf("told %q, want %q", got, schedEnglish(t, "admin_schedule_told", 2))
		}
		if n := changedRows(t, db); n != 2 {
			t.Errorf("%d changed messages, want one per client (2)", n)
		}
		// The event window shows the message on each booking it is
		// about, named for staff.
		for i, b := range first.Bookings {
			w := c.get("/admin/events/" + itoa64(b.EventID))
			kinds := w.doc.Find("#booking-" + itoa64(b.ID) + " .ga-sms__list .ga-badge").Text()
			if !strings.Contains(kinds, "Class changed") {
				t.Errorf("booking %d's messages: %q", i, kinds)
			}
		}
		// The client's calendar file: the same bookings at the new time,
		// SEQUENCE 1, so a calendar that imported them moves them.
		all := e.get("/m/" + first.Group.Token + "/ics")
		cal, err := ical.NewDecoder(strings.NewReader(all.body)).Decode()
		if err != nil {
			t.Fatalf("parse .ics: %v\n%s", err, all.body)
		}
		if evs := cal.Events(); len(evs) != 2 {
			t.Errorf("%d events in the .ics", len(evs))
		}
		for i, ev := range cal.Events() {
			start, err := ev.DateTimeStart(time.UTC)
			if err != nil || start.In(f.Location.Zone()).Format("15:04") != "19:30" {
				t.Errorf("event %d DTSTART %v (%v)", i, start, err)
			}
			if seq := ev.Props.Get(ical.PropSequence); seq == nil || seq.Value != "1" {
				t.Errorf("event %d SEQUENCE %+v, want 1", i, seq)
			}
		}
		// A forged count in the URL is only a number: nothing else.
		if p := c.get("/admin/schedule?done=updated&n=1&told=-4"); p.doc.Find(".gb-alert--info").Length() != 0 {
			t.Errorf("negative count shown: %q", p.text(".gb-alert--info"))
		}
	})
}

func changedRows(t *testing.T, db *bun.DB) int64 {
	t.Helper()
	n, err := db.NewSelect().Model((*booking.OutboxMessage)(nil)).Where("kind = ?", booking.SMSChanged).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
