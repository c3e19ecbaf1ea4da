package booking_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// claimRace runs every request at once and returns the seats won per
// client number (strangers included); any error but the expected losses
// fails the test.
func claimRace(t *testing.T, f *booktest.Fixture, reqs map[int][]booking.ReserveRequest) map[int]int {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	won := map[int]int{}
	start := make(chan struct{})
	for n, rs := range reqs {
		for _, r := range rs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := f.Store.Reserve(context.Background(), r)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won[n] += r.Seats
				case errors.Is(err, booking.ErrFull), errors.Is(err, booking.ErrOfferGone), errors.Is(err, booking.ErrAlreadyBooked):
				default:
					t.Errorf("client %d: %v", n, err)
				}
			}()
		}
	}
	close(start)
	wg.Wait()
	return won
}

// TestWaitlistClaimRace: in order, two offers each claimed by many
// requests at once (double submits) while strangers try the same seats:
// each offer is claimed once, nobody else gets in, nothing is oversold.
func TestWaitlistClaimRace(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		ev, bs := fullYoga(t, f, 4)
		a, b := f.Join(t, 1, 2, ev), f.Join(t, 2, 2, ev)
		cancelAdmin(t, f, bs[0])
		wantState(t, db, booking.WaitOffered, a, b)
		reqs := map[int][]booking.ReserveRequest{}
		for range 8 {
			reqs[1] = append(reqs[1], claimReq(f, 1, 2, a, ev))
			reqs[2] = append(reqs[2], claimReq(f, 2, 2, b, ev))
		}
		for i := range 8 {
			reqs[100+i] = []booking.ReserveRequest{req(f, 100+i, 1, ev)}
		}
		won := claimRace(t, f, reqs)
		if len(won) != 2 || won[1] != 2 || won[2] != 2 {
			t.Fatalf("winners %v, want clients 1 and 2 with 2 seats each", won)
		}
		wantState(t, db, booking.WaitBooked, a, b)
		if n := seatsTaken(t, f, ev); n != 4 {
			t.Fatalf("seats taken %d", n)
		}
		invariant(t, db)
	})
}

// TestWaitlistFirstClaimRace: first to claim, six offers of 1 seat for 3
// free seats, each claimed twice at once, and strangers booking: exactly
// 3 seats go, at most one per client, nothing oversold.
func TestWaitlistFirstClaimRace(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistFirstClaim, 120)
		ev, bs := fullYoga(t, f, 3)
		var entries []*booking.WaitlistEntry
		for n := 1; n <= 6; n++ {
			entries = append(entries, f.Join(t, n, 1, ev))
		}
		cancelAdmin(t, f, bs[0])
		wantState(t, db, booking.WaitOffered, entries...)
		reqs := map[int][]booking.ReserveRequest{}
		for i, e := range entries {
			reqs[i+1] = []booking.ReserveRequest{claimReq(f, i+1, 1, e, ev), claimReq(f, i+1, 1, e, ev)}
		}
		for i := range 4 {
			reqs[100+i] = []booking.ReserveRequest{req(f, 100+i, 1, ev)}
		}
		won := claimRace(t, f, reqs)
		total := 0
		for n, seats := range won {
			if seats != 1 {
				t.Fatalf("client %d won %d seats", n, seats)
			}
			total += seats
		}
		if total != 3 {
			t.Fatalf("%d seats won of 3: %v", total, won)
		}
		if n := seatsTaken(t, f, ev); n != 3 {
			t.Fatalf("seats taken %d", n)
		}
		for i, e := range entries {
			got := entryNow(t, db, e.ID)
			if (got.State == booking.WaitBooked) != (won[i+1] == 1) {
				t.Fatalf("entry of client %d is %s, won %d", i+1, got.State, won[i+1])
			}
		}
		invariant(t, db)
		// Offers left without seats (strangers took them) go back to
		// waiting at their end, their place kept.
		f.Now = f.Now.Add(121 * time.Minute)
		for i, e := range entries {
			if _, err := f.Store.ExpireOffer(context.Background(), e.ID); err != nil {
				t.Fatal(err)
			}
			if got := entryNow(t, db, e.ID); won[i+1] == 0 && got.State != booking.WaitWaiting {
				t.Fatalf("unlucky entry of client %d is %s", i+1, got.State)
			}
		}
	})
}
