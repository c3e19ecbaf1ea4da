package main

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// The demo has one full class with a waitlist of three parties of
// different sizes, through a link that takes waitlists, and services with
// a minimum: a cancel of 2 seats offers them to the party of 2 first in
// line, and the next of 1 waits.
func TestLoadDemoWaitlist(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := booking.NewStore(db)
		st.Now = func() time.Time { return demoNow }
		d, err := loadDemo(ctx, st, demoNow)
		must(t, err)

		if d.Yoga.MinAttendees != demoYogaMin || d.Yoga.MinDecideHours != demoYogaDecide ||
			d.Pilates.MinAttendees != demoPilatesMin || d.Pilates.MinDecideHours != demoPilatesDecide {
			t.Errorf("minimums: Yoga %d/%dh, Pilates %d/%dh", d.Yoga.MinAttendees, d.Yoga.MinDecideHours, d.Pilates.MinAttendees, d.Pilates.MinDecideHours)
		}
		link, err := st.LinkBySlug(ctx, demoSlug)
		must(t, err)
		if !link.Waitlist {
			t.Error("the demo link takes no waitlist")
		}

		ev, err := st.Event(ctx, d.FullEvent.ID)
		must(t, err)
		if ev.ServiceID != d.Pilates.ID || ev.SeatsLeft() != 0 || !ev.StartsAt.After(demoNow.Add(24*time.Hour)) {
			t.Fatalf("full class: %+v", ev)
		}
		rows, err := st.EventWaitlist(ctx, ev.ID)
		must(t, err)
		if len(rows) != len(demoWaiting) {
			t.Fatalf("%d on the waitlist, want %d", len(rows), len(demoWaiting))
		}
		sizes := map[int]bool{}
		for i, r := range rows {
			w := demoWaiting[i]
			if r.Position != i+1 || r.Entry.State != booking.WaitWaiting || r.Entry.Seats != w.seats || r.Client.FirstName != w.first {
				t.Errorf("place %d: %+v %s", i+1, r.Entry, r.Client.FirstName)
			}
			sizes[r.Entry.Seats] = true
		}
		if len(sizes) < 2 {
			t.Error("the waiting parties are all one size")
		}
		min, _, _, err := st.MinAttendeesInfo(ctx, ev.ID)
		must(t, err)
		if min != demoPilatesMin {
			t.Errorf("full class minimum %d", min)
		}

		// The demo works as the README tells: cancel a party of 2, and the
		// first in line (a party of 2) is offered the seats.
		bookings, err := st.EventWindow(ctx, d.Location.ID, ev.ID)
		must(t, err)
		var two int64
		for _, b := range bookings.Active {
			if b.Seats == 2 {
				two = b.ID
				break
			}
		}
		if _, err := st.CancelByAdmin(ctx, two); err != nil {
			t.Fatal(err)
		}
		rows, err = st.EventWaitlist(ctx, ev.ID)
		must(t, err)
		if rows[0].Entry.State != booking.WaitOffered || rows[1].Entry.State != booking.WaitWaiting {
			t.Errorf("after a cancel of 2: %s, %s", rows[0].Entry.State, rows[1].Entry.State)
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}
