package booking_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// paidGroup holds and pays seats in the events for client n.
func paidGroup(t *testing.T, f *booktest.Fixture, n, seats int, events ...*booking.Event) (*booking.Reservation, *booking.Checkout) {
	t.Helper()
	res := hold(t, f, n, seats, events...)
	c := openCheckout(t, f, res)
	applyEvent(t, f, paidEvent(c), booking.StripeConfirmed)
	return res, c
}

func refunds(t *testing.T, db *bun.DB) []booking.PaymentEntry {
	t.Helper()
	var out []booking.PaymentEntry
	for _, e := range entries(t, db) {
		if e.Kind == booking.EntryRefund {
			out = append(out, e)
		}
	}
	return out
}

// TestClientCancelRefund: a client cancelling before the cutoff gets the
// booking's share back when the location refunds client cancels, nothing
// when it does not; a late cancel (refused to the client, done by staff)
// keeps the money; a booking awaiting its payment cannot be cancelled by
// the client.
func TestClientCancelRefund(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 3, 10)
		res, c := paidGroup(t, f, 1, 2, evs[0], evs[1], evs[2])
		bs := bookingsOf(t, db, res.Group.ID)

		if _, err := f.Store.CancelByClient(ctx, res.Group.Token, bs[0].ID, ""); err != nil {
			t.Fatal(err)
		}
		rs := refunds(t, db)
		if len(rs) != 1 || rs[0].BookingID != bs[0].ID || rs[0].AmountMinor != 700000 || rs[0].Reason != booking.RefundClientCancel ||
			rs[0].Status != booking.EntryPending || rs[0].OnlinePaymentID != c.Payment.ID || rs[0].Currency != "HUF" {
			t.Fatalf("refunds %+v", rs)
		}
		if j := jobByKey(t, f, fmt.Sprintf("refund:%d", rs[0].ID)); j.Status != booking.JobPending || j.Kind != booking.JobRefund {
			t.Fatalf("refund job %+v", j)
		}
		money, err := f.Store.BookingsMoney(ctx, []int64{bs[0].ID, bs[1].ID})
		if err != nil {
			t.Fatal(err)
		}
		if m := money[bs[0].ID]; m.PaidMinor != 700000 || m.PendingMinor != 700000 || m.Refundable() != 0 {
			t.Fatalf("money of the cancelled booking %+v", m)
		}
		if m := money[bs[1].ID]; m.PaidMinor != 700000 || m.Refundable() != 700000 || m.Currency != "HUF" {
			t.Fatalf("money of a kept booking %+v", m)
		}

		if err := f.Store.SetPaymentSettings(ctx, f.Location.ID, 20, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.CancelByClient(ctx, res.Group.Token, bs[1].ID, ""); err != nil {
			t.Fatal(err)
		}
		if rs := refunds(t, db); len(rs) != 1 {
			t.Fatalf("refunded with the setting off: %+v", rs)
		}

		if err := f.Store.SetPaymentSettings(ctx, f.Location.ID, 20, true); err != nil {
			t.Fatal(err)
		}
		f.Now = evs[2].StartsAt.Add(-time.Hour) // inside the 2 h cutoff
		if _, err := f.Store.CancelByClient(ctx, res.Group.Token, bs[2].ID, ""); !errors.Is(err, booking.ErrCutoffPassed) {
			t.Fatalf("late client cancel: %v", err)
		}
		if _, err := f.Store.CancelByAdmin(ctx, bs[2].ID); err != nil {
			t.Fatal(err)
		}
		if rs := refunds(t, db); len(rs) != 1 {
			t.Fatalf("a late cancel refunded: %+v", rs)
		}

		held := hold(t, f, 2, 1, f.YogaEvents(t, 1, 10)[0])
		if _, err := f.Store.CancelByClient(ctx, held.Group.Token, held.Bookings[0].ID, ""); !errors.Is(err, booking.ErrCancelNotAllowed) {
			t.Fatalf("client cancel of a held booking: %v", err)
		}
		if _, err := f.Store.ClearPayment(ctx, f.Location.ID, bs[2].ID, 0); !errors.Is(err, booking.ErrPaidOnline) {
			t.Fatalf("clearing an online payment: %v", err)
		}
	})
}

// TestEventDeletedRefunds: the studio deleting an event refunds every
// online payment of it in full, whatever the client-cancel setting.
func TestEventDeletedRefunds(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		if err := f.Store.SetPaymentSettings(ctx, f.Location.ID, 15, false); err != nil {
			t.Fatal(err)
		}
		evs := f.YogaEvents(t, 2, 10)
		a, _ := paidGroup(t, f, 1, 3, evs[0], evs[1])
		b, _ := paidGroup(t, f, 2, 1, evs[0])
		if _, err := f.Store.Reserve(ctx, req(f, 3, 1, evs[0])); err != nil {
			t.Fatal(err)
		}
		// Part of a's share was refunded by staff before.
		ab := bookingsOf(t, db, a.Group.ID)
		if _, err := f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: f.Location.ID, BookingID: ab[0].ID, AmountMinor: 50000}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.DeleteEvent(ctx, evs[0].ID); err != nil {
			t.Fatal(err)
		}
		got := map[int64]int64{}
		for _, r := range refunds(t, db) {
			if r.Reason == booking.RefundEventDeleted {
				got[r.BookingID] += r.AmountMinor
			}
		}
		bb := bookingsOf(t, db, b.Group.ID)
		if len(got) != 2 || got[ab[0].ID] != 3*350000-50000 || got[bb[0].ID] != 350000 {
			t.Fatalf("event deletion refunds %v", got)
		}
		if m, _ := f.Store.BookingsMoney(ctx, []int64{ab[1].ID}); m[ab[1].ID].Refundable() != 3*350000 {
			t.Fatalf("the other date was refunded: %+v", m)
		}
	})
}

// TestStaffRefunds: staff refund a part or all of what is left, never
// more (also when many refund at once), only online payments of their
// location; the refund's outcome is recorded, a failure can be retried.
func TestStaffRefunds(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		res, _ := paidGroup(t, f, 1, 2, evs[0])
		id := bookingsOf(t, db, res.Group.ID)[0].ID

		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		start := make(chan struct{})
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: f.Location.ID, BookingID: id, AmountMinor: 100000, StaffUserID: 0})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, booking.ErrRefundTooMuch):
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
		var sum int64
		for _, r := range refunds(t, db) {
			sum += r.AmountMinor
		}
		if ok != 7 || sum != 700000 {
			t.Fatalf("%d refunds of 100000 granted, %d refunded of 700000", ok, sum)
		}
		if _, err := f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: f.Location.ID, BookingID: id}); !errors.Is(err, booking.ErrRefundTooMuch) {
			t.Fatalf("refund of nothing left: %v", err)
		}

		res2, _ := paidGroup(t, f, 2, 1, evs[1])
		id2 := bookingsOf(t, db, res2.Group.ID)[0].ID
		if _, err := f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: f.Location.ID + 1000, BookingID: id2}); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("another location's booking: %v", err)
		}
		if _, err := f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: f.Location.ID, BookingID: id2, AmountMinor: 350001}); !errors.Is(err, booking.ErrRefundTooMuch) {
			t.Fatalf("refund above the share: %v", err)
		}
		desk, err := f.Store.Reserve(ctx, req(f, 3, 1, evs[1]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: f.Location.ID, BookingID: desk.Bookings[0].ID}); !errors.Is(err, booking.ErrNotPaidOnline) {
			t.Fatalf("refund of a booking not paid online: %v", err)
		}
		e1, err := f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: f.Location.ID, BookingID: id2, AmountMinor: 100000})
		if err != nil {
			t.Fatal(err)
		}
		e2, err := f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: f.Location.ID, BookingID: id2})
		if err != nil || e2.AmountMinor != 250000 || e2.Reason != booking.RefundStaff {
			t.Fatalf("refund of the rest: %+v %v", e2, err)
		}
		if err := f.Store.RefundSucceeded(ctx, e1.ID, "re_1"); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.RefundSucceeded(ctx, e1.ID, "re_1"); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.RefundFailed(ctx, e2.ID, "stripe: 500"); err != nil {
			t.Fatal(err)
		}
		m, err := f.Store.BookingsMoney(ctx, []int64{id2})
		if err != nil {
			t.Fatal(err)
		}
		mm := m[id2]
		if mm.RefundedMinor != 100000 || mm.PendingMinor != 0 || len(mm.FailedRefunds) != 1 || mm.FailedRefunds[0].LastError != "stripe: 500" || mm.Refundable() != 250000 {
			t.Fatalf("money %+v", mm)
		}
		if err := f.Store.RetryRefund(ctx, f.Location.ID+1000, e2.ID); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("retry from another location: %v", err)
		}
		if err := f.Store.RetryRefund(ctx, f.Location.ID, e2.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.RetryRefund(ctx, f.Location.ID, e2.ID); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("retry of a pending refund: %v", err)
		}
		send, err := f.Store.RefundToSendByID(ctx, e2.ID)
		if err != nil || send.Entry.Status != booking.EntryPending {
			t.Fatalf("retried refund %+v %v", send, err)
		}
		if j := jobByKey(t, f, fmt.Sprintf("refund:%d", e2.ID)); j.Status != booking.JobPending || j.Attempts != 0 {
			t.Fatalf("retried job %+v", j)
		}
		if err := f.Store.SetPaymentSettings(ctx, f.Location.ID, 61, true); err == nil {
			t.Fatal("hold of 61 minutes accepted")
		}
		if err := f.Store.SetPaymentSettings(ctx, f.Location.ID, 4, true); err == nil {
			t.Fatal("hold of 4 minutes accepted")
		}
	})
}

// TestClaimJobsOnce: workers claiming at once each get disjoint jobs; a
// job retried later waits for its time, a lease that ran out lets another
// worker take it, and a stale owner's finish changes nothing.
func TestClaimJobsOnce(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		const n = 60
		jobs := make([]booking.Job, n)
		for i := range jobs {
			jobs[i] = booking.Job{Kind: booking.JobRefund, RefID: int64(i), UniqueKey: fmt.Sprintf("test:%d", i), Status: booking.JobPending,
				RunAt: f.Now.Add(-time.Minute), CreatedAt: f.Now, UpdatedAt: f.Now}
		}
		if _, err := db.NewInsert().Model(&jobs).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				owner := fmt.Sprintf("w%d", w)
				for {
					got, err := f.Store.ClaimJobs(ctx, owner, 4, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, j := range got {
						seen[j.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != n {
			t.Fatalf("%d of %d jobs claimed", len(seen), n)
		}
		for id, c := range seen {
			if c != 1 {
				t.Fatalf("job %d claimed %d times", id, c)
			}
		}

		got, _ := f.Store.JobByKey(ctx, "test:0")
		if err := f.Store.JobRetry(ctx, got, got.LeaseOwner, f.Now.Add(time.Minute), "429"); err != nil {
			t.Fatal(err)
		}
		if js, _ := f.Store.ClaimJobs(ctx, "x", 10, time.Minute); len(js) != 0 {
			t.Fatalf("claimed before its time or under lease: %+v", js)
		}
		f.Now = f.Now.Add(2 * time.Minute) // the retry is due, every other lease ran out
		js, err := f.Store.ClaimJobs(ctx, "late", 100, time.Minute)
		if err != nil || len(js) != n {
			t.Fatalf("after the leases: %d jobs, %v", len(js), err)
		}
		stale := jobs[1]
		stale.ID = js[0].ID
		if err := f.Store.JobDone(ctx, &stale, "w0"); err != nil {
			t.Fatal(err)
		}
		if j, _ := f.Store.JobByKey(ctx, js[0].UniqueKey); j.Status != booking.JobPending || j.LeaseOwner != "late" {
			t.Fatalf("a stale owner finished the job: %+v", j)
		}
		if err := f.Store.JobDone(ctx, &js[0], "late"); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.JobFailed(ctx, &js[1], "late", "gave up"); err != nil {
			t.Fatal(err)
		}
		if j, _ := f.Store.JobByKey(ctx, js[0].UniqueKey); j.Status != booking.JobDone || j.DoneAt == nil {
			t.Fatalf("done job %+v", j)
		}
		if j, _ := f.Store.JobByKey(ctx, js[1].UniqueKey); j.Status != booking.JobFailed || j.LastError != "gave up" {
			t.Fatalf("failed job %+v", j)
		}
		f.Now = f.Now.Add(time.Hour)
		js, _ = f.Store.ClaimJobs(ctx, "again", 100, time.Minute)
		if len(js) != n-2 {
			t.Fatalf("finished jobs claimed again: %d", len(js))
		}
	})
}

// TestPaymentsList: the Payments page lists online charges and refunds,
// desk payments and desk pass sales, filtered by method and status.
func TestPaymentsList(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		res, c := paidGroup(t, f, 1, 1, evs[0])
		id := bookingsOf(t, db, res.Group.ID)[0].ID
		e, err := f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: f.Location.ID, BookingID: id, AmountMinor: 1000})
		if err != nil {
			t.Fatal(err)
		}
		desk, err := f.Store.Reserve(ctx, req(f, 2, 1, evs[1]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.MarkPaidAtDesk(ctx, booking.DeskPayment{LocationID: f.Location.ID, BookingID: desk.Bookings[0].ID, Method: booking.MethodCash, AmountMinor: 350000}); err != nil {
			t.Fatal(err)
		}
		pt, err := f.Store.CreatePassType(ctx, f.Location.ID, booking.PassTypeInput{Name: "Ten", Kind: booking.PassVisits, Visits: 10,
			ValidityDays: 30, ValidFrom: booking.ValidFromSale, PriceMinor: 2000000, Currency: "HUF", ServiceIDs: []int64{f.Yoga.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.SellPass(ctx, booking.SellPassInput{LocationID: f.Location.ID, ClientID: desk.Client.ID, PassTypeID: pt.ID, Method: booking.MethodCard, AmountMinor: 2000000}); err != nil {
			t.Fatal(err)
		}
		all := booking.PaymentFilter{LocationID: f.Location.ID, From: f.Now.Add(-time.Hour), To: f.Now.Add(time.Hour)}
		rows, err := f.Store.Payments(ctx, all)
		if err != nil || len(rows) != 4 {
			t.Fatalf("all rows %+v %v", rows, err)
		}
		for _, tc := range []struct {
			method, status string
			want           int
		}{
			{"online", "", 2}, {"cash", "", 1}, {"card", "", 1}, {"pass_sale", "", 1}, {"", "paid", 3},
			{"", "refund_pending", 1}, {"", "refunded", 0}, {"online", "paid", 1}, {"", "flagged", 0},
		} {
			fl := all
			fl.Method, fl.Status = tc.method, tc.status
			rows, err := f.Store.Payments(ctx, fl)
			if err != nil || len(rows) != tc.want {
				t.Errorf("method %q status %q: %d rows, want %d (%v)", tc.method, tc.status, len(rows), tc.want, err)
			}
		}
		fl := all
		fl.Status = "refund_pending"
		rows, _ = f.Store.Payments(ctx, fl)
		r := rows[0]
		if r.Kind != booking.EntryRefund || r.EntryID != e.ID || r.BookingID != id || r.What != "Yoga" || r.Start == nil || !r.Start.Equal(evs[0].StartsAt) ||
			r.ClientName != "Anna Kovács" || r.AmountMinor != 1000 || r.Reason != booking.RefundStaff {
			t.Fatalf("refund row %+v", r)
		}
		fl.Method, fl.Status = "online", "paid"
		rows, _ = f.Store.Payments(ctx, fl)
		if r := rows[0]; r.StripeID != fmt.Sprintf("pi_%d", c.Payment.ID) || r.What != "Yoga" || r.Start == nil || r.AmountMinor != 350000 {
			t.Fatalf("charge row %+v", r)
		}
		// One client's payments: the first client's online charge and
		// refund, the second's desk payment and pass sale.
		for client, want := range map[int64]int{res.Client.ID: 2, desk.Client.ID: 2, desk.Client.ID + res.Client.ID + 100: 0} {
			fl := all
			fl.ClientID = client
			rows, err := f.Store.Payments(ctx, fl)
			if err != nil || len(rows) != want {
				t.Errorf("client %d: %d rows, want %d (%v)", client, len(rows), want, err)
			}
			for _, r := range rows {
				if r.ClientID != client {
					t.Errorf("client %d filter gave a row of client %d", client, r.ClientID)
				}
			}
		}
		out := all
		out.From, out.To = f.Now.Add(time.Hour), f.Now.Add(2*time.Hour)
		if rows, _ := f.Store.Payments(ctx, out); len(rows) != 0 {
			t.Fatalf("rows outside the range %+v", rows)
		}
	})
}

// TestEventWindowMoney: the event window shows what each booking paid
// online and its refunds, and until when a held booking waits.
func TestEventWindowMoney(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 10)[0]
		paid, _ := paidGroup(t, f, 1, 2, ev)
		held := hold(t, f, 2, 1, ev)
		pid := bookingsOf(t, db, paid.Group.ID)[0].ID
		if _, err := f.Store.RefundBooking(ctx, booking.StaffRefund{LocationID: f.Location.ID, BookingID: pid, AmountMinor: 1000}); err != nil {
			t.Fatal(err)
		}
		w, err := f.Store.EventWindow(ctx, f.Location.ID, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w.Totals.OnlineMinor != 700000 || w.Totals.PaidSeats != 2 || w.Totals.UnpaidSeats != 1 {
			t.Fatalf("totals %+v", w.Totals)
		}
		for _, c := range w.Active {
			switch c.ID {
			case pid:
				if c.Money.PaidMinor != 700000 || c.Money.PendingMinor != 1000 || c.HoldUntil != nil {
					t.Fatalf("paid booking %+v", c)
				}
			case held.Bookings[0].ID:
				if c.HoldUntil == nil || !c.HoldUntil.Equal(*held.Group.HoldUntil) || c.Money.PaidMinor != 0 {
					t.Fatalf("held booking %+v", c)
				}
			}
		}
		up, _, err := f.Store.ClientBookings(ctx, f.Location.ID, paid.Client.ID)
		if err != nil || len(up) != 1 || up[0].Money.PaidMinor != 700000 || up[0].Money.Refundable() != 699000 {
			t.Fatalf("client page %+v %v", up, err)
		}
		up, _, err = f.Store.ClientBookings(ctx, f.Location.ID, held.Client.ID)
		if err != nil || len(up) != 1 || up[0].HoldUntil == nil {
			t.Fatalf("client page of the holder %+v %v", up, err)
		}
	})
}
