package booking_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// Every write a widget page could show bumps the data version; staff
// sessions (which change no widget page) do not.
func TestGenerationBumpsOnWrites(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		st := f.Store
		gen := func() uint64 { g, _ := st.Generation(); return g }
		g0 := gen()
		ev := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(48*time.Hour), 5)
		g1 := gen()
		if g1 == g0 {
			t.Fatal("creating an event left the version unchanged")
		}
		in := booking.ServiceInput{Name: "Yoga flow", Category: "Classes", DurationMin: 60, DefaultCapacity: 10,
			PriceMinor: 350000, Currency: "HUF", Color: "#2a9d8f", OnlineBooking: true}
		if _, err := st.UpdateService(ctx, f.Yoga.ID, in); err != nil {
			t.Fatal(err)
		}
		g2 := gen()
		if g2 == g1 {
			t.Fatal("renaming a service left the version unchanged")
		}
		if _, err := st.DeleteEvent(ctx, ev.ID); err != nil {
			t.Fatal(err)
		}
		g3 := gen()
		if g3 == g2 {
			t.Fatal("deleting an event left the version unchanged")
		}
		user, err := st.CreateUser(ctx, "quiet@example.com", "Quiet", "a long enough password", booking.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		g4 := gen()
		if _, _, err := st.CreateSession(ctx, user.ID); err != nil {
			t.Fatal(err)
		}
		if gen() != g4 {
			t.Error("a staff sign-in bumped the version: the widget caches would empty for nothing")
		}
	})
}

// On SQLite the store is cacheable from the start (one process per file);
// on PostgreSQL only while its listener is connected, and another
// process's write reaches it through the listener.
func TestGenerationAcrossProcesses(t *testing.T) {
	t.Run(booktest.SQLite, func(t *testing.T) {
		st := booking.NewStore(booktest.Open(t, booktest.SQLite))
		if _, ok := st.Generation(); !ok {
			t.Error("SQLite store not cacheable")
		}
	})
	t.Run(booktest.Postgres, func(t *testing.T) {
		dbA, dbB := booktest.OpenTwo(t, booktest.Postgres)
		f := booktest.Seed(t, dbA)
		b := booking.NewStore(dbB)
		if _, ok := b.Generation(); ok {
			t.Fatal("PostgreSQL store cacheable without a listener: other processes' writes would go unseen")
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); b.Listen(ctx, nil) }()
		stopped := false
		stop := func() {
			if !stopped {
				stopped = true
				cancel()
				wg.Wait()
			}
		}
		defer stop()
		g0 := waitCacheable(t, b)
		f.Event(t, f.Yoga, f.Sofie, f.Now.Add(48*time.Hour), 5) // written by "process" A
		deadline := time.Now().Add(5 * time.Second)
		for {
			if g, ok := b.Generation(); ok && g != g0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("B's version did not change after A's write")
			}
			time.Sleep(5 * time.Millisecond)
		}
		stop()
		if _, ok := b.Generation(); ok {
			t.Error("B still cacheable after its listener stopped")
		}
	})
}

func waitCacheable(t *testing.T, st *booking.Store) uint64 {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if g, ok := st.Generation(); ok {
			return g
		}
		if time.Now().After(deadline) {
			t.Fatal("listener never connected")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
