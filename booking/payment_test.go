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

func TestCancelReturnsVisits(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		cl := passClient(t, f, 1)
		p := withBalance(t, f, cl, 10)
		evs := f.YogaEvents(t, 6, 10) // 19:00 Budapest from tomorrow; the link's cutoff is 2 h
		res, err := f.Store.Reserve(ctx, passReq(f, 1, p, 1, evs...))
		if err != nil {
			t.Fatal(err)
		}
		balance := func() int { return reloadPass(t, f, p).Balance }
		if got := balance(); got != 4 {
			t.Fatalf("balance %d after 6 visits", got)
		}
		bk := res.Bookings

		// The client, inside the cutoff: back.
		if _, err := f.Store.CancelByClient(ctx, res.Group.Token, bk[0].ID, ""); err != nil {
			t.Fatal(err)
		}
		if got := balance(); got != 5 {
			t.Fatalf("client cancel: balance %d, want 5", got)
		}
		// Staff, early: back.
		if _, err := f.Store.CancelByAdmin(ctx, bk[1].ID); err != nil {
			t.Fatal(err)
		}
		if got := balance(); got != 6 {
			t.Fatalf("early admin cancel: balance %d, want 6", got)
		}
		// Staff, an hour before the start (after the link's 2 h cutoff): kept.
		f.Now = evs[2].StartsAt.Add(-time.Hour)
		if _, err := f.Store.CancelByClient(ctx, res.Group.Token, bk[2].ID, ""); !errors.Is(err, booking.ErrCutoffPassed) {
			t.Fatalf("client after the cutoff: %v", err)
		}
		if _, err := f.Store.CancelByAdmin(ctx, bk[2].ID); err != nil {
			t.Fatal(err)
		}
		if got := balance(); got != 6 {
			t.Fatalf("late cancel: balance %d, want 6 (kept)", got)
		}
		// A no-show, cancelled later: kept.
		if _, err := f.Store.SetStatus(ctx, bk[3].ID, booking.StatusNoShow); err != nil {
			t.Fatal(err)
		}
		f.Now = booktest.Now
		if _, err := f.Store.CancelByAdmin(ctx, bk[3].ID); err != nil {
			t.Fatal(err)
		}
		if got := balance(); got != 6 {
			t.Fatalf("no-show cancel: balance %d, want 6 (kept)", got)
		}
		// The location returns them on late cancels.
		if err := f.Store.SetReturnVisitsLateCancel(ctx, f.Location.ID, true); err != nil {
			t.Fatal(err)
		}
		f.Now = evs[4].StartsAt.Add(-time.Hour)
		if _, err := f.Store.CancelByAdmin(ctx, bk[4].ID); err != nil {
			t.Fatal(err)
		}
		if got := balance(); got != 7 {
			t.Fatalf("late cancel with the setting on: balance %d, want 7", got)
		}
		if loc, _ := f.Store.Location(ctx, f.Location.ID); !loc.ReturnVisitsLateCancel {
			t.Error("setting not stored")
		}
		// The studio deletes the event: back.
		if err := f.Store.SetReturnVisitsLateCancel(ctx, f.Location.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.DeleteEvent(ctx, evs[5].ID); err != nil {
			t.Fatal(err)
		}
		got := reloadPass(t, f, p)
		if got.Balance != 8 {
			t.Fatalf("deleted event: balance %d, want 8", got.Balance)
		}
		returns := 0
		for _, e := range got.Entries {
			if e.Kind == booking.EntryReturn {
				returns++
			}
		}
		if returns != 4 {
			t.Errorf("%d return entries, want 4", returns)
		}
	})
}

func TestDeskPaymentAndPayWithPass(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		anna := passClient(t, f, 1)
		bob := passClient(t, f, 2)
		evs := f.YogaEvents(t, 2, 10)
		staff := func(n int, ev *booking.Event, seats int) booking.Booking {
			r := req(f, n, seats, ev)
			r.Link = nil
			res, err := f.Store.Reserve(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			if res.Bookings[0].Payment != booking.PaymentUnpaid {
				t.Fatalf("new booking paid %q", res.Bookings[0].Payment)
			}
			return res.Bookings[0]
		}
		a0, b0, a1 := staff(1, evs[0], 2), staff(2, evs[0], 1), staff(1, evs[1], 3)
		p := withBalance(t, f, anna, 4)
		bobPass := withBalance(t, f, bob, 10)

		// Desk: validated, scoped, once.
		_, err := f.Store.MarkPaidAtDesk(ctx, booking.DeskPayment{LocationID: f.Location.ID, BookingID: b0.ID, Method: "iou", AmountMinor: -1})
		wantField(t, err, "method", booking.MsgInvalidPayMethod)
		wantField(t, err, "amount", booking.MsgOutOfRange)
		other, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.MarkPaidAtDesk(ctx, booking.DeskPayment{LocationID: other.ID, BookingID: b0.ID, Method: booking.MethodCash}); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("other location's booking: %v", err)
		}
		b, err := f.Store.MarkPaidAtDesk(ctx, booking.DeskPayment{LocationID: f.Location.ID, BookingID: b0.ID, Method: booking.MethodCard, AmountMinor: 350000, StaffUserID: 0})
		if err != nil {
			t.Fatal(err)
		}
		if b.Payment != booking.PaymentDesk || b.PaidCurrency != "HUF" || b.PaidAmountMinor != 350000 || b.PaidAt == nil {
			t.Errorf("desk payment %+v", b)
		}
		if _, err := f.Store.MarkPaidAtDesk(ctx, booking.DeskPayment{LocationID: f.Location.ID, BookingID: b0.ID, Method: booking.MethodCash}); !errors.Is(err, booking.ErrAlreadyPaid) {
			t.Errorf("paid twice: %v", err)
		}
		if _, _, err := f.Store.PayWithPass(ctx, booking.PayWithPassInput{LocationID: f.Location.ID, BookingID: b0.ID, PassID: bobPass.ID}); !errors.Is(err, booking.ErrAlreadyPaid) {
			t.Errorf("pass on a paid booking: %v", err)
		}

		// Pass: only the booking's client's own.
		if _, _, err := f.Store.PayWithPass(ctx, booking.PayWithPassInput{LocationID: f.Location.ID, BookingID: a0.ID, PassID: bobPass.ID}); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("bob's pass for anna: %v", err)
		}
		if _, _, err := f.Store.PayWithPass(ctx, booking.PayWithPassInput{LocationID: other.ID, BookingID: a0.ID, PassID: p.ID}); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("other location: %v", err)
		}
		paid, pass, err := f.Store.PayWithPass(ctx, booking.PayWithPassInput{LocationID: f.Location.ID, BookingID: a0.ID, PassID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if paid.Payment != booking.PaymentPass || paid.PassID != p.ID || pass.Balance != 2 {
			t.Errorf("paid by pass %+v, balance %d", paid, pass.Balance)
		}
		// Three seats on two visits left.
		_, _, err = f.Store.PayWithPass(ctx, booking.PayWithPassInput{LocationID: f.Location.ID, BookingID: a1.ID, PassID: p.ID})
		var short *booking.PassShortError
		if !errors.As(err, &short) || short.Left != 2 || short.Needed != 3 {
			t.Errorf("3 seats on 2 visits: %v", err)
		}
		if got, _ := f.Store.Booking(ctx, a1.ID); got.Payment != booking.PaymentUnpaid {
			t.Errorf("refused pass payment stored %q", got.Payment)
		}

		// The event window shows each row's payment and the totals.
		w, err := f.Store.EventWindow(ctx, f.Location.ID, evs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		tot := w.Totals
		if tot.PaidBookings != 2 || tot.UnpaidBookings != 0 || tot.PaidSeats != 3 || tot.PassSeats != 2 || tot.DeskMinor != 350000 || tot.Currency != "HUF" {
			t.Errorf("totals %+v", tot)
		}
		for _, row := range w.Active {
			if row.ID == a0.ID && (row.Payment != booking.PaymentPass || row.PassName != "10 Yoga classes") {
				t.Errorf("row %+v", row)
			}
		}
		w, _ = f.Store.EventWindow(ctx, f.Location.ID, evs[1].ID)
		if w.Totals.UnpaidBookings != 1 || w.Totals.UnpaidSeats != 3 {
			t.Errorf("unpaid totals %+v", w.Totals)
		}

		// Clearing a pass payment returns the visits.
		if _, err := f.Store.ClearPayment(ctx, f.Location.ID, a0.ID, 0); err != nil {
			t.Fatal(err)
		}
		if got := reloadPass(t, f, p); got.Balance != 4 {
			t.Errorf("balance after clearing %d, want 4", got.Balance)
		}
		if got, _ := f.Store.Booking(ctx, a0.ID); got.Payment != booking.PaymentUnpaid || got.PassID != 0 {
			t.Errorf("cleared booking %+v", got)
		}
		if b, err := f.Store.MarkPaidAtDesk(ctx, booking.DeskPayment{LocationID: f.Location.ID, BookingID: a1.ID, Free: true}); err != nil || b.Payment != booking.PaymentFree {
			t.Errorf("free: %v %+v", err, b)
		}
	})
}

func TestMoveAndReseatPassBooking(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		cl := passClient(t, f, 1)
		evs := f.YogaEvents(t, 5, 10)                                                                    // 03-03 .. 03-07
		p := sellPass(t, f, cl, passType(t, f, func(in *booking.PassTypeInput) { in.ValidityDays = 4 })) // ..03-05
		res, err := f.Store.Reserve(ctx, passReq(f, 1, p, 2, evs[0]))
		if err != nil {
			t.Fatal(err)
		}
		b := res.Bookings[0]
		moved, err := f.Store.MoveBooking(ctx, b.ID, evs[2].ID)
		if err != nil {
			t.Fatal(err)
		}
		if moved.Payment != booking.PaymentPass || moved.PassID != p.ID {
			t.Errorf("moved booking lost its payment: %+v", moved)
		}
		_, err = f.Store.MoveBooking(ctx, b.ID, evs[4].ID)
		var nv *booking.PassNotValidError
		if !errors.As(err, &nv) || nv.Date != "2026-03-07" {
			t.Errorf("move past the expiry: %v", err)
		}
		if got, _ := f.Store.Booking(ctx, b.ID); got.EventID != evs[2].ID {
			t.Errorf("refused move moved it to %d", got.EventID)
		}
		if got := reloadPass(t, f, p); got.Balance != 8 {
			t.Errorf("balance after moves %d, want 8", got.Balance)
		}

		// Seats follow the pass: 2 → 4 spends 2 more, 4 → 1 returns 3.
		if _, err := f.Store.ChangeSeats(ctx, b.ID, 4); err != nil {
			t.Fatal(err)
		}
		if got := reloadPass(t, f, p); got.Balance != 6 {
			t.Errorf("balance after 4 seats %d, want 6", got.Balance)
		}
		if _, err := f.Store.ChangeSeats(ctx, b.ID, 1); err != nil {
			t.Fatal(err)
		}
		if got := reloadPass(t, f, p); got.Balance != 9 {
			t.Errorf("balance after 1 seat %d, want 9", got.Balance)
		}
		if _, err := f.Store.ChangeSeats(ctx, b.ID, 11); err == nil {
			t.Errorf("10 more seats on 9 visits and 10 seats")
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}
