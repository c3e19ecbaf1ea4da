package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// demoNow is a Monday morning in Budapest; the eight weeks after it cross
// the switch to summer time on 2026-03-29, so local 18:00 is 17:00 UTC
// before it and 16:00 UTC after.
var demoNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestLoadDemo(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := booking.NewStore(db)
		st.Now = func() time.Time { return demoNow }
		d, err := loadDemo(ctx, st, demoNow)
		must(t, err)

		if d.Location.Name != "Sunrise Yoga Studio" || d.Location.TimeZone != "Europe/Budapest" ||
			d.Location.Country != "HU" || d.Location.DefaultLang != "en" {
			t.Errorf("location = %+v", d.Location)
		}
		budapest := d.Location.Zone()

		yoga := d.Yoga
		if yoga.DurationMin != 60 || yoga.DefaultCapacity != 12 || yoga.PriceMinor != 350000 || yoga.Currency != "HUF" || !yoga.OnlineBooking {
			t.Errorf("Yoga = %+v", yoga)
		}
		if p := d.Pilates; p.DurationMin != 55 || p.DefaultCapacity != 10 || !p.OnlineBooking {
			t.Errorf("Pilates = %+v", p)
		}
		if d.Sofie.Name != "Sofie" || d.Marton.Name != "Márton" {
			t.Errorf("team = %q, %q", d.Sofie.Name, d.Marton.Name)
		}

		// Yoga: every Tuesday and Thursday 18:00 local, today to today+8 weeks.
		events, err := st.Events(ctx, booking.EventFilter{LocationID: d.Location.ID, ServiceIDs: []int64{yoga.ID}})
		must(t, err)
		want := localDates(demoNow.In(budapest), 7*demoWeeks, time.Tuesday, time.Thursday)
		if len(want) != 16 || len(events) != len(want) {
			t.Fatalf("%d Yoga events, want %d (16)", len(events), len(want))
		}
		utcHours := map[int]bool{}
		for i, ev := range events {
			local := ev.StartsAt.In(budapest)
			if local.Format(booking.DateLayout) != want[i] || local.Hour() != 18 || local.Minute() != 0 {
				t.Errorf("Yoga event %d starts %s local, want %s 18:00", i, local.Format("Mon 2006-01-02 15:04"), want[i])
			}
			if ev.TeamMemberID != d.Sofie.ID || ev.Capacity != 12 || ev.DurationMin != 60 || ev.SeatsTaken != 0 {
				t.Errorf("Yoga event %d = %+v", i, ev)
			}
			utcHours[ev.StartsAt.UTC().Hour()] = true
		}
		if !utcHours[17] || !utcHours[16] {
			t.Errorf("UTC hours %v, want 17 (winter) and 16 (summer): local time must hold across DST", utcHours)
		}

		// Pilates: Monday and Wednesday 19:00, Saturday 10:00, all Márton.
		pilates, err := st.Events(ctx, booking.EventFilter{LocationID: d.Location.ID, ServiceIDs: []int64{d.Pilates.ID}})
		must(t, err)
		evening := localDates(demoNow.In(budapest), 7*demoWeeks, time.Monday, time.Wednesday)
		morning := localDates(demoNow.In(budapest), 7*demoWeeks, time.Saturday)
		if len(pilates) != len(evening)+len(morning) {
			t.Errorf("%d Pilates events, want %d", len(pilates), len(evening)+len(morning))
		}
		for _, ev := range pilates {
			local := ev.StartsAt.In(budapest)
			hour := map[time.Weekday]int{time.Monday: 19, time.Wednesday: 19, time.Saturday: 10}[local.Weekday()]
			if hour == 0 || local.Hour() != hour || ev.TeamMemberID != d.Marton.ID || ev.Capacity != 10 {
				t.Errorf("Pilates event at %s local with member %d", local.Format("Mon 15:04"), ev.TeamMemberID)
			}
		}
		if d.Events != len(events)+len(pilates) {
			t.Errorf("loadDemo reported %d events, stored %d", d.Events, len(events)+len(pilates))
		}

		link, err := st.LinkBySlug(ctx, "demo")
		must(t, err)
		if !link.Enabled || link.EffectiveMaxEvents() != 10 || link.EffectiveMaxSeats() != 4 ||
			link.EmailMode != booking.FieldOptional || link.CommentMode != booking.FieldOptional ||
			!link.CancelAllowed || link.CancelCutoffMin != 120 || link.ContactMessage != "Please bring your own mat." ||
			!link.Offers(yoga.ID, d.Sofie.ID) || !link.Offers(d.Pilates.ID, d.Marton.ID) {
			t.Errorf("demo link = %+v", link)
		}

		u, err := st.Authenticate(ctx, "owner@example.com", "groupbook-demo")
		if err != nil || u.Role != booking.RoleOwner {
			t.Errorf("demo owner sign-in = %+v, %v", u, err)
		}

		// The pass holder: three visits left, so four Yoga dates fall short.
		if pt := d.PassType; pt.Name != "10 Yoga classes" || pt.Visits != 10 || len(pt.ServiceIDs) != 1 || pt.ServiceIDs[0] != yoga.ID {
			t.Errorf("demo pass type = %+v", pt)
		}
		sel := booking.PassSelection{Seats: 1}
		for _, ev := range events[:4] {
			sel.EventIDs = append(sel.EventIDs, ev.ID)
		}
		opts, err := st.PassOptions(ctx, d.Location.ID, demoPassPhone, sel)
		must(t, err)
		var short *booking.PassShortError
		if len(opts) != 1 || opts[0].Pass.Balance != demoPassLeft || !errors.As(opts[0].Err, &short) || short.Left != 3 || short.Needed != 4 {
			t.Errorf("demo pass options for 4 dates = %+v", opts)
		}
		sel.EventIDs = sel.EventIDs[:3]
		if usable, err := st.UsablePasses(ctx, d.Location.ID, demoPassPhone, sel); err != nil || len(usable) != 1 {
			t.Errorf("demo pass for 3 dates: %d usable, %v", len(usable), err)
		}
	})
}

// localDates lists the dates from today to today+days, both included, that
// fall on one of the weekdays.
func localDates(today time.Time, days int, weekdays ...time.Weekday) []string {
	var out []string
	for i := 0; i <= days; i++ {
		d := today.AddDate(0, 0, i)
		for _, w := range weekdays {
			if d.Weekday() == w {
				out = append(out, d.Format(booking.DateLayout))
			}
		}
	}
	return out
}
