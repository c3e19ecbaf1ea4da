package main

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestAddDemoEvents(t *testing.T) {
	const n = 1500
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := booking.NewStore(db)
		st.Now = func() time.Time { return demoNow }
		d, err := loadDemo(ctx, st, demoNow)
		must(t, err)
		must(t, addDemoEvents(ctx, st, d, demoNow, n))

		var evs []booking.Event
		must(t, db.NewSelect().Model(&evs).Where("location_id = ?", d.Location.ID).Order("starts_at").Scan(ctx))
		if len(evs) != d.Events+n {
			t.Fatalf("%d events, want %d demo + %d extra", len(evs), d.Events, n)
		}
		link, err := st.LinkBySlug(ctx, demoSlug)
		must(t, err)
		full, caps, days := 0, map[int]bool{}, map[string]bool{}
		for _, ev := range evs {
			if !ev.StartsAt.After(demoNow) {
				t.Fatalf("event %d starts %s, not after now %s", ev.ID, ev.StartsAt, demoNow)
			}
			if !link.Offers(ev.ServiceID, ev.TeamMemberID) {
				t.Fatalf("event %d (service %d, member %d) is not offered by the demo link", ev.ID, ev.ServiceID, ev.TeamMemberID)
			}
			if ev.SeatsTaken == ev.Capacity {
				full++
			}
			caps[ev.Capacity] = true
			days[ev.StartsAt.In(d.Location.Zone()).Format(booking.DateLayout)] = true
		}
		if full < n/20 || full > n/5 {
			t.Errorf("%d of %d events full, want about a tenth", full, n)
		}
		if len(caps) < 5 {
			t.Errorf("capacities %v, want a mix", caps)
		}
		if want := n / len(demoSlots); len(days) < want {
			t.Errorf("events on %d local days, want at least %d (several a day)", len(days), want)
		}

		// Every taken seat is held by an active booking.
		var mismatched int
		err = db.NewSelect().TableExpr("events AS e").ColumnExpr("count(*)").
			Where("e.seats_taken <> (SELECT coalesce(sum(b.seats), 0) FROM bookings AS b WHERE b.event_id = e.id AND b.status <> 'cancelled')").
			Scan(ctx, &mismatched)
		must(t, err)
		if mismatched != 0 {
			t.Errorf("%d events whose seat count differs from their bookings' seats", mismatched)
		}
	})
}
