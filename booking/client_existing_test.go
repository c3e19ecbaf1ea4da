package booking_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// TestClientExisting: the bookings a phone already holds in the asked
// events, with their manage tokens, in start order; cancelled ones,
// other events, other phones, visitors under the phone and other
// locations are not.
func TestClientExisting(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 4, 10)
		phone := booktest.Client(1).Phone

		late, err := f.Store.Reserve(ctx, req(f, 1, 2, evs[2]))
		if err != nil {
			t.Fatal(err)
		}
		early, err := f.Store.Reserve(ctx, req(f, 1, 1, evs[0], evs[3]))
		if err != nil {
			t.Fatal(err)
		}
		// Cancelled: not existing any more.
		if _, err := f.Store.CancelByClient(ctx, early.Group.Token, early.Bookings[1].ID, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		// Another phone in the same events, and a visitor under this phone.
		if _, err := f.Store.Reserve(ctx, req(f, 2, 1, evs[0], evs[1])); err != nil {
			t.Fatal(err)
		}
		visitor := req(f, 1, 1, evs[1])
		visitor.Link, visitor.VisitorName = nil, "Lili"
		if _, err := f.Store.Reserve(ctx, visitor); err != nil {
			t.Fatal(err)
		}

		all := []int64{evs[3].ID, evs[2].ID, evs[1].ID, evs[0].ID}
		got, err := f.Store.ClientExisting(ctx, f.Location.ID, phone, all)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("got %d existing, want 2: %+v", len(got), got)
		}
		if got[0].Booking.ID != early.Bookings[0].ID || got[0].Token != early.Group.Token || !got[0].StartsAt.Equal(evs[0].StartsAt) || got[0].Booking.Seats != 1 {
			t.Errorf("first %+v", got[0])
		}
		if got[1].Booking.ID != late.Bookings[0].ID || got[1].Token != late.Group.Token || got[1].Booking.Seats != 2 {
			t.Errorf("second %+v", got[1])
		}
		// Only the asked events.
		if got, _ := f.Store.ClientExisting(ctx, f.Location.ID, phone, []int64{evs[2].ID}); len(got) != 1 || got[0].Booking.EventID != evs[2].ID {
			t.Errorf("one event: %+v", got)
		}
		// Unknown phone, no events, another location: nothing.
		if got, err := f.Store.ClientExisting(ctx, f.Location.ID, "+36209999999", all); err != nil || len(got) != 0 {
			t.Errorf("unknown phone: %v %+v", err, got)
		}
		if got, _ := f.Store.ClientExisting(ctx, f.Location.ID, phone, nil); len(got) != 0 {
			t.Errorf("no events: %+v", got)
		}
		if got, _ := f.Store.ClientExisting(ctx, f.Location.ID+1000, phone, all); len(got) != 0 {
			t.Errorf("other location: %+v", got)
		}
	})
}
