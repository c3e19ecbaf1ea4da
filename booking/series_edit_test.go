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

// tueThuSeries creates Yoga with Sofie, Tuesdays and Thursdays at 18:00,
// 17 March – 9 April 2026: eight events, the last four after the spring
// clock change.
func tueThuSeries(t *testing.T, f *booktest.Fixture) []booking.Event {
	t.Helper()
	_, events, err := f.Store.CreateSeries(context.Background(), f.Location.ID, booking.SeriesInput{
		ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID,
		Weekdays:  booking.WeekdaySet(time.Tuesday, time.Thursday),
		StartTime: "18:00", From: "2026-03-17", Until: "2026-04-09",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 8 {
		t.Fatalf("%d events", len(events))
	}
	return events
}

func reload(t *testing.T, f *booktest.Fixture, id int64) *booking.Event {
	t.Helper()
	ev, err := f.Store.Event(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestUpdateSeriesFrom: editing the third event (Tue 24 March) moves it
// and every later one to 19:15 local, one day later (Wed/Fri), with
// Márton and a new capacity; the first two stay as they were. The clock
// time holds on both sides of the DST change on 29 March.
func TestUpdateSeriesFrom(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.AlsoRuns(t, f.Marton, f.Yoga) // the edits below move Yoga events to him
		zone := f.Location.Zone()
		events := tueThuSeries(t, f)
		deleted := events[6]
		if _, err := f.Store.DeleteEvent(ctx, deleted.ID); err != nil {
			t.Fatal(err)
		}
		twelve, seventy := 12, 75
		changed, err := f.Store.UpdateSeriesFrom(ctx, events[2].ID, booking.EventInput{
			TeamMemberID: f.Marton.ID, Capacity: &twelve, DurationMin: &seventy,
			Color: "#112233", Category: "Evening", Comment: "Room 2",
		}, "2026-03-25", "19:15")
		if err != nil {
			t.Fatal(err)
		}
		if len(changed) != 5 {
			t.Fatalf("%d events changed, want 5 (3rd to 8th, not the deleted one)", len(changed))
		}
		for i, ev := range events {
			got := reload(t, f, ev.ID)
			local := got.StartsAt.In(zone)
			switch {
			case ev.ID == deleted.ID:
				if !got.StartsAt.Equal(ev.StartsAt) || got.TeamMemberID != f.Sofie.ID {
					t.Errorf("the deleted event was changed: %+v", got)
				}
			case i < 2:
				if !got.StartsAt.Equal(ev.StartsAt) || got.TeamMemberID != f.Sofie.ID || got.Capacity != 10 {
					t.Errorf("event %d before the edited one changed: %+v", i, got)
				}
			default:
				wantDay := ev.StartsAt.In(zone).AddDate(0, 0, 1)
				if local.Hour() != 19 || local.Minute() != 15 || local.Day() != wantDay.Day() {
					t.Errorf("event %d at %s local, want %s 19:15", i, local, wantDay.Format("Mon 2 Jan"))
				}
				if wd := local.Weekday(); wd != time.Wednesday && wd != time.Friday {
					t.Errorf("event %d on %s", i, wd)
				}
				if got.TeamMemberID != f.Marton.ID || got.Capacity != 12 || got.DurationMin != 75 || got.Color != "#112233" || got.Category != "Evening" {
					t.Errorf("event %d: %+v", i, got)
				}
				wantComment := ""
				if i == 2 {
					wantComment = "Room 2"
				}
				if got.Comment != wantComment {
					t.Errorf("event %d comment %q, want %q", i, got.Comment, wantComment)
				}
				wantUTC := 18
				if local.After(time.Date(2026, 3, 29, 3, 0, 0, 0, zone)) {
					wantUTC = 17
				}
				if got.StartsAt.UTC().Hour() != wantUTC {
					t.Errorf("event %d at %s UTC", i, got.StartsAt.UTC())
				}
			}
		}
	})
}

// TestUpdateSeriesFromCapacity: one later event holding more seats than
// the new capacity stops the whole change.
func TestUpdateSeriesFromCapacity(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.AlsoRuns(t, f.Marton, f.Yoga) // the edits below move Yoga events to him
		events := tueThuSeries(t, f)
		full := &events[5]
		if _, err := f.Store.Reserve(ctx, scheduleBooking(f, 1, 5, full)); err != nil {
			t.Fatal(err)
		}
		four := 4
		_, err := f.Store.UpdateSeriesFrom(ctx, events[1].ID, booking.EventInput{TeamMemberID: f.Marton.ID, Capacity: &four}, "2026-03-19", "20:00")
		var cbe *booking.CapacityBelowError
		var fe booking.FieldErrors
		if !errors.As(err, &cbe) || len(cbe.Events) != 1 || cbe.Events[0].ID != full.ID {
			t.Fatalf("capacity below one event's seats: %v", err)
		}
		if !errors.As(err, &fe) || fe["capacity"] != booking.MsgCapacityBelow || !errors.Is(err, booking.ErrCapacityBelowTaken) {
			t.Errorf("not a field error on capacity: %v", err)
		}
		for _, ev := range events {
			got := reload(t, f, ev.ID)
			if !got.StartsAt.Equal(ev.StartsAt) || got.TeamMemberID != f.Sofie.ID || got.Capacity != 10 {
				t.Errorf("a refused change was written: %+v", got)
			}
		}

		// The same with a bad clock time: both errors, nothing written.
		zero := 0
		_, err = f.Store.UpdateSeriesFrom(ctx, events[1].ID, booking.EventInput{TeamMemberID: f.Sofie.ID, Capacity: &zero}, "2026-03-19", "noon")
		if !errors.As(err, &fe) || fe["capacity"] != booking.MsgMustBePositive || fe["start_time"] != booking.MsgInvalidTime {
			t.Errorf("capacity 0 and a bad time: %v", err)
		}

		// At the seats taken it is allowed.
		five := 5
		if _, err := f.Store.UpdateSeriesFrom(ctx, events[1].ID, booking.EventInput{TeamMemberID: f.Sofie.ID, Capacity: &five}, "2026-03-19", "18:00"); err != nil {
			t.Fatal(err)
		}
		if got := reload(t, f, full.ID); got.Capacity != 5 || got.SeatsTaken != 5 {
			t.Errorf("full event: %+v", got)
		}
		if got := reload(t, f, events[0].ID); got.Capacity != 10 {
			t.Errorf("the event before: %+v", got)
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Error(bad)
		}
	})
}

// TestUpdateSeriesFromSingle: an event outside a series is changed alone.
func TestUpdateSeriesFromSingle(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		a := localEvent(t, f, f.Yoga, f.Sofie, 2026, 3, 10, 18, 0)
		b := localEvent(t, f, f.Yoga, f.Sofie, 2026, 3, 11, 18, 0)
		changed, err := f.Store.UpdateSeriesFrom(ctx, a.ID, booking.EventInput{TeamMemberID: f.Sofie.ID}, "2026-03-10", "19:00")
		if err != nil {
			t.Fatal(err)
		}
		if len(changed) != 1 || changed[0].ID != a.ID || changed[0].StartsAt.In(f.Location.Zone()).Hour() != 19 {
			t.Errorf("changed %+v", changed)
		}
		if got := reload(t, f, b.ID); !got.StartsAt.Equal(b.StartsAt) {
			t.Errorf("another event moved: %+v", got)
		}
		if _, err := f.Store.UpdateSeriesFrom(ctx, 999999, booking.EventInput{}, "2026-03-10", "19:00"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown event: %v", err)
		}
	})
}
