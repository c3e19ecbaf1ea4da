package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func countEntries(t *testing.T, db *bun.DB) int {
	t.Helper()
	n, err := db.NewSelect().Model((*booking.WaitlistEntry)(nil)).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// TestWaitlistJoinRefusals: every join rule refuses with its own error
// and writes nothing.
func TestWaitlistJoinRefusals(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 0)
		ev, _ := fullYoga(t, f, 3)

		// The link's waitlist is off.
		if _, err := f.Store.JoinWaitlist(ctx, f.JoinRequest(1, 1, ev)); !errors.Is(err, booking.ErrWaitlistOff) {
			t.Fatalf("waitlist off: %v", err)
		}
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		first := f.Join(t, 1, 1, ev)
		if first.Position != 1 || first.State != booking.WaitWaiting || first.Token == "" || first.LinkID != f.Link.ID {
			t.Fatalf("entry %+v", first)
		}
		n := countEntries(t, db)

		// Twice: the existing place comes back.
		var already *booking.AlreadyWaitingError
		if _, err := f.Store.JoinWaitlist(ctx, f.JoinRequest(1, 2, ev)); !errors.As(err, &already) || already.Entry.ID != first.ID || already.Entry.Token != first.Token {
			t.Fatalf("twice: %v", err)
		}
		// A party larger than the event.
		if _, err := f.Store.JoinWaitlist(ctx, f.JoinRequest(2, 4, ev)); !errors.Is(err, booking.ErrPartyTooLarge) {
			t.Fatalf("too large: %v", err)
		}
		// Seats out of the link's range, bad phone, missing name: at the fields.
		_, err := f.Store.JoinWaitlist(ctx, f.JoinRequest(2, 5, ev))
		wantField(t, err, "seats", booking.MsgSeatsOutOfRange)
		_, err = f.Store.JoinWaitlist(ctx, f.JoinRequest(2, 0, ev))
		wantField(t, err, "seats", booking.MsgSeatsOutOfRange)
		bad := f.JoinRequest(2, 1, ev)
		bad.Client.Phone, bad.Client.FirstName = "12", ""
		_, err = f.Store.JoinWaitlist(ctx, bad)
		wantField(t, err, "phone", booking.MsgInvalidPhone)
		wantField(t, err, "first_name", booking.MsgRequired)
		// A phone the location does not send to, as in Reserve.
		us := f.JoinRequest(2, 1, ev)
		us.Client.Phone = "+12025550123"
		_, err = f.Store.JoinWaitlist(ctx, us)
		wantField(t, err, "phone", booking.MsgPhoneCountry)
		// A client already booked in the event.
		if _, err := f.Store.JoinWaitlist(ctx, f.JoinRequest(9000, 1, ev)); !errors.Is(err, booking.ErrAlreadyBooked) {
			t.Fatalf("already booked: %v", err)
		}
		// Seats free: book them instead.
		open := f.YogaEvents(t, 1, 3)[0]
		staffBook(t, f, 20, 2, open)
		if _, err := f.Store.JoinWaitlist(ctx, f.JoinRequest(2, 1, open)); !errors.Is(err, booking.ErrSeatsAvailable) {
			t.Fatalf("seats available: %v", err)
		}
		if _, err := f.Store.JoinWaitlist(ctx, f.JoinRequest(2, 2, open)); err != nil {
			t.Fatalf("2 seats wanted, 1 free: %v", err)
		}
		n++
		// The line is full.
		if _, err := db.NewUpdate().Model((*booking.Location)(nil)).Set("waitlist_max = 2").Where("id = ?", f.Location.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		f.Join(t, 3, 1, ev)
		n++
		if _, err := f.Store.JoinWaitlist(ctx, f.JoinRequest(4, 1, ev)); !errors.Is(err, booking.ErrWaitlistFull) {
			t.Fatalf("list full: %v", err)
		}
		// Staff joins (no link) keep the same rules but the link's.
		staff := f.JoinRequest(4, 1, ev)
		staff.Link = nil
		if _, err := f.Store.JoinWaitlist(ctx, staff); !errors.Is(err, booking.ErrWaitlistFull) {
			t.Fatalf("staff join, list full: %v", err)
		}
		if got := countEntries(t, db); got != n {
			t.Fatalf("%d entries, want %d: a refusal wrote one", got, n)
		}
		// An event past the link's reach.
		f.Now = ev.StartsAt
		if _, err := f.Store.JoinWaitlist(ctx, f.JoinRequest(5, 1, ev)); !errors.Is(err, booking.ErrStarted) {
			t.Fatalf("started: %v", err)
		}
	})
}

// TestWaitlistJoinPositions: positions follow the order of joining and
// the client page counts the place among those still in line.
func TestWaitlistJoinPositions(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		ev, _ := fullYoga(t, f, 2)
		a, b, c := f.Join(t, 1, 1, ev), f.Join(t, 2, 1, ev), f.Join(t, 3, 2, ev)
		if a.Position != 1 || b.Position != 2 || c.Position != 3 {
			t.Fatalf("positions %d %d %d", a.Position, b.Position, c.Position)
		}
		if err := f.Store.LeaveWaitlist(ctx, a.Token); err != nil {
			t.Fatal(err)
		}
		v, err := f.Store.WaitlistByToken(ctx, c.Token)
		if err != nil || v.Position != 2 || v.Entry.Seats != 2 {
			t.Fatalf("view %+v %v", v, err)
		}
		// Back in line after leaving: a new place at the end.
		again := f.Join(t, 1, 1, ev)
		if again.Position != 4 {
			t.Fatalf("rejoined at %d", again.Position)
		}
		if _, err := f.Store.WaitlistByToken(ctx, "nope"); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("unknown token: %v", err)
		}
	})
}
