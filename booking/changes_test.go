package booking_test

import (
	"context"
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
		ctx := context.Background()
		stop := booktest.Listen(t, b)
		g0, _ := b.Generation()
		c0, _ := b.CatalogGeneration()
		ev := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(48*time.Hour), 5) // written by "process" A
		g1 := waitMoved(t, b.Generation, g0, "B's version did not change after A's write")
		// A booking in A: B's pages go stale, its catalog does not (the
		// notification names the events table).
		c1, _ := b.CatalogGeneration()
		if _, err := f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link,
			EventIDs: []int64{ev.ID}, Seats: 1, Client: booktest.Client(1), Lang: "en"}); err != nil {
			t.Fatal(err)
		}
		waitMoved(t, b.Generation, g1, "B's version did not change after A's booking")
		if c, _ := b.CatalogGeneration(); c != c1 {
			t.Errorf("A's booking made B's catalog stale (%d → %d)", c1, c)
		}
		if c0 != c1 {
			t.Error("A's new event made B's catalog stale: events are not in it")
		}
		// A service renamed in A: B's catalog goes stale too.
		in := booking.ServiceInput{Name: "Yoga flow", Category: "Classes", DurationMin: 60, DefaultCapacity: 10,
			PriceMinor: 350000, Currency: "HUF", Color: "#2a9d8f", OnlineBooking: true}
		if _, err := f.Store.UpdateService(ctx, f.Yoga.ID, in); err != nil {
			t.Fatal(err)
		}
		waitMoved(t, b.CatalogGeneration, c1, "B's catalog version did not change after A renamed a service")
		stop()
		if _, ok := b.Generation(); ok {
			t.Error("B still cacheable after its listener stopped")
		}
	})
}

// A booking, its cancellation and a seat change make cached pages stale
// (seat counts) but leave the link and catalog cache alone, so a stream of
// bookings does not make every widget request load the catalog again; a
// change to a service makes both stale.
func TestCatalogGenerationIgnoresBookings(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		st := f.Store
		gens := func() (uint64, uint64) {
			g, _ := st.Generation()
			c, _ := st.CatalogGeneration()
			return g, c
		}
		ev := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(48*time.Hour), 5)
		g0, c0 := gens()
		res, err := st.Reserve(ctx, req(f, 1, 1, ev))
		if err != nil {
			t.Fatal(err)
		}
		g1, c1 := gens()
		if g1 == g0 {
			t.Error("a booking left the page version unchanged: cached pages would show old seat counts")
		}
		if c1 != c0 {
			t.Error("a booking bumped the catalog version")
		}
		if _, err := st.ChangeSeats(ctx, res.Bookings[0].ID, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CancelByAdmin(ctx, res.Bookings[0].ID); err != nil {
			t.Fatal(err)
		}
		g2, c2 := gens()
		if g2 == g1 || c2 != c1 {
			t.Errorf("seat change and cancel: page version %d→%d (must move), catalog %d→%d (must not)", g1, g2, c1, c2)
		}
		in := booking.ServiceInput{Name: "Yoga flow", Category: "Classes", DurationMin: 60, DefaultCapacity: 10,
			PriceMinor: 350000, Currency: "HUF", Color: "#2a9d8f", OnlineBooking: true}
		if _, err := st.UpdateService(ctx, f.Yoga.ID, in); err != nil {
			t.Fatal(err)
		}
		g3, c3 := gens()
		if g3 == g2 || c3 == c2 {
			t.Error("renaming a service must make both pages and the catalog stale")
		}
	})
}

// waitMoved waits for a version to leave from (notifications arrive
// asynchronously) and returns the new one.
func waitMoved(t *testing.T, version func() (uint64, bool), from uint64, msg string) uint64 {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if g, ok := version(); ok && g != from {
			return g
		}
		if time.Now().After(deadline) {
			t.Fatal(msg)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
