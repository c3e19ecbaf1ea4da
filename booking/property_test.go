package booking_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestRandomOperationsKeepInvariant drives random sequences of book, cancel,
// move, change seats, change capacity and delete through the store, and
// after every step checks the invariant against the database and against a
// model of what each successful operation should have done.
func TestRandomOperationsKeepInvariant(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			booktest.Each(t, func(t *testing.T, db *bun.DB) {
				runOps(t, db, seed, 250)
			})
		})
	}
}

type modelBooking struct {
	event, seats int64
	active       bool
}

func runOps(t *testing.T, db *bun.DB, seed uint64, steps int) {
	ctx := context.Background()
	f := booktest.Seed(t, db)
	rng := rand.New(rand.NewPCG(seed, 99))
	evs := f.YogaEvents(t, 6, 6)
	live := map[int64]bool{}
	for _, ev := range evs {
		live[ev.ID] = true
	}
	taken := map[int64]int64{}
	capacity := map[int64]int64{}
	for _, ev := range evs {
		capacity[ev.ID] = int64(ev.Capacity)
	}
	bookings := map[int64]*modelBooking{}
	var ids []int64
	pickBooking := func() (int64, *modelBooking) {
		if len(ids) == 0 {
			return 0, nil
		}
		id := ids[rng.IntN(len(ids))]
		return id, bookings[id]
	}
	expected := func(err error, allowed ...error) {
		t.Helper()
		for _, a := range allowed {
			if errors.Is(err, a) {
				return
			}
		}
		t.Fatalf("unexpected error: %v", err)
	}

	for step := range steps {
		switch op := rng.IntN(10); {
		case op < 4: // book 1-3 events
			n := 1 + rng.IntN(3)
			var chosen []*booking.Event
			for _, j := range rng.Perm(len(evs))[:n] {
				chosen = append(chosen, evs[j])
			}
			seats := 1 + rng.IntN(3)
			r := req(f, rng.IntN(8), seats, chosen...)
			if rng.IntN(2) == 0 {
				r.Link = nil
			}
			res, err := f.Store.Reserve(ctx, r)
			if err != nil {
				expected(err, booking.ErrFull, booking.ErrAlreadyBooked, booking.ErrNotFound)
				break
			}
			for _, b := range res.Bookings {
				bookings[b.ID] = &modelBooking{event: b.EventID, seats: int64(b.Seats), active: true}
				ids = append(ids, b.ID)
				taken[b.EventID] += int64(b.Seats)
			}
		case op < 6: // cancel
			id, mb := pickBooking()
			if mb == nil {
				break
			}
			_, err := f.Store.CancelByAdmin(ctx, id)
			if !mb.active {
				expected(err, booking.ErrAlreadyCancelled)
				break
			}
			if err != nil {
				t.Fatalf("cancel: %v", err)
			}
			mb.active = false
			taken[mb.event] -= mb.seats
		case op < 7: // move
			id, mb := pickBooking()
			if mb == nil {
				break
			}
			to := evs[rng.IntN(len(evs))].ID
			_, err := f.Store.MoveBooking(ctx, id, to)
			if err != nil {
				expected(err, booking.ErrFull, booking.ErrAlreadyBooked, booking.ErrAlreadyCancelled, booking.ErrNotFound)
				break
			}
			if mb.event != to {
				taken[mb.event] -= mb.seats
				taken[to] += mb.seats
				mb.event = to
			}
		case op < 8: // change seats
			id, mb := pickBooking()
			if mb == nil {
				break
			}
			seats := int64(1 + rng.IntN(4))
			_, err := f.Store.ChangeSeats(ctx, id, int(seats))
			if err != nil {
				expected(err, booking.ErrFull, booking.ErrAlreadyCancelled)
				break
			}
			taken[mb.event] += seats - mb.seats
			mb.seats = seats
		case op < 9: // change capacity
			ev := evs[rng.IntN(len(evs))]
			c := int64(1 + rng.IntN(10))
			err := f.Store.SetCapacity(ctx, ev.ID, int(c))
			switch {
			case !live[ev.ID]:
				expected(err, booking.ErrEventDeleted)
			case c < taken[ev.ID]:
				expected(err, booking.ErrCapacityBelowTaken)
			case err != nil:
				t.Fatalf("set capacity %d with %d taken: %v", c, taken[ev.ID], err)
			default:
				capacity[ev.ID] = c
			}
		default: // rarely, delete an event
			if rng.IntN(4) != 0 {
				break
			}
			ev := evs[rng.IntN(len(evs))]
			affected, err := f.Store.DeleteEvent(ctx, ev.ID)
			if !live[ev.ID] {
				expected(err, booking.ErrEventDeleted)
				break
			}
			if err != nil {
				t.Fatalf("delete: %v", err)
			}
			want := 0
			for _, mb := range bookings {
				if mb.event == ev.ID && mb.active {
					mb.active = false
					want++
				}
			}
			if len(affected) != want {
				t.Fatalf("delete reported %d affected, model has %d", len(affected), want)
			}
			live[ev.ID] = false
			taken[ev.ID] = 0
		}

		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatalf("step %d: %v", step, bad)
		}
		for _, ev := range evs {
			got, err := f.Store.Event(ctx, ev.ID)
			if err != nil {
				t.Fatal(err)
			}
			if int64(got.SeatsTaken) != taken[ev.ID] || int64(got.Capacity) != capacity[ev.ID] {
				t.Fatalf("step %d event %d: taken %d/%d, model %d/%d", step, ev.ID, got.SeatsTaken, got.Capacity, taken[ev.ID], capacity[ev.ID])
			}
		}
	}
}
