package booking_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// spendOnePass fires `workers` goroutines at once at one pass of `left`
// visits: half pay an existing one-seat booking of the client with it
// (PayWithPass, staff), half book a new event with it (Reserve, the
// widget), each in its own event so only the pass is shared. It returns
// how many succeeded; any error but a shortfall fails the test.
func spendOnePass(t *testing.T, f *booktest.Fixture, left, workers int) (p *booking.ClientPass, wins int) {
	t.Helper()
	ctx := context.Background()
	cl, err := f.Store.ClientByPhone(ctx, f.Location.ID, booktest.Client(1).Phone)
	if err != nil {
		cl = passClient(t, f, 1)
	}
	p = withBalance(t, f, cl, left)
	evs := f.YogaEvents(t, workers, 5)
	unpaid := make([]booking.Booking, workers/2)
	for i := range unpaid {
		r := req(f, 1, 1, evs[i])
		r.Link = nil
		res, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		unpaid[i] = res.Bookings[0]
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var err error
			if i < len(unpaid) {
				_, _, err = f.Store.PayWithPass(ctx, booking.PayWithPassInput{LocationID: f.Location.ID, BookingID: unpaid[i].ID, PassID: p.ID})
			} else {
				_, err = f.Store.Reserve(ctx, passReq(f, 1, p, 1, evs[i]))
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, booking.ErrPassShort):
			default:
				t.Errorf("worker %d: %v", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return p, wins
}

// passOverdrawn reports how a pass's ledger disagrees with what it paid:
// a balance below zero, or visits spent that the bookings paid by it do not
// account for.
func passOverdrawn(t *testing.T, f *booktest.Fixture, p *booking.ClientPass, left, wins int) string {
	t.Helper()
	got := reloadPass(t, f, p)
	paid, err := f.Store.DB().NewSelect().Model((*booking.Booking)(nil)).Where("pass_id = ? AND payment = 'pass'", p.ID).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case got.Balance < 0:
		return "balance below zero"
	case got.Balance != left-wins || int(paid) != wins:
		return "balance does not match the bookings paid"
	}
	return ""
}

// TestConcurrentPassSpending: many bookings at once on one pass never
// overdraw it, on either database: exactly `left` of them win.
func TestConcurrentPassSpending(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		const left, workers = 5, 40
		p, wins := spendOnePass(t, f, left, workers)
		if bad := passOverdrawn(t, f, p, left, wins); bad != "" {
			t.Fatalf("%s: %d wins on %d visits, balance %d", bad, wins, left, reloadPass(t, f, p).Balance)
		}
		if wins != left {
			t.Fatalf("%d of %d requests won %d visits", wins, workers, left)
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}

// TestConcurrentPassSpendingControl shows the test above catches an
// overdraw: without the pass's row lock, concurrent spenders read the same
// balance and both spend it. SQLite runs one writer at a time, so the
// control runs on PostgreSQL.
func TestConcurrentPassSpendingControl(t *testing.T) {
	db := booktest.Open(t, booktest.Postgres)
	f := booktest.Seed(t, db)
	booking.UseUnsafePassSpending(f.Store)
	const left, workers = 5, 40
	for round := range 5 {
		p, wins := spendOnePass(t, f, left, workers)
		if bad := passOverdrawn(t, f, p, left, wins); bad != "" {
			t.Logf("round %d: caught the overdraw as expected (%s): %d wins on %d visits", round, bad, wins, left)
			return
		}
	}
	t.Fatal("spending without the lock never overdrew the pass: the race test would not catch an overdraw")
}
