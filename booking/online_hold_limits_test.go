package booking_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestHoldLimitPerClient: a client may have MaxActiveHolds groups waiting
// for payment; one more is refused with nothing held, and once a hold is
// released (or paid) the client may hold again. Fired at once, a client's
// holds never pass the limit.
func TestHoldLimitPerClient(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, booking.MaxActiveHolds+2, 10)
		var held []*booking.Reservation
		for i := range booking.MaxActiveHolds {
			held = append(held, hold(t, f, 1, 1, evs[i]))
		}
		extra := evs[booking.MaxActiveHolds]
		if _, err := f.Store.Reserve(ctx, holdReq(f, 1, 1, extra)); !errors.Is(err, booking.ErrTooManyHolds) {
			t.Fatalf("hold over the limit: %v, want ErrTooManyHolds", err)
		}
		if n := seatsTaken(t, f, extra); n != 0 {
			t.Fatalf("refused hold took %d seats", n)
		}
		// Another client is not limited by this one's holds.
		hold(t, f, 2, 1, extra)
		// A released hold frees the client's turn.
		if ok, err := f.Store.ExpireHold(ctx, held[0].Group.ID); err != nil || !ok {
			t.Fatalf("expire: %v %v", ok, err)
		}
		hold(t, f, 1, 1, extra)
		invariant(t, db)

		// Many holds of one new client at once: at most the limit wins.
		client := 3
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, refused := 0, 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := holdReq(f, client, 1, evs[len(evs)-1])
				r.VisitorName = fmt.Sprintf("Guest %d", i) // distinct visitors: each may book the event
				r.Key = fmt.Sprintf("limit-race-%d", i)
				_, err := f.Store.Reserve(ctx, r)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case errors.Is(err, booking.ErrTooManyHolds):
					refused++
				default:
					t.Errorf("hold %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if won != booking.MaxActiveHolds || refused != 8-booking.MaxActiveHolds {
			t.Fatalf("%d holds won, %d refused; want %d won", won, refused, booking.MaxActiveHolds)
		}
		invariant(t, db)
	})
}

// TestHoldLimitPerAddress: one address may start MaxHoldsPerAddress holds
// an hour, whatever phones it gives; the next is refused with nothing
// held, and an hour later it may hold again.
func TestHoldLimitPerAddress(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 50)[0]
		for i := range booking.MaxHoldsPerAddress {
			r := holdReq(f, 1+i, 1, ev)
			r.ClientIP = "2001:db8:1:2::17"
			if _, err := f.Store.Reserve(ctx, r); err != nil {
				t.Fatalf("hold %d: %v", i, err)
			}
		}
		r := holdReq(f, 1+booking.MaxHoldsPerAddress, 1, ev)
		r.ClientIP = "2001:db8:1:2::99" // the same /64
		if _, err := f.Store.Reserve(ctx, r); !errors.Is(err, booking.ErrTooManyHolds) {
			t.Fatalf("hold over the address limit: %v", err)
		}
		if n := seatsTaken(t, f, ev); n != booking.MaxHoldsPerAddress {
			t.Fatalf("%d seats taken, want %d", n, booking.MaxHoldsPerAddress)
		}
		other := r
		other.ClientIP = "2001:db8:9::1"
		if _, err := f.Store.Reserve(ctx, other); err != nil {
			t.Fatalf("another address: %v", err)
		}
		f.Now = f.Now.Add(booking.HoldAddressWindow + time.Minute)
		later := holdReq(f, 2+booking.MaxHoldsPerAddress, 1, ev)
		later.ClientIP = "2001:db8:1:2::17"
		if _, err := f.Store.Reserve(ctx, later); err != nil {
			t.Fatalf("an hour later: %v", err)
		}
		invariant(t, db)
	})
}
