package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/payments"
)

// TestWaitlistOfferOrder: a party of 3 is first in line and a party of 1
// second; 2 freed seats go to the 1 (offered, reserved in seats_taken,
// with its message and expiry job) while the 3 keeps first place; when
// the rest frees, the 3 is offered.
func TestWaitlistOfferOrder(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 0)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		ev, bs := fullYoga(t, f, 4)
		three := f.Join(t, 1, 3, ev)
		one := f.Join(t, 2, 1, ev)
		joined, _ := messagesOf(t, db, booking.MsgWaitlistJoined)
		if len(joined) != 2 || joined[1].WaitlistID != one.ID || joined[1].Phone != booktest.Client(2).Phone {
			t.Fatalf("joined messages %+v", joined)
		}
		if p, _ := joined[1].DecodePayload(); p.Waitlist == nil || p.Waitlist.Position != 2 || p.Waitlist.Token != one.Token || p.Waitlist.Seats != 1 {
			t.Fatalf("joined payload %+v", p)
		}

		if _, err := f.Store.ChangeSeats(ctx, bs[0].ID, 2); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitWaiting, three)
		wantState(t, db, booking.WaitOffered, one)
		got := entryNow(t, db, one.ID)
		if !got.Reserved || !got.OfferUntil.Equal(f.Now.Add(120*time.Minute)) || !got.OfferedAt.Equal(f.Now) {
			t.Fatalf("offer %+v", got)
		}
		if n := seatsTaken(t, f, ev); n != 3 {
			t.Fatalf("seats taken %d, want 2 booked + 1 offered", n)
		}
		invariant(t, db)
		if j := offerJob(t, f, db, one); j.Kind != booking.JobOfferExpire || j.RefID != one.ID || !j.RunAt.Equal(*got.OfferUntil) || j.Status != booking.JobPending {
			t.Fatalf("offer job %+v", j)
		}
		offers, _ := messagesOf(t, db, booking.MsgWaitlistOffer)
		if len(offers) != 1 || offers[0].WaitlistID != one.ID || offers[0].Phone != booktest.Client(2).Phone {
			t.Fatalf("offer messages %+v", offers)
		}
		p, _ := offers[0].DecodePayload()
		if p.Waitlist == nil || p.Waitlist.Token != one.Token || p.Waitlist.Seats != 1 || !p.Waitlist.Until.Equal(*got.OfferUntil) ||
			len(p.Items) != 1 || p.Items[0].BookingID != 0 || p.Items[0].Service != "Yoga" || !p.Items[0].Start.Equal(ev.StartsAt) ||
			p.Items[0].Seats != 1 || p.Items[0].Minutes != 60 {
			t.Fatalf("offer payload %+v %+v", p, p.Waitlist)
		}
		// The seat no one in line fits is anyone's; the offered one is not.
		stranger := staffBook(t, f, 50, 1, ev)
		if _, err := f.Store.Reserve(ctx, req(f, 51, 1, ev)); !errors.Is(err, booking.ErrFull) {
			t.Fatalf("an offered seat was booked by someone else: %v", err)
		}
		invariant(t, db)

		// The rest frees: 3 seats, the party of 3 fits at last.
		cancelAdmin(t, f, stranger)
		wantState(t, db, booking.WaitWaiting, three)
		cancelAdmin(t, f, bs[0])
		wantState(t, db, booking.WaitOffered, three, one)
		if n := seatsTaken(t, f, ev); n != 4 {
			t.Fatalf("seats taken %d, want 1 + 3 offered", n)
		}
		invariant(t, db)
	})
}

// TestWaitlistClaimWindow: an offer lasts the claim window, but ends when
// the link stops booking (start minus its buffer); inside the buffer no
// offer is made at all, and the entry keeps waiting.
func TestWaitlistClaimWindow(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 150)
		f.Link.BufferMin = 60
		if err := f.Store.SaveLink(ctx, f.Link); err != nil {
			t.Fatal(err)
		}
		soon := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(3*time.Hour), 1)
		later := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(30*time.Hour), 1)
		bSoon, bLater := f.Fill(t, soon), f.Fill(t, later)
		eSoon, eLater := f.Join(t, 1, 1, soon), f.Join(t, 1, 1, later)

		cancelAdmin(t, f, bLater[0])
		if u := until(t, db, eLater); !u.Equal(f.Now.Add(150 * time.Minute)) {
			t.Fatalf("far event: offer until %s, want the claim window", u)
		}
		cancelAdmin(t, f, bSoon[0])
		if u := until(t, db, eSoon); !u.Equal(soon.StartsAt.Add(-60 * time.Minute)) {
			t.Fatalf("near event: offer until %s, want start - buffer", u)
		}

		// Inside the buffer: the seat stays free, the entry waits.
		inside := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(3*time.Hour), 1)
		bIn := f.Fill(t, inside)
		eIn := f.Join(t, 2, 1, inside)
		f.Now = f.Now.Add(2*time.Hour + 30*time.Minute)
		cancelAdmin(t, f, bIn[0])
		wantState(t, db, booking.WaitWaiting, eIn)
		if n := seatsTaken(t, f, inside); n != 0 {
			t.Fatalf("seats taken %d inside the buffer", n)
		}
		jobs, err := db.NewSelect().Model((*booking.Job)(nil)).Where("kind = ? AND ref_id = ?", booking.JobOfferExpire, eIn.ID).Count(ctx)
		if err != nil || jobs != 0 {
			t.Fatalf("%d expiry jobs for an entry never offered (%v)", jobs, err)
		}
		invariant(t, db)
	})
}

// TestWaitlistExpiryCascades: an offer that runs out moves the seats to
// the next in line, once, by ExpireOffer and by the job worker.
func TestWaitlistExpiryCascades(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 60)
		ev, bs := fullYoga(t, f, 2)
		first, second, third := f.Join(t, 1, 2, ev), f.Join(t, 2, 2, ev), f.Join(t, 3, 1, ev)
		cancelAdmin(t, f, bs[0])
		wantState(t, db, booking.WaitOffered, first)
		wantState(t, db, booking.WaitWaiting, second, third)

		if ended, err := f.Store.ExpireOffer(ctx, first.ID); err != nil || ended {
			t.Fatalf("expired before its time: %v %v", ended, err)
		}
		f.Now = f.Now.Add(61 * time.Minute)
		if ended, err := f.Store.ExpireOffer(ctx, first.ID); err != nil || !ended {
			t.Fatalf("expire: %v %v", ended, err)
		}
		if ended, err := f.Store.ExpireOffer(ctx, first.ID); err != nil || ended {
			t.Fatalf("expired twice: %v %v", ended, err)
		}
		wantState(t, db, booking.WaitExpired, first)
		wantState(t, db, booking.WaitOffered, second)
		wantState(t, db, booking.WaitWaiting, third)
		if n := seatsTaken(t, f, ev); n != 2 {
			t.Fatalf("seats taken %d", n)
		}
		invariant(t, db)

		// The job worker ends the second offer at its time (the first's
		// job finds it already ended) and the party of 1 gets a seat.
		w := &payments.Worker{Store: f.Store}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitOffered, second)
		j2 := offerJob(t, f, db, second)
		f.Now = f.Now.Add(61 * time.Minute)
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitExpired, first, second)
		wantState(t, db, booking.WaitOffered, third)
		if j := jobByKey(t, f, j2.UniqueKey); j.Status != booking.JobDone {
			t.Fatalf("second offer's job %+v", j)
		}
		if n := seatsTaken(t, f, ev); n != 1 {
			t.Fatalf("seats taken %d, want the 1 offered", n)
		}
		invariant(t, db)
	})
}

// TestWaitlistSeveralCancels: each cancel offers what it freed, in line
// order; a decline passes the seats on with what is free.
func TestWaitlistSeveralCancels(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		ev := f.YogaEvents(t, 1, 3)[0]
		b1, b2, b3 := staffBook(t, f, 11, 1, ev), staffBook(t, f, 12, 1, ev), staffBook(t, f, 13, 1, ev)
		a, b, c := f.Join(t, 1, 1, ev), f.Join(t, 2, 1, ev), f.Join(t, 3, 2, ev)

		cancelAdmin(t, f, b1)
		wantState(t, db, booking.WaitOffered, a)
		wantState(t, db, booking.WaitWaiting, b, c)
		cancelAdmin(t, f, b2)
		wantState(t, db, booking.WaitOffered, a, b)
		cancelAdmin(t, f, b3)
		// One seat free, the party of 2 waits for another.
		wantState(t, db, booking.WaitWaiting, c)
		if n := seatsTaken(t, f, ev); n != 2 {
			t.Fatalf("seats taken %d", n)
		}
		invariant(t, db)

		if err := f.Store.LeaveWaitlist(ctx, a.Token); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitLeft, a)
		wantState(t, db, booking.WaitOffered, b, c)
		if n := seatsTaken(t, f, ev); n != 3 {
			t.Fatalf("seats taken %d after decline", n)
		}
		if err := f.Store.LeaveWaitlist(ctx, a.Token); err != nil {
			t.Fatalf("leaving twice: %v", err)
		}
		invariant(t, db)
	})
}

// TestWaitlistEventDeleted: deleting the event closes its line and the
// offer's seats go with the event.
func TestWaitlistEventDeleted(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		ev, bs := fullYoga(t, f, 2)
		a, b := f.Join(t, 1, 1, ev), f.Join(t, 2, 2, ev)
		if _, err := f.Store.ChangeSeats(ctx, bs[0].ID, 1); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitOffered, a)
		if _, err := f.Store.DeleteEvent(ctx, ev.ID); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitClosed, a, b)
		if got := entryNow(t, db, a.ID); got.Reserved {
			t.Fatal("a closed entry still holds seats")
		}
		v, err := f.Store.WaitlistByToken(ctx, a.Token)
		if err != nil || v.Entry.State != booking.WaitClosed || v.Position != 0 {
			t.Fatalf("view %+v %v", v, err)
		}
		if err := f.Store.LeaveWaitlist(ctx, b.Token); err == nil {
			t.Fatal("left a closed line")
		}
		if _, err := f.Store.Reserve(ctx, claimReq(f, 1, 1, a, ev)); err == nil {
			t.Fatal("claimed an offer of a deleted event")
		}
		invariant(t, db)
	})
}

// TestWaitlistPassesOverBooked: a client in line who booked the event
// another way meanwhile is passed over, so the seats go to someone who
// can claim them.
func TestWaitlistPassesOverBooked(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		ev := f.YogaEvents(t, 1, 3)[0]
		one, two := staffBook(t, f, 11, 1, ev), staffBook(t, f, 12, 2, ev)
		a := f.Join(t, 1, 2, ev)
		cancelAdmin(t, f, one)
		wantState(t, db, booking.WaitWaiting, a)
		if _, err := f.Store.Reserve(ctx, req(f, 1, 1, ev)); err != nil {
			t.Fatalf("the free seat: %v", err)
		}
		b := f.Join(t, 2, 2, ev)
		cancelAdmin(t, f, two)
		wantState(t, db, booking.WaitWaiting, a)
		wantState(t, db, booking.WaitOffered, b)
		invariant(t, db)
	})
}

// TestWaitlistFreedByEveryPath: seats freed by moving a booking away, by
// more capacity and by a smaller booking are all offered.
func TestWaitlistFreedByEveryPath(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.WithWaitlist(t, booking.WaitlistInOrder, 120)
		evs := f.YogaEvents(t, 2, 3)
		ev := evs[0]
		b1, b2 := staffBook(t, f, 11, 1, ev), staffBook(t, f, 12, 2, ev)
		a, b, c := f.Join(t, 1, 1, ev), f.Join(t, 2, 1, ev), f.Join(t, 3, 1, ev)
		if _, err := f.Store.MoveBooking(ctx, b1.ID, evs[1].ID); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitOffered, a)
		if err := f.Store.SetCapacity(ctx, ev.ID, 4); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitOffered, b)
		if _, err := f.Store.ChangeSeats(ctx, b2.ID, 1); err != nil {
			t.Fatal(err)
		}
		wantState(t, db, booking.WaitOffered, c)
		if n := seatsTaken(t, f, ev); n != 4 {
			t.Fatalf("seats taken %d", n)
		}
		// Capacity cannot drop under what the offers hold.
		if err := f.Store.SetCapacity(ctx, ev.ID, 3); !errors.Is(err, booking.ErrCapacityBelowTaken) {
			t.Fatalf("capacity under the offers: %v", err)
		}
		invariant(t, db)
	})
}
