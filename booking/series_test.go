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

// TestSeriesAcrossDST: a Tuesday/Thursday 18:00 class in Budapest stays at
// 18:00 local through both 2026 clock changes (29 March, 25 October), so
// its UTC time moves by an hour.
func TestSeriesAcrossDST(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		zone := f.Location.Zone()
		for _, tc := range []struct {
			from, until           string
			wantBefore, wantAfter int // UTC hour before and after the change
			change                time.Time
		}{
			{"2026-03-17", "2026-04-09", 17, 16, time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)},
			{"2026-10-13", "2026-11-05", 16, 17, time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC)},
		} {
			sr, events, err := f.Store.CreateSeries(ctx, f.Location.ID, booking.SeriesInput{
				ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID,
				Weekdays:  booking.WeekdaySet(time.Tuesday, time.Thursday),
				StartTime: "18:00", From: tc.from, Until: tc.until,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 8 {
				t.Fatalf("%s..%s: %d events, want 8", tc.from, tc.until, len(events))
			}
			stored, err := f.Store.Events(ctx, booking.EventFilter{LocationID: f.Location.ID})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, ev := range stored {
				if ev.SeriesID != sr.ID {
					continue
				}
				n++
				local := ev.StartsAt.In(zone)
				if local.Hour() != 18 || local.Minute() != 0 {
					t.Errorf("event at %s local, want 18:00", local)
				}
				if wd := local.Weekday(); wd != time.Tuesday && wd != time.Thursday {
					t.Errorf("event on %s", wd)
				}
				want := tc.wantBefore
				if ev.StartsAt.After(tc.change) {
					want = tc.wantAfter
				}
				if ev.StartsAt.UTC().Hour() != want {
					t.Errorf("%s: UTC hour %d, want %d", local, ev.StartsAt.UTC().Hour(), want)
				}
				if ev.Capacity != f.Yoga.DefaultCapacity || ev.DurationMin != f.Yoga.DurationMin {
					t.Errorf("defaults not taken from the service: %+v", ev)
				}
			}
			if n != 8 {
				t.Errorf("%d stored events of the series, want 8", n)
			}
		}
	})
}

func TestExpandSeriesSpringGap(t *testing.T) {
	zone, err := time.LoadLocation("Europe/Budapest")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)
	got := booking.ExpandSeries(zone, booking.WeekdaySet(time.Sunday), 2*60+30, day, day)
	// 02:30 does not exist that night; clocks jump from 02:00 to 03:00.
	if len(got) != 1 || got[0].In(zone).Hour() != 3 {
		t.Fatalf("got %v", got)
	}
}

func TestSeriesValidation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		zero := 0
		base := booking.SeriesInput{
			ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID, Weekdays: booking.WeekdaySet(time.Monday),
			StartTime: "09:00", From: "2026-04-01", Until: "2026-04-30",
		}
		for _, tc := range []struct {
			name, field, msg string
			edit             func(*booking.SeriesInput)
		}{
			{"no weekdays", "weekdays", booking.MsgNoWeekdays, func(in *booking.SeriesInput) { in.Weekdays = 0 }},
			{"until before from", "until", booking.MsgUntilBeforeFrom, func(in *booking.SeriesInput) { in.Until = "2026-03-01" }},
			{"too long", "until", booking.MsgSeriesTooLong, func(in *booking.SeriesInput) { in.Until = "2028-01-01" }},
			{"bad date", "from", booking.MsgInvalidDate, func(in *booking.SeriesInput) { in.From = "2026-02-30" }},
			{"bad time", "start_time", booking.MsgInvalidTime, func(in *booking.SeriesInput) { in.StartTime = "25:00" }},
			{"capacity 0", "capacity", booking.MsgMustBePositive, func(in *booking.SeriesInput) { in.Capacity = &zero }},
			{"unknown service", "service_id", booking.MsgUnknownService, func(in *booking.SeriesInput) { in.ServiceID = 9999 }},
		} {
			in := base
			tc.edit(&in)
			_, _, err := f.Store.CreateSeries(ctx, f.Location.ID, in)
			var fe booking.FieldErrors
			if !errors.As(err, &fe) || fe[tc.field] != tc.msg {
				t.Errorf("%s: got %v, want %s: %s", tc.name, err, tc.field, tc.msg)
			}
		}
		n, err := db.NewSelect().Model((*booking.Event)(nil)).Count(ctx)
		if err != nil || n != 0 {
			t.Errorf("invalid series wrote %d events (%v)", n, err)
		}
	})
}
