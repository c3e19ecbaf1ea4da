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

// localEvent creates an event at a Budapest wall-clock time.
func localEvent(t *testing.T, f *booktest.Fixture, svc *booking.Service, m *booking.TeamMember, y int, mo time.Month, d, h, min int) *booking.Event {
	t.Helper()
	return f.Event(t, svc, m, time.Date(y, mo, d, h, min, 0, 0, f.Location.Zone()), 10)
}

// cellIDs returns the ids of a schedule cell's events.
func cellIDs(sch *booking.Schedule, row, day int) []int64 {
	var out []int64
	for _, ev := range sch.Rows[row].Cells[day] {
		out = append(out, ev.ID)
	}
	return out
}

func sameIDs(got []int64, want ...*booking.Event) bool {
	if len(got) != len(want) {
		return false
	}
	for i, ev := range want {
		if got[i] != ev.ID {
			return false
		}
	}
	return true
}

// TestScheduleWeekAcrossDST: the week of 23–29 March 2026 ends with the
// spring-forward Sunday (a 23-hour day). Events belong to the local day
// their clock shows, although 00:15 Monday is still Sunday in UTC.
func TestScheduleWeekAcrossDST(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		monEarly := localEvent(t, f, f.Yoga, f.Sofie, 2026, 3, 23, 0, 15) // 22 March 23:15 UTC
		sat := localEvent(t, f, f.Yoga, f.Sofie, 2026, 3, 28, 18, 0)
		sunLate := localEvent(t, f, f.Yoga, f.Sofie, 2026, 3, 29, 23, 30) // after the change
		sunPilates := localEvent(t, f, f.Pilates, f.Marton, 2026, 3, 29, 18, 0)
		nextMon := localEvent(t, f, f.Yoga, f.Sofie, 2026, 3, 30, 0, 30) // 29 March 22:30 UTC
		localEvent(t, f, f.Yoga, f.Sofie, 2026, 3, 22, 23, 45)           // the Sunday before

		// Any day of the week gives the same week.
		sch, err := f.Store.Schedule(ctx, booking.ScheduleQuery{
			LocationID: f.Location.ID, From: booking.WeekStart(time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC)), Days: 7,
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := sch.Days[0].Format("Mon 2006-01-02 15:04 MST"); got != "Mon 2026-03-23 00:00 CET" {
			t.Errorf("first day %s", got)
		}
		if got := sch.Days[6].Format("Mon 2006-01-02 15:04 MST"); got != "Sun 2026-03-29 00:00 CET" {
			t.Errorf("last day %s", got)
		}
		if len(sch.Rows) != 2 || sch.Rows[0].Member.ID != f.Marton.ID || sch.Rows[1].Member.ID != f.Sofie.ID {
			t.Fatalf("rows %+v", sch.Rows)
		}
		if !sameIDs(cellIDs(sch, 1, 0), monEarly) || !sameIDs(cellIDs(sch, 1, 5), sat) || !sameIDs(cellIDs(sch, 1, 6), sunLate) {
			t.Errorf("Sofie's week: %v", sch.Rows[1].Cells)
		}
		if !sameIDs(cellIDs(sch, 0, 6), sunPilates) {
			t.Errorf("Márton's Sunday: %v", cellIDs(sch, 0, 6))
		}
		if sch.Events != 4 {
			t.Errorf("%d events in the week, want 4", sch.Events)
		}

		next, err := f.Store.Schedule(ctx, booking.ScheduleQuery{LocationID: f.Location.ID, From: time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC), Days: 7})
		if err != nil {
			t.Fatal(err)
		}
		if got := next.Days[0].Format("2006-01-02 15:04 MST"); got != "2026-03-30 00:00 CEST" {
			t.Errorf("next week starts %s", got)
		}
		if !sameIDs(cellIDs(next, 1, 0), nextMon) || next.Events != 1 {
			t.Errorf("next Monday: %v (%d events)", cellIDs(next, 1, 0), next.Events)
		}

		// The day view of the short Sunday, in start order per member.
		day, err := f.Store.Schedule(ctx, booking.ScheduleQuery{LocationID: f.Location.ID, From: time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), Days: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !sameIDs(cellIDs(day, 1, 0), sunLate) || !sameIDs(cellIDs(day, 0, 0), sunPilates) {
			t.Errorf("Sunday: Sofie %v, Márton %v", cellIDs(day, 1, 0), cellIDs(day, 0, 0))
		}
	})
}

// TestScheduleFallBackDay: 25 October 2026 has 25 hours; 00:30 and 23:30
// local are both on it though they are 24 hours apart in UTC.
func TestScheduleFallBackDay(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		early := localEvent(t, f, f.Yoga, f.Sofie, 2026, 10, 25, 0, 30)
		late := localEvent(t, f, f.Yoga, f.Sofie, 2026, 10, 25, 23, 30)
		if late.StartsAt.Sub(early.StartsAt) != 24*time.Hour {
			t.Fatalf("fixture: %s .. %s", early.StartsAt, late.StartsAt)
		}
		sch, err := f.Store.Schedule(ctx, booking.ScheduleQuery{LocationID: f.Location.ID, From: time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), Days: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !sameIDs(cellIDs(sch, 1, 0), early, late) {
			t.Errorf("25 October: %v", cellIDs(sch, 1, 0))
		}
	})
}

func TestScheduleFilters(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		yoga := localEvent(t, f, f.Yoga, f.Sofie, 2026, 3, 10, 18, 0)
		pilates := localEvent(t, f, f.Pilates, f.Marton, 2026, 3, 10, 9, 0)
		q := booking.ScheduleQuery{LocationID: f.Location.ID, From: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), Days: 1}

		byService := q
		byService.ServiceID = f.Pilates.ID
		sch, err := f.Store.Schedule(ctx, byService)
		if err != nil {
			t.Fatal(err)
		}
		if len(sch.Rows) != 1 || sch.Rows[0].Member.ID != f.Marton.ID || !sameIDs(cellIDs(sch, 0, 0), pilates) {
			t.Errorf("Pilates only: %+v", sch.Rows)
		}

		byMember := q
		byMember.TeamMemberID = f.Sofie.ID
		if sch, err = f.Store.Schedule(ctx, byMember); err != nil {
			t.Fatal(err)
		}
		if len(sch.Rows) != 1 || sch.Rows[0].Member.ID != f.Sofie.ID || !sameIDs(cellIDs(sch, 0, 0), yoga) {
			t.Errorf("Sofie only: %+v", sch.Rows)
		}

		// An archived member keeps a row while they have events, and only then.
		if err := f.Store.SetTeamMemberActive(ctx, f.Marton.ID, false); err != nil {
			t.Fatal(err)
		}
		if sch, err = f.Store.Schedule(ctx, q); err != nil {
			t.Fatal(err)
		}
		if len(sch.Rows) != 2 {
			t.Errorf("archived member with an event is hidden: %d rows", len(sch.Rows))
		}
		empty := q
		empty.From = time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)
		if sch, err = f.Store.Schedule(ctx, empty); err != nil {
			t.Fatal(err)
		}
		if len(sch.Rows) != 1 || sch.Rows[0].Member.ID != f.Sofie.ID {
			t.Errorf("empty day: %+v", sch.Rows)
		}

		// A deleted event is off the schedule.
		if _, err := f.Store.DeleteEvent(ctx, yoga.ID); err != nil {
			t.Fatal(err)
		}
		if sch, err = f.Store.Schedule(ctx, q); err != nil {
			t.Fatal(err)
		}
		if sch.Events != 1 {
			t.Errorf("%d events after delete, want 1", sch.Events)
		}

		bad := q
		bad.Days = 0
		if _, err := f.Store.Schedule(ctx, bad); !errors.Is(err, booking.ErrInvalid) {
			t.Errorf("0 days: %v", err)
		}
	})
}

func TestWeekStart(t *testing.T) {
	for in, want := range map[string]string{
		"2026-03-02": "2026-03-02", // Monday
		"2026-03-08": "2026-03-02", // Sunday
		"2026-03-04": "2026-03-02",
		"2026-03-01": "2026-02-23",
	} {
		d, _ := time.Parse(booking.DateLayout, in)
		if got := booking.WeekStart(d).Format(booking.DateLayout); got != want {
			t.Errorf("WeekStart(%s) = %s, want %s", in, got, want)
		}
	}
}
