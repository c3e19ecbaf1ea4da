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

// TestWaitlistClaim: an offer is claimed by its own client only, for at
// most its seats, while it lasts; a smaller claim passes the rest on.
func TestWaitlistClaim(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		ev, bs := fullYoga(t, f, 4)
		enableSMS(t, f, 0)
		a, b := f.Join(t, 1, 2, ev), f.Join(t, 2, 1, ev)
		if _, err := f.Store.ChangeSeats(ctx, bs[0].ID, 2); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitOffered, a)
		before := countBookings(t, db)

		// Someone else's phone with a's token.
		if _, err := f.Store.Reserve(ctx, claimReq(f, 2, 2, a, ev)); !errors.Is(err, booking.ErrOfferNotYours) {
			t.Fatalf("claim with another phone: %v", err)
		}
		if _, err := f.Store.Reserve(ctx, claimReq(f, 1, 3, a, ev)); err == nil {
			t.Fatal("claimed more seats than offered")
		} else {
			wantField(t, err, "seats", booking.MsgSeatsOutOfRange)
		}
		if countBookings(t, db) != before || seatsTaken(t, f, ev) != 4 {
			t.Fatal("a refused claim wrote something")
		}
		wantState(t, db, booking.WaitOffered, a)
		if !entryNow(t, db, a.ID).Reserved {
			t.Fatal("a refused claim gave the seats back")
		}
		invariant(t, db)

		// a takes 1 of its 2 seats: the other goes to b.
		res, err := f.Store.Reserve(ctx, claimReq(f, 1, 1, a, ev))
		if err != nil {
			t.Fatal(err)
		}
		got := entryNow(t, db, a.ID)
		if got.State != booking.WaitBooked || got.GroupID != res.Group.ID || got.Reserved {
			t.Fatalf("claimed entry %+v", got)
		}
		wantState(t, db, booking.WaitOffered, b)
		if n := seatsTaken(t, f, ev); n != 4 {
			t.Fatalf("seats taken %d: 2 + 1 claimed + 1 offered", n)
		}
		if rows, _ := messagesOf(t, db, booking.SMSBooked); len(rows) != 1 {
			t.Fatal("a claim sends the booked message")
		}
		v, err := f.Store.WaitlistByToken(ctx, a.Token)
		if err != nil || v.GroupToken != res.Group.Token || v.Service != "Yoga" || v.Member != "Sofie" || v.Position != 0 {
			t.Fatalf("claimed view %+v %v", v, err)
		}
		vb, err := f.Store.WaitlistByToken(ctx, b.Token)
		if err != nil || vb.Position != 1 || vb.Client.Phone != booktest.Client(2).Phone {
			t.Fatalf("offered view %+v %v", vb, err)
		}
		// Claimed already: a second claim is refused.
		if _, err := f.Store.Reserve(ctx, claimReq(f, 1, 1, a, ev)); !errors.Is(err, booking.ErrOfferGone) && !errors.Is(err, booking.ErrAlreadyBooked) {
			t.Fatalf("second claim: %v", err)
		}

		// b's offer ran out (its job has not run yet): gone.
		f.Now = f.Now.Add(121 * time.Minute)
		if _, err := f.Store.Reserve(ctx, claimReq(f, 2, 1, b, ev)); !errors.Is(err, booking.ErrOfferGone) {
			t.Fatalf("claim of an expired offer: %v", err)
		}
		if _, err := f.Store.Reserve(ctx, claimReq(f, 2, 1, &booking.WaitlistEntry{Token: "nope"}, ev)); !errors.Is(err, booking.ErrOfferGone) {
			t.Fatalf("claim with an unknown token: %v", err)
		}
		invariant(t, db)
	})
}

// TestWaitlistClaimOnlinePayment: on a link taking money online the claim
// is a hold like any booking; when the hold runs out unpaid, the seats go
// to the next in line.
func TestWaitlistClaimOnlinePayment(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		f.Link.PaymentMode = booking.PayOnline
		if err := f.Store.SaveLink(ctx, f.Link); err != nil {
			t.Fatal(err)
		}
		ev, bs := fullYoga(t, f, 2)
		a, b := f.Join(t, 1, 2, ev), f.Join(t, 2, 2, ev)
		cancelAdmin(t, f, bs[0])
		wantState(t, db, booking.WaitOffered, a)
		if _, err := f.Store.Reserve(ctx, claimReq(f, 1, 2, a, ev)); !errors.Is(err, booking.ErrPaymentRequired) {
			t.Fatalf("claim without paying: %v", err)
		}
		wantState(t, db, booking.WaitOffered, a)
		r := claimReq(f, 1, 2, a, ev)
		r.Hold = true
		res, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if res.Group.State != booking.GroupPendingPayment || res.Bookings[0].Payment != booking.PaymentOnlinePending {
			t.Fatalf("claim hold %+v", res)
		}
		wantState(t, db, booking.WaitBooked, a)
		if n := seatsTaken(t, f, ev); n != 2 {
			t.Fatalf("seats taken %d", n)
		}
		invariant(t, db)

		f.Now = res.Group.HoldUntil.Add(time.Second)
		if released, err := f.Store.ExpireHold(ctx, res.Group.ID); err != nil || !released {
			t.Fatalf("expire hold: %v %v", released, err)
		}
		wantState(t, db, booking.WaitOffered, b)
		if n := seatsTaken(t, f, ev); n != 2 {
			t.Fatalf("seats taken %d after the hold", n)
		}
		invariant(t, db)
	})
}

// TestWaitlistClaimPassRequired: on a pass-only link the claim needs the
// client's pass, which pays for it.
func TestWaitlistClaimPassRequired(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		cl := passClient(t, f, 1)
		p := withBalance(t, f, cl, 5)
		f.Link.PaymentMode, f.Link.SMSConfirm = booking.PayPassRequired, true
		if err := f.Store.SaveLink(ctx, f.Link); err != nil {
			t.Fatal(err)
		}
		ev, bs := fullYoga(t, f, 2)
		a := f.Join(t, 1, 2, ev)
		cancelAdmin(t, f, bs[0])
		if _, err := f.Store.Reserve(ctx, claimReq(f, 1, 2, a, ev)); !errors.Is(err, booking.ErrPassRequired) {
			t.Fatalf("claim without a pass: %v", err)
		}
		wantState(t, db, booking.WaitOffered, a)
		r := claimReq(f, 1, 2, a, ev)
		r.PassID = p.ID
		res, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if res.Bookings[0].Payment != booking.PaymentPass || res.Pass == nil || res.Pass.Balance != 3 {
			t.Fatalf("claim by pass %+v %+v", res.Bookings[0], res.Pass)
		}
		wantState(t, db, booking.WaitBooked, a)
		invariant(t, db)
	})
}

// TestWaitlistFirstClaim: everyone who fits is told and nothing is
// reserved; the first claim wins, and the offers it leaves without seats
// go back to waiting with their place.
func TestWaitlistFirstClaim(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 0)
		f.WithWaitlist(t, booking.WaitlistFirstClaim, 60)
		ev := f.YogaEvents(t, 1, 3)[0]
		two := staffBook(t, f, 11, 2, ev)
		staffBook(t, f, 12, 1, ev)
		a, b, c, big := f.Join(t, 1, 1, ev), f.Join(t, 2, 1, ev), f.Join(t, 3, 2, ev), f.Join(t, 4, 3, ev)
		cancelAdmin(t, f, two)
		wantState(t, db, booking.WaitOffered, a, b, c)
		wantState(t, db, booking.WaitWaiting, big)
		if n := seatsTaken(t, f, ev); n != 1 {
			t.Fatalf("first-claim offers reserved %d seats", n-1)
		}
		if got := entryNow(t, db, a.ID); got.Reserved {
			t.Fatal("a first-claim offer is reserved")
		}
		if rows, _ := messagesOf(t, db, booking.MsgWaitlistOffer); len(rows) != 3 {
			t.Fatalf("%d offer messages, want 3", len(rows))
		}

		if _, err := f.Store.Reserve(ctx, claimReq(f, 2, 1, b, ev)); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitBooked, b)
		// One seat left: a still fits, the party of 2 waits again.
		wantState(t, db, booking.WaitOffered, a)
		wantState(t, db, booking.WaitWaiting, c)
		if _, err := f.Store.Reserve(ctx, claimReq(f, 1, 1, a, ev)); err != nil {
			t.Fatal(err)
		}
		if n := seatsTaken(t, f, ev); n != 3 {
			t.Fatalf("seats taken %d", n)
		}
		invariant(t, db)

		// An offer whose seats went to a plain booking could not have
		// been claimed: at its end it waits again rather than leaving, and
		// is offered again when a seat frees.
		ev2, bs2 := fullYoga(t, f, 1)
		x := f.Join(t, 6, 1, ev2)
		cancelAdmin(t, f, bs2[0])
		wantState(t, db, booking.WaitOffered, x)
		stranger := staffBook(t, f, 60, 1, ev2)
		f.Now = f.Now.Add(61 * time.Minute)
		if ended, err := f.Store.ExpireOffer(ctx, x.ID); err != nil || !ended {
			t.Fatalf("expire: %v %v", ended, err)
		}
		wantState(t, db, booking.WaitWaiting, x)
		cancelAdmin(t, f, stranger)
		wantState(t, db, booking.WaitOffered, x)
		if u := until(t, db, x); !u.Equal(f.Now.Add(60 * time.Minute)) {
			t.Fatalf("second offer until %s", u)
		}
		invariant(t, db)
	})
}
