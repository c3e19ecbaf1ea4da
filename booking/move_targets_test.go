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

func TestMoveTargets(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 5, 4) // tomorrow 18:00 UTC and the four days after
		past := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(-24*time.Hour), 10)
		pilates := f.Event(t, f.Pilates, f.Marton, evs[1].StartsAt.Add(time.Hour), 8)
		res, err := f.Store.Reserve(ctx, staffReq(f, 1, 2, "", evs[0]))
		if err != nil {
			t.Fatal(err)
		}
		b := res.Bookings[0]
		// evs[1]: only one seat left, too few for two.
		if _, err := f.Store.Reserve(ctx, staffReq(f, 2, 3, "", evs[1])); err != nil {
			t.Fatal(err)
		}
		// evs[2]: the same client already holds a booking there.
		if _, err := f.Store.Reserve(ctx, staffReq(f, 1, 1, "", evs[2])); err != nil {
			t.Fatal(err)
		}
		// evs[3]: the client's child is booked there, which does not count.
		if _, err := f.Store.Reserve(ctx, staffReq(f, 1, 1, "Peti", evs[3])); err != nil {
			t.Fatal(err)
		}
		// evs[4] is deleted.
		if _, err := f.Store.DeleteEvent(ctx, evs[4].ID); err != nil {
			t.Fatal(err)
		}
		got, err := f.Store.MoveTargets(ctx, b.ID, f.Now)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{evs[3].ID}; !equalIDs(eventIDs(got), want) {
			t.Errorf("targets %v, want %v (past %d, pilates %d excluded)", eventIDs(got), want, past.ID, pilates.ID)
		}
		// Everything offered is accepted by MoveBooking.
		for _, ev := range got {
			if _, err := f.Store.MoveBooking(ctx, b.ID, ev.ID); err != nil {
				t.Errorf("move to offered event %d: %v", ev.ID, err)
			}
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}

		// Once the clock passes an event, it is no longer a target.
		if got, err = f.Store.MoveTargets(ctx, b.ID, evs[3].StartsAt.Add(time.Minute)); err != nil || len(got) != 0 {
			t.Errorf("after the start: %v %v", eventIDs(got), err)
		}
		if _, err := f.Store.CancelByAdmin(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.MoveTargets(ctx, b.ID, f.Now); !errors.Is(err, booking.ErrAlreadyCancelled) {
			t.Errorf("cancelled booking: %v", err)
		}
		if _, err := f.Store.MoveTargets(ctx, 987654, f.Now); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown booking: %v", err)
		}
	})
}

func eventIDs(evs []booking.Event) []int64 {
	out := make([]int64, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}
