package main

import (
	"context"
	"fmt"
	"time"

	"groupbook/booking"
)

// The demo's full class: the first Pilates class a day or more ahead, its
// ten seats booked by four parties, and three people waiting with parties
// of different sizes, so a cancel in the admin shows whom the seats are
// offered to (a party that does not fit keeps its place).
var (
	demoFullParties = []demoParty{
		{"+36201110001", "Kata", "Szabó", 3}, {"+36201110002", "Levente", "Nagy", 3},
		{"+36201110003", "Zsófia", "Tóth", 2}, {"+36201110004", "Bálint", "Kiss", 2},
	}
	demoWaiting = []demoParty{
		{"+36201110011", "Réka", "Varga", 2}, {"+36201110012", "Dávid", "Molnár", 1},
		{"+36201110013", "Noémi", "Farkas", 3},
	}
)

type demoParty struct {
	phone, first, last string
	seats              int
}

// Minimum attendees of the demo's services: Pilates needs 3 booked seats
// three hours before the start, Yoga 4 six hours before; the studio is
// warned rather than cancelling, so the demo never calls a class off on
// its own.
const (
	demoPilatesMin, demoPilatesDecide = 3, 3
	demoYogaMin, demoYogaDecide       = 4, 6
)

// loadDemoWaitlist fills the demo's full class and its waitlist. It goes
// through the store like the widget and the admin would: staff bookings
// fill the class, and the waiting clients join through the demo link.
func loadDemoWaitlist(ctx context.Context, st *booking.Store, d *demoData, now time.Time) error {
	events, err := st.Events(ctx, booking.EventFilter{LocationID: d.Location.ID, ServiceIDs: []int64{d.Pilates.ID}})
	if err != nil {
		return fmt.Errorf("demo full class: %w", err)
	}
	for i := range events {
		if events[i].StartsAt.After(now.Add(24 * time.Hour)) {
			d.FullEvent = &events[i]
			break
		}
	}
	if d.FullEvent == nil {
		return fmt.Errorf("demo full class: no Pilates class a day ahead")
	}
	ev := d.FullEvent
	for _, p := range demoFullParties {
		if _, err := st.Reserve(ctx, booking.ReserveRequest{
			LocationID: d.Location.ID, EventIDs: []int64{ev.ID}, Seats: p.seats, Lang: "hu",
			Client: booking.ClientInput{Phone: p.phone, FirstName: p.first, LastName: p.last},
		}); err != nil {
			return fmt.Errorf("demo full class booking for %s: %w", p.first, err)
		}
	}
	for _, p := range demoWaiting {
		if _, err := st.JoinWaitlist(ctx, booking.JoinWaitlistRequest{
			LocationID: d.Location.ID, Link: d.Link, EventID: ev.ID, Seats: p.seats, Lang: "hu",
			Client: booking.ClientInput{Phone: p.phone, FirstName: p.first, LastName: p.last},
		}); err != nil {
			return fmt.Errorf("demo waitlist entry for %s: %w", p.first, err)
		}
	}
	return nil
}
