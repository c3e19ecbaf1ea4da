package booktest

import (
	"context"
	"testing"

	"groupbook/booking"
)

// WithWaitlist turns the fixture link's waitlist on and sets the
// location's waitlist mode and claim window (minutes) directly, so tests
// of the waitlist need not wait for the settings form.
func (f *Fixture) WithWaitlist(tb testing.TB, mode booking.WaitlistMode, claimMin int) {
	tb.Helper()
	ctx := context.Background()
	f.Link.Waitlist = true
	must(tb, f.Store.SaveLink(ctx, f.Link))
	_, err := f.Store.DB().NewUpdate().Model((*booking.Location)(nil)).
		Set("waitlist_mode = ?", mode).Set("waitlist_claim_min = ?", claimMin).
		Where("id = ?", f.Location.ID).Exec(ctx)
	must(tb, err)
	f.Location.WaitlistMode, f.Location.WaitlistClaimMin = mode, claimMin
}

// Fill books every free seat of ev as staff (clients 9000 and up), so the
// event is full; it returns the bookings.
func (f *Fixture) Fill(tb testing.TB, ev *booking.Event) []booking.Booking {
	tb.Helper()
	ctx := context.Background()
	cur, err := f.Store.Event(ctx, ev.ID)
	must(tb, err)
	var out []booking.Booking
	for i := 0; cur.SeatsTaken < cur.Capacity; i++ {
		n := min(4, cur.Capacity-cur.SeatsTaken)
		res, err := f.Store.Reserve(ctx, booking.ReserveRequest{
			LocationID: f.Location.ID, EventIDs: []int64{ev.ID}, Seats: n, Client: Client(9000 + i), Lang: "en",
		})
		must(tb, err)
		out = append(out, res.Bookings...)
		cur.SeatsTaken += n
	}
	return out
}

// Join puts client n in line for ev with seats through the fixture link.
func (f *Fixture) Join(tb testing.TB, n, seats int, ev *booking.Event) *booking.WaitlistEntry {
	tb.Helper()
	e, err := f.Store.JoinWaitlist(context.Background(), f.JoinRequest(n, seats, ev))
	must(tb, err)
	return e
}

// JoinRequest is the request Join sends.
func (f *Fixture) JoinRequest(n, seats int, ev *booking.Event) booking.JoinWaitlistRequest {
	return booking.JoinWaitlistRequest{
		LocationID: f.Location.ID, Link: f.Link, EventID: ev.ID, Seats: seats, Client: Client(n), Lang: "en",
	}
}
