package booking_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// lastSeats runs `workers` concurrent single-event bookings of 1-3 seats for
// the last 10 seats of an event, and returns how many seats the successful
// requests were granted. Any error but ErrFull fails the test.
func lastSeats(t *testing.T, f *booktest.Fixture, ev *booking.Event, workers int) (granted, successes int) {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seats := 1 + i%3
			<-start
			_, err := f.Store.Reserve(ctx, req(f, 1000+i, seats, ev))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				granted += seats
				successes++
			case errors.Is(err, booking.ErrFull):
			default:
				t.Errorf("worker %d: %v", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return granted, successes
}

// prefill takes seats in ev with staff bookings so only `left` remain.
func prefill(t *testing.T, f *booktest.Fixture, ev *booking.Event, left int) {
	t.Helper()
	for i := 0; ev.Capacity-i*4 > left; i++ {
		n := min(4, ev.Capacity-i*4-left)
		r := req(f, 500+i, n, ev)
		r.Link = nil
		if _, err := f.Store.Reserve(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConcurrentLastSeats(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 40)[0]
		prefill(t, f, ev, 10)
		granted, successes := lastSeats(t, f, ev, 300)
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatalf("invariant broken: %v", bad)
		}
		if got := seatsTaken(t, f, ev); got != 30+granted || got > 40 {
			t.Fatalf("seats taken %d, granted %d on top of 30", got, granted)
		}
		active, err := db.NewSelect().Model((*booking.Booking)(nil)).
			Where("event_id = ? AND client_id IN (SELECT id FROM clients WHERE phone >= '+36201001000')", ev.ID).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if int(active) != successes {
			t.Fatalf("%d bookings for %d successful requests", active, successes)
		}
		if granted < 8 {
			t.Fatalf("only %d of the last 10 seats sold to 300 clients", granted)
		}
		t.Logf("%d requests won %d of the last 10 seats", successes, granted)
	})
}

// TestConcurrentLastSeatsControl shows the test above catches a race: with
// the conditional update replaced by read-then-write (and no row lock), the
// same load oversells. SQLite runs one writer at a time (BEGIN IMMEDIATE), so
// even read-then-write cannot race there; the control runs on PostgreSQL.
func TestConcurrentLastSeatsControl(t *testing.T) {
	db := booktest.Open(t, booktest.Postgres)
	f := booktest.Seed(t, db)
	booking.UseUnsafeSeatTaking(f.Store)
	ev := f.YogaEvents(t, 1, 40)[0]
	prefill(t, f, ev, 10)
	// Repeat a few rounds so a lucky schedule cannot hide the race.
	for round := range 5 {
		lastSeats(t, f, ev, 300)
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Logf("round %d: the invariant check caught the race as expected: %v", round, bad)
			return
		}
		ev = f.YogaEvents(t, 1, 40)[0]
		prefill(t, f, ev, 10)
	}
	t.Fatal("read-then-write never broke the invariant: the concurrency test would not catch a race")
}

func TestConcurrentMultiEvent(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 4, 30)
		rng := rand.New(rand.NewPCG(1, 2))
		type plan struct {
			events []*booking.Event
			seats  int
		}
		plans := make([]plan, 300)
		for i := range plans {
			perm := rng.Perm(4)[:2+rng.IntN(3)]
			p := plan{seats: 1 + rng.IntN(2)}
			for _, j := range perm {
				p.events = append(p.events, evs[j])
			}
			plans[i] = p
		}
		var mu sync.Mutex
		want := map[int64]int{}
		successes := 0
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, p := range plans {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := f.Store.Reserve(ctx, req(f, 2000+i, p.seats, p.events...))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					successes++
					for _, ev := range p.events {
						want[ev.ID] += p.seats
					}
				case errors.Is(err, booking.ErrFull):
				default:
					// A deadlock or serialisation failure would land here.
					t.Errorf("request %d: %v", i, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatalf("invariant broken: %v", bad)
		}
		for _, ev := range evs {
			if got := seatsTaken(t, f, ev); got != want[ev.ID] {
				t.Errorf("event %d: seats taken %d, successful requests hold %d", ev.ID, got, want[ev.ID])
			}
		}
		groups, err := db.NewSelect().Model((*booking.Group)(nil)).Where("client_id IS NOT NULL").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if int(groups) != successes {
			t.Errorf("%d groups stored for %d successes", groups, successes)
		}
		t.Logf("%d of 300 overlapping multi-event requests succeeded", successes)
	})
}

func TestConcurrentResubmitOneKey(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 3, 10)
		r := req(f, 1, 2, evs...)
		r.Key = "double-click"
		var wg sync.WaitGroup
		results := make([]*booking.Reservation, 40)
		errs := make([]error, 40)
		start := make(chan struct{})
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i], errs[i] = f.Store.Reserve(ctx, r)
			}()
		}
		close(start)
		wg.Wait()
		fresh := 0
		for i, res := range results {
			if errs[i] != nil {
				t.Fatalf("submit %d: %v", i, errs[i])
			}
			if !res.Replayed {
				fresh++
			}
			if res.Group.ID != results[0].Group.ID || len(res.Bookings) != 3 {
				t.Fatalf("submit %d got group %d with %d bookings", i, res.Group.ID, len(res.Bookings))
			}
		}
		if fresh != 1 {
			t.Errorf("%d submits booked; want exactly 1", fresh)
		}
		if n := countBookings(t, db); n != 3 {
			t.Errorf("%d bookings for one key, want 3", n)
		}
		for _, ev := range evs {
			if got := seatsTaken(t, f, ev); got != 2 {
				t.Errorf("event %d: %d seats taken, want 2", ev.ID, got)
			}
		}
	})
}
