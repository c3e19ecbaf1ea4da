package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func lineIDs(t *testing.T, f *booktest.Fixture, ev *booking.Event) (ids []int64, places []int) {
	t.Helper()
	rows, err := f.Store.EventWaitlist(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		ids = append(ids, r.Entry.ID)
		places = append(places, r.Position)
		if r.Client.ID != r.Entry.ClientID || r.Client.Phone == "" {
			t.Fatalf("row without its client %+v", r)
		}
	}
	return ids, places
}

func sameInts[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestWaitlistStaffReorderRemove: staff move entries up and down, and the
// new order decides the next offer; removing an offered entry passes its
// seats on; the event window lists those in line first, then the rest.
func TestWaitlistStaffReorderRemove(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		ev, bs := fullYoga(t, f, 2)
		a, b, c := f.Join(t, 1, 1, ev), f.Join(t, 2, 1, ev), f.Join(t, 3, 1, ev)

		if err := f.Store.MoveWaitlistEntry(ctx, c.ID, true); err != nil {
			t.Fatal(err)
		}
		if ids, places := lineIDs(t, f, ev); !sameInts(ids, []int64{a.ID, c.ID, b.ID}) || !sameInts(places, []int{1, 2, 3}) {
			t.Fatalf("after c up: %v %v", ids, places)
		}
		if err := f.Store.MoveWaitlistEntry(ctx, a.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.MoveWaitlistEntry(ctx, c.ID, true); err != nil { // at the top: nothing
			t.Fatal(err)
		}
		if err := f.Store.MoveWaitlistEntry(ctx, b.ID, false); err != nil { // at the bottom: nothing
			t.Fatal(err)
		}
		if ids, _ := lineIDs(t, f, ev); !sameInts(ids, []int64{c.ID, a.ID, b.ID}) {
			t.Fatalf("after a down: %v", ids)
		}

		if _, err := f.Store.ChangeSeats(ctx, bs[0].ID, 1); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitOffered, c)
		wantState(t, db, booking.WaitWaiting, a, b)
		if err := f.Store.RemoveWaitlistEntry(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitRemoved, c)
		wantState(t, db, booking.WaitOffered, a)
		if err := f.Store.RemoveWaitlistEntry(ctx, c.ID); !errors.Is(err, booking.ErrConflict) {
			t.Fatalf("removed twice: %v", err)
		}
		if err := f.Store.MoveWaitlistEntry(ctx, c.ID, true); !errors.Is(err, booking.ErrConflict) {
			t.Fatalf("moved a removed entry: %v", err)
		}
		if ids, places := lineIDs(t, f, ev); !sameInts(ids, []int64{a.ID, b.ID, c.ID}) || !sameInts(places, []int{1, 2, 0}) {
			t.Fatalf("window list %v %v", ids, places)
		}
		if seatsTaken(t, f, ev) != 2 {
			t.Fatal("seats")
		}
		invariant(t, db)
	})
}

// TestWaitlistStaffBookIn: staff move an offered entry in (its reserved
// seats become the booking) and a waiting one when seats are free; a
// waiting one in a full event is refused and stays in line.
func TestWaitlistStaffBookIn(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		ev, bs := fullYoga(t, f, 3)
		enableSMS(t, f, 0)
		a, b := f.Join(t, 1, 2, ev), f.Join(t, 2, 2, ev)

		if _, err := f.Store.BookWaitlistEntry(ctx, b.ID, 0); !errors.Is(err, booking.ErrFull) {
			t.Fatalf("book-in of a waiting entry in a full event: %v", err)
		}
		if got, err := f.Store.WaitlistEntry(ctx, b.ID); err != nil || got.LocationID != f.Location.ID || got.Token != b.Token {
			t.Fatalf("entry by id %+v %v", got, err)
		}
		if _, err := f.Store.WaitlistEntry(ctx, 999999); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("unknown entry: %v", err)
		}
		wantState(t, db, booking.WaitWaiting, b)

		if _, err := f.Store.ChangeSeats(ctx, bs[0].ID, 1); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitOffered, a)
		res, err := f.Store.BookWaitlistEntry(ctx, a.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Bookings) != 1 || res.Bookings[0].Seats != 2 || res.Bookings[0].Source != booking.SourceAdmin || res.Client.Phone != booktest.Client(1).Phone {
			t.Fatalf("book-in %+v", res)
		}
		if got := entryNow(t, db, a.ID); got.State != booking.WaitBooked || got.GroupID != res.Group.ID {
			t.Fatalf("entry after book-in %+v", got)
		}
		if seatsTaken(t, f, ev) != 3 {
			t.Fatalf("seats taken %d", seatsTaken(t, f, ev))
		}
		if again, err := f.Store.BookWaitlistEntry(ctx, a.ID, 0); !errors.Is(err, booking.ErrConflict) || again != nil {
			t.Fatalf("booked in twice: %v", err)
		}
		// Staff may book a waiting entry into seats nobody in line took.
		if err := f.Store.SetCapacity(ctx, ev.ID, 4); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitWaiting, b)
		if _, err := f.Store.BookWaitlistEntry(ctx, b.ID, 0); !errors.Is(err, booking.ErrFull) {
			t.Fatalf("2 seats into 1: %v", err)
		}
		if err := f.Store.SetCapacity(ctx, ev.ID, 5); err != nil {
			t.Fatal(err)
		}
		// Capacity up offers the 2 free seats first.
		wantState(t, db, booking.WaitOffered, b)
		if _, err := f.Store.BookWaitlistEntry(ctx, b.ID, 0); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitBooked, b)
		if seatsTaken(t, f, ev) != 5 {
			t.Fatalf("seats taken %d", seatsTaken(t, f, ev))
		}
		if rows, _ := messagesOf(t, db, booking.SMSBooked); len(rows) != 2 {
			t.Fatalf("%d booked messages for 2 book-ins", len(rows))
		}
		invariant(t, db)
	})
}
