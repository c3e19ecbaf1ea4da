package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// memberFieldErr returns the team member field's message of err ("" if none).
func memberFieldErr(err error) string {
	var fe booking.FieldErrors
	if errors.As(err, &fe) {
		return fe["team_member_id"]
	}
	return ""
}

// The fixture's Sofie runs Yoga only and Márton Pilates only.
func TestMemberMustRunService(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		start := f.Now.Add(48 * time.Hour)

		// One event: refused at the member field, nothing written.
		_, err := f.Store.CreateEvent(ctx, f.Location.ID, booking.EventInput{ServiceID: f.Pilates.ID, TeamMemberID: f.Sofie.ID, StartsAt: start})
		if got := memberFieldErr(err); got != booking.MsgMemberNotService {
			t.Fatalf("create with a member not running the service: %v", err)
		}
		_, err = f.Store.CreateEventAt(ctx, f.Location.ID, booking.EventInput{ServiceID: f.Pilates.ID, TeamMemberID: f.Sofie.ID}, "2026-03-04", "10:00")
		if got := memberFieldErr(err); got != booking.MsgMemberNotService {
			t.Fatalf("create at local time: %v", err)
		}
		// A series too.
		series := booking.SeriesInput{
			ServiceID: f.Pilates.ID, TeamMemberID: f.Sofie.ID, Weekdays: booking.WeekdaySet(time.Tuesday),
			StartTime: "10:00", From: "2026-03-03", Until: "2026-03-31",
		}
		if _, _, err := f.Store.CreateSeries(ctx, f.Location.ID, series); memberFieldErr(err) != booking.MsgMemberNotService {
			t.Fatalf("series with a member not running the service: %v", err)
		}
		if n := countEvents(t, db); n != 0 {
			t.Fatalf("refused creates wrote %d events", n)
		}
		// An unknown member keeps its own message, not this one.
		_, err = f.Store.CreateEvent(ctx, f.Location.ID, booking.EventInput{ServiceID: f.Pilates.ID, TeamMemberID: 4242, StartsAt: start})
		if got := memberFieldErr(err); got != booking.MsgUnknownMember {
			t.Errorf("unknown member: %q", got)
		}

		// Editing: moving a Yoga event to Márton is refused, nothing changes.
		ev := f.Event(t, f.Yoga, f.Sofie, start, 10)
		_, err = f.Store.UpdateEvent(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Marton.ID, StartsAt: start})
		if memberFieldErr(err) != booking.MsgMemberNotService {
			t.Fatalf("edit to a member not running the service: %v", err)
		}
		_, err = f.Store.EditEventAt(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Marton.ID}, "2026-03-04", "bad")
		if memberFieldErr(err) != booking.MsgMemberNotService {
			t.Errorf("edit with a bad time too should name the member: %v", err)
		}
		got, err := f.Store.Event(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.TeamMemberID != f.Sofie.ID {
			t.Errorf("refused edit changed the member to %d", got.TeamMemberID)
		}
		// "This and following" of a series: refused the same way.
		series.ServiceID, series.TeamMemberID = f.Yoga.ID, f.Sofie.ID
		_, evs, err := f.Store.CreateSeries(ctx, f.Location.ID, series)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.EditSeriesFrom(ctx, evs[1].ID, booking.EventInput{TeamMemberID: f.Marton.ID}, "2026-03-10", "10:00"); memberFieldErr(err) != booking.MsgMemberNotService {
			t.Fatalf("series edit to a member not running the service: %v", err)
		}

		// A member who stopped running the service: the old event stays
		// editable while its member is kept.
		if _, err := f.Store.UpdateTeamMember(ctx, f.Sofie.ID, booking.TeamMemberInput{Name: "Sofie", ServiceIDs: []int64{f.Pilates.ID}}); err != nil {
			t.Fatal(err)
		}
		cap5 := 5
		if _, err := f.Store.UpdateEvent(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, StartsAt: start, Capacity: &cap5}); err != nil {
			t.Errorf("editing an old pairing without changing the member: %v", err)
		}
	})
}

func TestAnyMemberAnyServiceOverride(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		l := f.Location
		in := booking.LocationInput{Name: l.Name, Address: l.Address, TimeZone: l.TimeZone, Country: l.Country, DefaultLang: l.DefaultLang, AnyMemberAnyService: true}
		if _, err := f.Store.UpdateLocation(ctx, l.ID, in); err != nil {
			t.Fatal(err)
		}
		if loc, err := f.Store.Location(ctx, l.ID); err != nil || !loc.AnyMemberAnyService {
			t.Fatalf("override not stored: %+v %v", loc, err)
		}
		ok, err := f.Store.MemberRunsService(ctx, l.ID, f.Pilates.ID, f.Sofie.ID)
		if err != nil || !ok {
			t.Fatalf("MemberRunsService with the override: %v %v", ok, err)
		}
		start := f.Now.Add(48 * time.Hour)
		ev, err := f.Store.CreateEvent(ctx, l.ID, booking.EventInput{ServiceID: f.Pilates.ID, TeamMemberID: f.Sofie.ID, StartsAt: start})
		if err != nil {
			t.Fatalf("create with the override on: %v", err)
		}
		if _, err := f.Store.UpdateEvent(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, StartsAt: start}); err != nil {
			t.Errorf("edit with the override on: %v", err)
		}
		if _, _, err := f.Store.CreateSeries(ctx, l.ID, booking.SeriesInput{
			ServiceID: f.Yoga.ID, TeamMemberID: f.Marton.ID, Weekdays: booking.WeekdaySet(time.Monday),
			StartTime: "09:00", From: "2026-03-09", Until: "2026-03-16",
		}); err != nil {
			t.Errorf("series with the override on: %v", err)
		}

		// Turned off again: the rule is back for new pairings.
		in.AnyMemberAnyService = false
		if _, err := f.Store.UpdateLocation(ctx, l.ID, in); err != nil {
			t.Fatal(err)
		}
		if ok, err := f.Store.MemberRunsService(ctx, l.ID, f.Pilates.ID, f.Sofie.ID); err != nil || ok {
			t.Errorf("MemberRunsService with the override off: %v %v", ok, err)
		}
		if ok, err := f.Store.MemberRunsService(ctx, l.ID, f.Yoga.ID, f.Sofie.ID); err != nil || !ok {
			t.Errorf("Sofie runs Yoga: %v %v", ok, err)
		}
	})
}

func TestMemberClashes(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		zone := f.Location.Zone()
		at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, zone) }
		ids := func(c *booking.Clashes) []int64 {
			var out []int64
			for _, ev := range c.Events {
				out = append(out, ev.ID)
			}
			return out
		}
		clash := func(name string, start, end time.Time, exclude []int64, want ...int64) {
			t.Helper()
			got, err := f.Store.MemberClashes(ctx, f.Location.ID, f.Sofie.ID, start, end, exclude)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != len(want) || len(got.Events) != len(want) {
				t.Errorf("%s: clashes %v (total %d), want %v", name, ids(got), got.Total, want)
				return
			}
			for i, ev := range got.Events {
				if ev.ID != want[i] {
					t.Errorf("%s: clashes %v, want %v", name, ids(got), want)
				}
			}
		}
		ten := f.Event(t, f.Yoga, f.Sofie, at(10, 10, 0), 10) // 10:00-11:00
		clash("same time", at(10, 10, 0), at(10, 11, 0), nil, ten.ID)
		clash("overlapping the end", at(10, 10, 30), at(10, 11, 30), nil, ten.ID)
		clash("inside", at(10, 10, 15), at(10, 10, 45), nil, ten.ID)
		clash("ends right as it starts", at(10, 9, 0), at(10, 10, 0), nil)
		clash("starts right as it ends", at(10, 11, 0), at(10, 12, 0), nil)
		clash("the event itself, edited", at(10, 10, 30), at(10, 11, 30), []int64{ten.ID})
		// Another member's events never clash with Sofie's.
		f.Event(t, f.Pilates, f.Marton, at(11, 10, 0), 8)
		clash("another member", at(11, 10, 0), at(11, 11, 0), nil)
		// Time order; a deleted event is ignored.
		nine := f.Event(t, f.Yoga, f.Sofie, at(10, 9, 30), 10)
		clash("two", at(10, 9, 45), at(10, 10, 15), nil, nine.ID, ten.ID)
		if _, err := f.Store.DeleteEvent(ctx, nine.ID); err != nil {
			t.Fatal(err)
		}
		clash("deleted ignored", at(10, 9, 45), at(10, 10, 15), nil, ten.ID)

		// DST: Budapest skips 02:00-03:00 on 29 March. A 90-minute event
		// from 01:30 ends at 04:00 summer time, so it clashes with 03:00-03:30
		// (on the wall clock it would seem to end at 03:00).
		night := f.Event(t, f.Yoga, f.Sofie, at(29, 1, 30), 10)
		ninety := 90
		if _, err := f.Store.UpdateEvent(ctx, night.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, StartsAt: night.StartsAt, DurationMin: &ninety}); err != nil {
			t.Fatal(err)
		}
		clash("DST night", at(29, 3, 0), at(29, 3, 30), nil, night.ID)
		clash("DST after", at(29, 4, 0), at(29, 5, 0), nil)

		// Many: at most MaxListedClashes listed, all counted.
		for i := range booking.MaxListedClashes + 2 {
			f.Event(t, f.Yoga, f.Sofie, at(20, 8, 0).Add(time.Duration(i)*time.Minute), 10)
		}
		got, err := f.Store.MemberClashes(ctx, f.Location.ID, f.Sofie.ID, at(20, 8, 0), at(20, 9, 0), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != booking.MaxListedClashes+2 || len(got.Events) != booking.MaxListedClashes {
			t.Errorf("many: %d listed, total %d", len(got.Events), got.Total)
		}
	})
}

// PlannedClashes: every date of a series is checked; an event clashing with
// two dates is named once.
func TestPlannedClashes(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		zone := f.Location.Zone()
		long := f.Event(t, f.Yoga, f.Sofie, time.Date(2026, 3, 10, 8, 0, 0, 0, zone), 10)
		tenHours := 600 // 08:00-18:00
		if _, err := f.Store.UpdateEvent(ctx, long.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, StartsAt: long.StartsAt, DurationMin: &tenHours}); err != nil {
			t.Fatal(err)
		}
		later := f.Event(t, f.Yoga, f.Sofie, time.Date(2026, 3, 17, 9, 0, 0, 0, zone), 10)
		starts := []time.Time{
			time.Date(2026, 3, 10, 9, 0, 0, 0, zone), time.Date(2026, 3, 10, 12, 0, 0, 0, zone),
			time.Date(2026, 3, 17, 9, 30, 0, 0, zone), time.Date(2026, 3, 24, 9, 0, 0, 0, zone),
		}
		got, err := f.Store.PlannedClashes(ctx, f.Location.ID, f.Sofie.ID, starts, 60, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != 2 || len(got.Events) != 2 || got.Events[0].ID != long.ID || got.Events[1].ID != later.ID {
			t.Errorf("clashes: total %d, %+v", got.Total, got.Events)
		}
	})
}
