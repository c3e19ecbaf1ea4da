package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestReserveQuiet: staff booking at the desk with Quiet write no client
// message (no confirmation, no reminder), the same booking without Quiet
// writes both, and a later change to the quiet booking is still told.
func TestReserveQuiet(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 4, 10)
		enableSMS(t, f, 36)

		quiet := req(f, 1, 1, evs[2])
		quiet.Link, quiet.Quiet = nil, true
		res, err := f.Store.Reserve(ctx, quiet)
		if err != nil {
			t.Fatal(err)
		}
		if msgs := outbox(t, db); len(msgs) != 0 {
			t.Fatalf("quiet booking wrote %d messages: %+v", len(msgs), msgs)
		}
		if seatsTaken(t, f, evs[2]) != 1 {
			t.Error("quiet booking took no seat")
		}

		loud := req(f, 2, 1, evs[2])
		loud.Link = nil
		if _, err := f.Store.Reserve(ctx, loud); err != nil {
			t.Fatal(err)
		}
		msgs := outbox(t, db)
		if len(msgs) != 2 || msgs[0].Kind != booking.SMSBooked || msgs[1].Kind != booking.SMSReminder || msgs[0].Phone != booktest.Client(2).Phone {
			t.Fatalf("staff booking without Quiet: %+v", msgs)
		}

		// Quiet is about this booking's confirmation only: moving it
		// later tells the client.
		if _, err := f.Store.MoveBooking(ctx, res.Bookings[0].ID, evs[3].ID); err != nil {
			t.Fatal(err)
		}
		msgs = outbox(t, db)
		last := msgs[len(msgs)-2]
		if last.Kind != booking.SMSMoved || last.Phone != booktest.Client(1).Phone {
			t.Errorf("move of a quiet booking: %+v", msgs[2:])
		}
		if n := len(booktest.Invariant(t, db)); n != 0 {
			t.Errorf("invariant broken: %v", booktest.Invariant(t, db))
		}
	})
}

// TestSetDeskClientMessages: the add-client panel's choice is remembered
// per user, starts on, and an unknown user is refused.
func TestSetDeskClientMessages(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		u, err := f.Store.CreateUser(ctx, "desk@example.com", "Desk", "a long enough password", booking.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		other, err := f.Store.CreateUser(ctx, "other@example.com", "Other", "a long enough password", booking.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Store.User(ctx, u.ID)
		if err != nil || !got.DeskClientMessages {
			t.Fatalf("new user: %v %+v", err, got)
		}
		if err := f.Store.SetDeskClientMessages(ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.Store.User(ctx, u.ID); got.DeskClientMessages {
			t.Error("choice off not remembered")
		}
		if got, _ := f.Store.User(ctx, other.ID); !got.DeskClientMessages {
			t.Error("another user's choice changed")
		}
		if err := f.Store.SetDeskClientMessages(ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.Store.User(ctx, u.ID); !got.DeskClientMessages {
			t.Error("choice on not remembered")
		}
		if err := f.Store.SetDeskClientMessages(ctx, u.ID+1000, false); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
	})
}
