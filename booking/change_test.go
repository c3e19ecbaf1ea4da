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

func TestCancelByClient(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10) // first starts tomorrow 18:00 UTC; cutoff is 2 h
		res, err := f.Store.Reserve(ctx, req(f, 1, 3, evs...))
		if err != nil {
			t.Fatal(err)
		}
		b0, b1 := res.Bookings[0], res.Bookings[1]

		// Another group's token cannot cancel this booking.
		other, err := f.Store.Reserve(ctx, req(f, 2, 1, evs[0]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.CancelByClient(ctx, other.Group.Token, b0.ID, "192.0.2.1"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("foreign token: %v", err)
		}

		got, err := f.Store.CancelByClient(ctx, res.Group.Token, b0.ID, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != booking.StatusCancelled || got.CancelledBy != booking.CancelledByClient || got.CancelledAt == nil || got.Sequence != 1 {
			t.Errorf("cancelled booking: %+v", got)
		}
		if seatsTaken(t, f, evs[0]) != 1 || seatsTaken(t, f, evs[1]) != 3 {
			t.Error("cancel did not free exactly its own seats")
		}
		if _, err := f.Store.CancelByClient(ctx, res.Group.Token, b0.ID, "192.0.2.1"); !errors.Is(err, booking.ErrAlreadyCancelled) {
			t.Errorf("second cancel: %v", err)
		}

		// Past the cutoff (2 h before the start) the client cannot cancel; staff can.
		f.Now = evs[1].StartsAt.Add(-2 * time.Hour)
		if _, err := f.Store.CancelByClient(ctx, res.Group.Token, b1.ID, "192.0.2.1"); !errors.Is(err, booking.ErrCutoffPassed) {
			t.Errorf("at cutoff: %v", err)
		}
		f.Now = evs[1].StartsAt.Add(-2*time.Hour - time.Minute)
		if err := booking.CanClientCancel(&b1, evs[1], f.Link, f.Now); err != nil {
			t.Errorf("a minute before the cutoff: %v", err)
		}
		f.Now = evs[1].StartsAt.Add(-time.Hour)
		if _, err := f.Store.CancelByAdmin(ctx, b1.ID); err != nil {
			t.Errorf("admin cancel after cutoff: %v", err)
		}
		if seatsTaken(t, f, evs[1]) != 0 {
			t.Error("admin cancel did not free seats")
		}

		// A link with cancellation off.
		f.Now = booktest.Now
		noCancel := *f.Link
		noCancel.CancelAllowed = false
		if err := f.Store.SaveLink(ctx, &noCancel); err != nil {
			t.Fatal(err)
		}
		r3, err := f.Store.Reserve(ctx, req(f, 3, 1, evs[1]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.CancelByClient(ctx, r3.Group.Token, r3.Bookings[0].ID, "192.0.2.1"); !errors.Is(err, booking.ErrCancelNotAllowed) {
			t.Errorf("cancellation off: %v", err)
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}

func TestMoveBooking(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 3, 4)
		pilates := f.Event(t, f.Pilates, f.Marton, evs[0].StartsAt.Add(time.Hour), 8)
		res, err := f.Store.Reserve(ctx, req(f, 1, 2, evs[0]))
		if err != nil {
			t.Fatal(err)
		}
		b := res.Bookings[0]
		moved, err := f.Store.MoveBooking(ctx, b.ID, evs[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if moved.EventID != evs[1].ID || moved.Sequence != 1 || moved.ID != b.ID {
			t.Errorf("moved: %+v", moved)
		}
		if seatsTaken(t, f, evs[0]) != 0 || seatsTaken(t, f, evs[1]) != 2 {
			t.Error("move did not shift the seats")
		}
		// Refusals leave everything as it was.
		if _, err := f.Store.Reserve(ctx, req(f, 2, 3, evs[2])); err != nil {
			t.Fatal(err)
		}
		for name, tc := range map[string]struct {
			to   int64
			want error
		}{
			"full target":    {evs[2].ID, booking.ErrFull},
			"other service":  {pilates.ID, booking.ErrDifferentService},
			"unknown target": {987654, booking.ErrNotFound},
		} {
			if _, err := f.Store.MoveBooking(ctx, b.ID, tc.to); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", name, err, tc.want)
			}
		}
		if seatsTaken(t, f, evs[1]) != 2 || seatsTaken(t, f, evs[2]) != 3 {
			t.Error("a refused move changed seats")
		}
		// The client already holds a booking in the target.
		r2, err := f.Store.Reserve(ctx, req(f, 1, 1, evs[0]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.MoveBooking(ctx, r2.Bookings[0].ID, evs[1].ID); !errors.Is(err, booking.ErrAlreadyBooked) {
			t.Errorf("move onto own booking: %v", err)
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}

func TestChangeSeatsStatusComment(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 5)[0]
		res, err := f.Store.Reserve(ctx, req(f, 1, 2, ev))
		if err != nil {
			t.Fatal(err)
		}
		id := res.Bookings[0].ID
		if _, err := f.Store.ChangeSeats(ctx, id, 5); err != nil {
			t.Fatal(err)
		}
		if seatsTaken(t, f, ev) != 5 {
			t.Error("seats not taken")
		}
		if _, err := f.Store.ChangeSeats(ctx, id, 6); !errors.Is(err, booking.ErrFull) {
			t.Errorf("over capacity: %v", err)
		}
		if _, err := f.Store.ChangeSeats(ctx, id, 0); !errors.Is(err, booking.ErrInvalid) {
			t.Errorf("zero seats: %v", err)
		}
		if _, err := f.Store.ChangeSeats(ctx, id, 1); err != nil || seatsTaken(t, f, ev) != 1 {
			t.Errorf("fewer seats: %v, taken %d", err, seatsTaken(t, f, ev))
		}
		b, err := f.Store.SetStatus(ctx, id, booking.StatusArrived)
		if err != nil || b.Status != booking.StatusArrived {
			t.Errorf("status: %v %+v", err, b)
		}
		if _, err := f.Store.SetStatus(ctx, id, "gone"); !errors.Is(err, booking.ErrInvalid) {
			t.Errorf("bad status: %v", err)
		}
		if _, err := f.Store.SetStatus(ctx, id, booking.StatusCancelled); !errors.Is(err, booking.ErrInvalid) {
			t.Errorf("cancel through status: %v", err)
		}
		if _, err := f.Store.SetComment(ctx, id, string(make([]byte, 201))); !errors.Is(err, booking.ErrInvalid) {
			t.Errorf("long comment: %v", err)
		}
		if b, err := f.Store.SetComment(ctx, id, "first time"); err != nil || b.Comment != "first time" {
			t.Errorf("comment: %v", err)
		}
		if _, err := f.Store.CancelByAdmin(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.SetStatus(ctx, id, booking.StatusArrived); !errors.Is(err, booking.ErrAlreadyCancelled) {
			t.Errorf("status of cancelled: %v", err)
		}
		if _, err := f.Store.ChangeSeats(ctx, id, 2); !errors.Is(err, booking.ErrAlreadyCancelled) {
			t.Errorf("seats of cancelled: %v", err)
		}
		if _, err := f.Store.SetStatus(ctx, 424242, booking.StatusArrived); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown booking: %v", err)
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}

func TestCapacityAndDeleteEvent(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 10)[0]
		r1, err := f.Store.Reserve(ctx, req(f, 1, 3, ev))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Reserve(ctx, req(f, 2, 2, ev)); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.SetCapacity(ctx, ev.ID, 4); !errors.Is(err, booking.ErrCapacityBelowTaken) {
			t.Errorf("below taken: %v", err)
		}
		if err := f.Store.SetCapacity(ctx, ev.ID, 0); !errors.Is(err, booking.ErrInvalid) {
			t.Errorf("zero: %v", err)
		}
		if err := f.Store.SetCapacity(ctx, ev.ID, 5); err != nil {
			t.Errorf("exactly taken: %v", err)
		}
		if _, err := f.Store.Reserve(ctx, req(f, 3, 1, ev)); !errors.Is(err, booking.ErrFull) {
			t.Errorf("after shrinking: %v", err)
		}
		zero := 0
		if _, err := f.Store.UpdateEvent(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, Capacity: &zero}); !errors.Is(err, booking.ErrInvalid) {
			t.Errorf("update to capacity 0: %v", err)
		}
		three := 3
		_, err = f.Store.UpdateEvent(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, Capacity: &three})
		var fe booking.FieldErrors
		if !errors.As(err, &fe) || fe["capacity"] != booking.MsgCapacityBelow {
			t.Errorf("update below taken: %v", err)
		}

		affected, err := f.Store.DeleteEvent(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(affected) != 2 {
			t.Fatalf("%d affected, want 2", len(affected))
		}
		phones := map[string]bool{}
		for _, a := range affected {
			phones[a.Client.Phone] = true
			if a.Booking.Status != booking.StatusCancelled || a.Booking.CancelledBy != booking.CancelledByEventDeleted {
				t.Errorf("affected booking %+v", a.Booking)
			}
		}
		if !phones[booktest.Client(1).Phone] || !phones[booktest.Client(2).Phone] {
			t.Errorf("clients to notify: %v", phones)
		}
		got, err := f.Store.Event(ctx, ev.ID)
		if err != nil || got.DeletedAt == nil || got.SeatsTaken != 0 {
			t.Errorf("deleted event: %v %+v", err, got)
		}
		list, err := f.Store.Events(ctx, booking.EventFilter{LocationID: f.Location.ID})
		if err != nil || len(list) != 0 {
			t.Errorf("deleted event still listed: %v %d", err, len(list))
		}
		if _, err := f.Store.Reserve(ctx, req(f, 4, 1, ev)); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("booking a deleted event: %v", err)
		}
		if _, err := f.Store.DeleteEvent(ctx, ev.ID); !errors.Is(err, booking.ErrEventDeleted) {
			t.Errorf("second delete: %v", err)
		}
		// The client's manage page still shows the booking, cancelled.
		g, err := f.Store.GroupByToken(ctx, r1.Group.Token)
		if err != nil || g.Bookings[0].Status != booking.StatusCancelled {
			t.Errorf("manage page after delete: %v", err)
		}
	})
}
