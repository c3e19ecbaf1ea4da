package booking_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestParseLocal(t *testing.T) {
	zone, err := time.LoadLocation("Europe/Budapest")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		date, clock string
		want        string // UTC, or the fields in error
	}{
		{"2026-03-10", "18:00", "2026-03-10T17:00:00Z"},
		{"2026-07-10", "18:00", "2026-07-10T16:00:00Z"},
		{" 2026-07-10 ", "07:05", "2026-07-10T05:05:00Z"},
		// 02:30 does not exist on 29 March: the clocks jump to 03:30.
		{"2026-03-29", "02:30", "2026-03-29T01:30:00Z"},
		{"2026-02-30", "18:00", "date"},
		{"10/03/2026", "18:00", "date"},
		{"2026-03-10", "25:00", "start_time"},
		{"2026-03-10", "", "start_time"},
		{"", "x", "date start_time"},
	} {
		got, err := booking.ParseLocal(zone, tc.date, tc.clock)
		var fe booking.FieldErrors
		switch {
		case errors.As(err, &fe):
			fields := ""
			for _, f := range []string{"date", "start_time"} {
				if _, ok := fe[f]; ok {
					if fields != "" {
						fields += " "
					}
					fields += f
				}
			}
			if fields != tc.want || len(fe) != len(strings.Fields(fields)) {
				t.Errorf("ParseLocal(%q, %q): errors on %q, want %q", tc.date, tc.clock, fields, tc.want)
			}
		case err != nil:
			t.Errorf("ParseLocal(%q, %q): %v", tc.date, tc.clock, err)
		case got.Format(time.RFC3339) != tc.want:
			t.Errorf("ParseLocal(%q, %q) = %s, want %s", tc.date, tc.clock, got.Format(time.RFC3339), tc.want)
		}
	}
}

func countEvents(t *testing.T, db *bun.DB) int {
	t.Helper()
	n, err := db.NewSelect().Model((*booking.Event)(nil)).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestCreateEventAt(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev, err := f.Store.CreateEventAt(ctx, f.Location.ID, booking.EventInput{ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID}, "2026-04-02", "18:30")
		if err != nil {
			t.Fatal(err)
		}
		if !ev.StartsAt.Equal(time.Date(2026, 4, 2, 16, 30, 0, 0, time.UTC)) {
			t.Errorf("starts at %s, want 16:30 UTC (18:30 CEST)", ev.StartsAt)
		}
		if ev.Capacity != f.Yoga.DefaultCapacity || ev.DurationMin != f.Yoga.DurationMin || ev.Color != f.Yoga.Color {
			t.Errorf("service defaults not taken: %+v", ev)
		}

		// Every problem at once, at the fields the admin typed, nothing written.
		zero := 0
		before := countEvents(t, db)
		_, err = f.Store.CreateEventAt(ctx, f.Location.ID, booking.EventInput{ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID, Capacity: &zero}, "2026-04-31", "18:30")
		var fe booking.FieldErrors
		if !errors.As(err, &fe) || fe["capacity"] != booking.MsgMustBePositive || fe["date"] != booking.MsgInvalidDate {
			t.Errorf("capacity 0 and a bad date: %v", err)
		}
		if _, ok := fe["starts_at"]; ok {
			t.Errorf("starts_at reported beside date: %v", fe)
		}
		if countEvents(t, db) != before {
			t.Error("an invalid event was written")
		}
	})
}

func TestUpdateEventAt(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.AlsoRuns(t, f.Marton, f.Yoga) // the edits below move Yoga events to him
		ev := localEvent(t, f, f.Yoga, f.Sofie, 2026, 3, 10, 18, 0)
		if _, err := f.Store.Reserve(ctx, scheduleBooking(f, 1, 4, ev)); err != nil {
			t.Fatal(err)
		}
		eight, three := 8, 3
		got, err := f.Store.UpdateEventAt(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Marton.ID, Capacity: &eight, Color: "#112233", Comment: "Room 2"}, "2026-04-01", "07:15")
		if err != nil {
			t.Fatal(err)
		}
		if !got.StartsAt.Equal(time.Date(2026, 4, 1, 5, 15, 0, 0, time.UTC)) || got.TeamMemberID != f.Marton.ID || got.Capacity != 8 || got.Comment != "Room 2" {
			t.Errorf("updated: %+v", got)
		}
		if got.ServiceID != f.Yoga.ID {
			t.Error("the service changed")
		}

		// Below the 4 seats taken, with a bad time too: both reported, nothing changed.
		_, err = f.Store.UpdateEventAt(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, Capacity: &three}, "2026-04-01", "7.15")
		var fe booking.FieldErrors
		if !errors.As(err, &fe) || fe["capacity"] != booking.MsgCapacityBelow || fe["start_time"] != booking.MsgInvalidTime {
			t.Errorf("capacity below taken and a bad time: %v", err)
		}
		_, err = f.Store.UpdateEventAt(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, Capacity: &three}, "2026-04-01", "07:15")
		if !errors.As(err, &fe) || fe["capacity"] != booking.MsgCapacityBelow {
			t.Errorf("capacity below taken: %v", err)
		}
		now, err := f.Store.Event(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if now.TeamMemberID != f.Marton.ID || now.Capacity != 8 || !now.StartsAt.Equal(got.StartsAt) {
			t.Errorf("a refused change was written: %+v", now)
		}

		if _, err := f.Store.DeleteEvent(ctx, ev.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.UpdateEventAt(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Sofie.ID}, "2026-04-01", "07:15"); !errors.Is(err, booking.ErrEventDeleted) {
			t.Errorf("update of a deleted event: %v", err)
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Error(bad)
		}
	})
}

// scheduleBooking is a staff booking (no widget link) of seats for client n.
func scheduleBooking(f *booktest.Fixture, n, seats int, ev *booking.Event) booking.ReserveRequest {
	return booking.ReserveRequest{
		LocationID: f.Location.ID, EventIDs: []int64{ev.ID}, Seats: seats,
		Client: booktest.Client(n), Lang: "en",
	}
}
