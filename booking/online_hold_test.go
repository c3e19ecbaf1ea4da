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

// TestHoldPaidBooked: a hold takes the seats without telling the client,
// the checkout charges dates × seats × price, and the webhook books the
// group: bookings paid online with their share, a charge in the ledger,
// the "booked" SMS and reminders queued, the hold's job done.
func TestHoldPaidBooked(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 36)
		evs := f.YogaEvents(t, 3, 10)
		res := hold(t, f, 1, 2, evs[1], evs[2])
		g := res.Group
		if g.State != booking.GroupPendingPayment || g.HoldUntil == nil || !g.HoldUntil.Equal(f.Now.Add(15*time.Minute)) {
			t.Fatalf("group %+v", g)
		}
		for _, b := range bookingsOf(t, db, g.ID) {
			if b.Payment != booking.PaymentOnlinePending || !b.Active() {
				t.Fatalf("held booking %+v", b)
			}
		}
		if seatsTaken(t, f, evs[1]) != 2 || seatsTaken(t, f, evs[2]) != 2 {
			t.Fatal("a hold must take its seats")
		}
		if n := len(outbox(t, db)); n != 0 {
			t.Fatalf("%d messages before the payment", n)
		}
		j := jobByKey(t, f, fmt.Sprintf("hold_expire:%d", g.ID))
		if j.Kind != booking.JobHoldExpire || j.RefID != g.ID || !j.RunAt.Equal(*g.HoldUntil) || j.Status != booking.JobPending {
			t.Fatalf("hold job %+v", j)
		}

		c := openCheckout(t, f, res)
		if c.Payment.AmountMinor != 2*2*350000 || c.Payment.Currency != "HUF" || len(c.Lines) != 2 ||
			c.Lines[0].Quantity != 2 || c.Lines[0].UnitMinor != 350000 || c.Lines[0].Service != "Yoga" || c.Payment.IdempotencyKey == "" {
			t.Fatalf("checkout %+v", c)
		}
		applyEvent(t, f, paidEvent(c), booking.StripeConfirmed)

		if got := groupOf(t, db, g.ID); got.State != booking.GroupBooked {
			t.Fatalf("group after payment %+v", got)
		}
		for _, b := range bookingsOf(t, db, g.ID) {
			if b.Payment != booking.PaymentOnline || b.PaidAmountMinor != 700000 || b.PaidCurrency != "HUF" || b.OnlinePaymentID != c.Payment.ID || b.PaidAt == nil {
				t.Fatalf("paid booking %+v", b)
			}
		}
		p := payment(t, f, c.Payment.ID)
		if p.Status != booking.OnlinePaid || p.PaymentIntent != fmt.Sprintf("pi_%d", p.ID) || p.PaidAmountMinor != 1400000 {
			t.Fatalf("payment %+v", p)
		}
		es := entries(t, db)
		if len(es) != 1 || es[0].Kind != booking.EntryCharge || es[0].AmountMinor != 1400000 || es[0].StripeID != p.PaymentIntent || es[0].Status != booking.EntrySucceeded {
			t.Fatalf("ledger %+v", es)
		}
		msgs := outbox(t, db)
		if len(msgs) != 3 || msgs[0].Kind != booking.SMSBooked || msgs[1].Kind != booking.SMSReminder {
			t.Fatalf("messages after payment %+v", msgs)
		}
		if j := jobByKey(t, f, fmt.Sprintf("hold_expire:%d", g.ID)); j.Status != booking.JobDone {
			t.Fatalf("hold job after payment %+v", j)
		}
		// The hold's end changes nothing now.
		f.Now = f.Now.Add(time.Hour)
		if released, err := f.Store.ExpireHold(ctx, g.ID); err != nil || released {
			t.Fatalf("expire after payment: %v %v", released, err)
		}
		if seatsTaken(t, f, evs[1]) != 2 {
			t.Fatal("a paid group lost its seats")
		}
		invariant(t, db)
	})
}

// TestStripeEventOnce: the same event twice, the async success after the
// completion, and an expiry after it (out of order) make one effect.
func TestStripeEventOnce(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 0)
		ev := f.YogaEvents(t, 1, 10)[0]
		res := hold(t, f, 1, 1, ev)
		c := openCheckout(t, f, res)
		paid := paidEvent(c)
		applyEvent(t, f, paid, booking.StripeConfirmed)
		applyEvent(t, f, paid, booking.StripeDuplicate)
		again := paidEvent(c)
		again.Type = booking.StripeAsyncPaymentSucceeded
		applyEvent(t, f, again, booking.StripeIgnored)
		expired := paidEvent(c)
		expired.Type, expired.PaymentStatus = booking.StripeSessionExpired, "unpaid"
		applyEvent(t, f, expired, booking.StripeIgnored)
		if p := payment(t, f, c.Payment.ID); p.Status != booking.OnlinePaid {
			t.Fatalf("payment %+v", p)
		}
		if es := entries(t, db); len(es) != 1 {
			t.Fatalf("ledger %+v", es)
		}
		if msgs := outbox(t, db); len(msgs) != 1 {
			t.Fatalf("messages %+v", msgs)
		}
		// An unpaid completion (a delayed method) waits for its success.
		res2 := hold(t, f, 2, 1, ev)
		c2 := openCheckout(t, f, res2)
		unpaid := paidEvent(c2)
		unpaid.PaymentStatus = "unpaid"
		applyEvent(t, f, unpaid, booking.StripeIgnored)
		if g := groupOf(t, db, res2.Group.ID); g.State != booking.GroupPendingPayment {
			t.Fatalf("group after an unpaid completion %+v", g)
		}
		ok := paidEvent(c2)
		ok.Type, ok.PaymentStatus = booking.StripeAsyncPaymentSucceeded, ""
		applyEvent(t, f, ok, booking.StripeConfirmed)
		// A session that is not ours is left alone.
		applyEvent(t, f, booking.StripeEvent{ID: "evt_foreign", Type: booking.StripeSessionCompleted, SessionID: "cs_other", PaymentStatus: "paid", AmountTotal: 5, Currency: "eur"}, booking.StripeIgnored)
		if es := entries(t, db); len(es) != 2 {
			t.Fatalf("ledger after a foreign session %+v", es)
		}
		_ = ctx
	})
}

// TestHoldExpiresReleased: a hold whose time ran out gives its seats back
// once, expires its open session (a job), refuses a new checkout, and a
// payment arriving after that is refunded with an SMS to the client.
func TestHoldExpiresReleased(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 0)
		ev := f.YogaEvents(t, 1, 10)[0]
		res := hold(t, f, 1, 3, ev)
		c := openCheckout(t, f, res)
		f.Now = f.Now.Add(16 * time.Minute)
		released, err := f.Store.ExpireHold(ctx, res.Group.ID)
		if err != nil || !released {
			t.Fatalf("expire: %v %v", released, err)
		}
		if seatsTaken(t, f, ev) != 0 {
			t.Fatal("seats not released")
		}
		for _, b := range bookingsOf(t, db, res.Group.ID) {
			if b.Active() || b.CancelledBy != booking.CancelledByPaymentExpired {
				t.Fatalf("released booking %+v", b)
			}
		}
		if g := groupOf(t, db, res.Group.ID); g.State != booking.GroupExpired {
			t.Fatalf("group %+v", g)
		}
		if p := payment(t, f, c.Payment.ID); p.Status != booking.OnlineExpired {
			t.Fatalf("payment %+v", p)
		}
		if j := jobByKey(t, f, fmt.Sprintf("checkout_expire:%d", c.Payment.ID)); j.Kind != booking.JobCheckoutExpire || j.RefID != c.Payment.ID {
			t.Fatalf("checkout expiry job %+v", j)
		}
		if _, err := f.Store.NewCheckout(ctx, res.Group.Token); !errors.Is(err, booking.ErrHoldExpired) {
			t.Fatalf("checkout after expiry: %v", err)
		}
		if released, err := f.Store.ExpireHold(ctx, res.Group.ID); err != nil || released {
			t.Fatalf("second expire: %v %v", released, err)
		}
		invariant(t, db)

		// Paid anyway (Stripe had not expired it yet): refunded in full.
		applyEvent(t, f, paidEvent(c), booking.StripeRefunding)
		p := payment(t, f, c.Payment.ID)
		if p.Status != booking.OnlineLate {
			t.Fatalf("late payment %+v", p)
		}
		es := entries(t, db)
		if len(es) != 2 || es[0].Kind != booking.EntryCharge || es[1].Kind != booking.EntryRefund ||
			es[1].AmountMinor != 3*350000 || es[1].Status != booking.EntryPending || es[1].Reason != booking.RefundLate {
			t.Fatalf("ledger %+v", es)
		}
		j := jobByKey(t, f, fmt.Sprintf("refund:%d", es[1].ID))
		if j.Kind != booking.JobRefund || j.RefID != es[1].ID {
			t.Fatalf("refund job %+v", j)
		}
		send, err := f.Store.RefundToSendByID(ctx, es[1].ID)
		if err != nil || send.PaymentIntent != p.PaymentIntent || send.IdempotencyKey != fmt.Sprintf("groupbook-refund-%d", es[1].ID) {
			t.Fatalf("refund to send %+v %v", send, err)
		}
		msgs := outbox(t, db)
		if len(msgs) != 1 || msgs[0].Kind != booking.SMSRefunded {
			t.Fatalf("messages %+v", msgs)
		}
		pl, err := msgs[0].DecodePayload()
		if err != nil || pl.Refund == nil || pl.Refund.AmountMinor != 3*350000 || pl.Refund.Currency != "HUF" || pl.Token != res.Group.Token {
			t.Fatalf("refund payload %+v %v", pl, err)
		}
		if seatsTaken(t, f, ev) != 0 {
			t.Fatal("a late payment took seats")
		}
	})
}

// TestCheckoutTwice: opening Checkout again expires the first session
// (a job) and only the newest confirms; the older one paid anyway is a
// duplicate and refunded.
func TestCheckoutTwice(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 10)[0]
		res := hold(t, f, 1, 1, ev)
		c1 := openCheckout(t, f, res)
		c2 := openCheckout(t, f, res)
		if c1.Payment.IdempotencyKey == c2.Payment.IdempotencyKey {
			t.Fatal("two checkouts share an idempotency key")
		}
		if p := payment(t, f, c1.Payment.ID); p.Status != booking.OnlineExpired {
			t.Fatalf("first payment %+v", p)
		}
		jobByKey(t, f, fmt.Sprintf("checkout_expire:%d", c1.Payment.ID))
		applyEvent(t, f, paidEvent(c2), booking.StripeConfirmed)
		applyEvent(t, f, paidEvent(c1), booking.StripeRefunding)
		es := entries(t, db)
		if len(es) != 3 || es[2].Kind != booking.EntryRefund || es[2].Reason != booking.RefundDuplicate || es[2].OnlinePaymentID != c1.Payment.ID {
			t.Fatalf("ledger %+v", es)
		}
		for _, b := range bookingsOf(t, db, res.Group.ID) {
			if b.OnlinePaymentID != c2.Payment.ID || b.Payment != booking.PaymentOnline {
				t.Fatalf("booking %+v", b)
			}
		}
		if seatsTaken(t, f, ev) != 1 {
			t.Fatal("seats")
		}
	})
}

// TestPaymentMismatchFlagged: an amount or currency other than the
// payment's is recorded and flagged, never confirms, never refunds.
func TestPaymentMismatchFlagged(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 10)[0]
		for i, edit := range []func(*booking.StripeEvent){
			func(e *booking.StripeEvent) { e.AmountTotal-- },
			func(e *booking.StripeEvent) { e.Currency = "eur" },
		} {
			res := hold(t, f, 1+i, 1, ev)
			c := openCheckout(t, f, res)
			e := paidEvent(c)
			edit(&e)
			applyEvent(t, f, e, booking.StripeMismatch)
			if p := payment(t, f, c.Payment.ID); p.Status != booking.OnlineMismatch || p.PaidAmountMinor != e.AmountTotal {
				t.Fatalf("payment %+v", p)
			}
			if g := groupOf(t, db, res.Group.ID); g.State != booking.GroupPendingPayment {
				t.Fatalf("group %+v", g)
			}
		}
		es := entries(t, db)
		if len(es) != 2 || es[0].Kind != booking.EntryCharge || es[1].Kind != booking.EntryCharge {
			t.Fatalf("ledger %+v", es)
		}
		rows, err := f.Store.Payments(ctx, booking.PaymentFilter{LocationID: f.Location.ID, From: f.Now.Add(-time.Hour), To: f.Now.Add(time.Hour), Status: "flagged"})
		if err != nil || len(rows) != 2 || rows[0].Status != booking.OnlineMismatch {
			t.Fatalf("flagged rows %+v %v", rows, err)
		}
		// Staff give a flagged payment back, once.
		p1 := es[0].OnlinePaymentID
		if _, err := f.Store.RefundFlagged(ctx, f.Location.ID+1000, p1, 0); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("refund from another location: %v", err)
		}
		e, err := f.Store.RefundFlagged(ctx, f.Location.ID, p1, 0)
		if err != nil || e.AmountMinor != 349999 || e.Status != booking.EntryPending {
			t.Fatalf("flagged refund %+v %v", e, err)
		}
		if _, err := f.Store.RefundFlagged(ctx, f.Location.ID, p1, 0); !errors.Is(err, booking.ErrRefundTooMuch) {
			t.Fatalf("second flagged refund: %v", err)
		}
	})
}

// TestCheckoutFailedReleases: a session Stripe could not create releases
// the hold at once.
func TestCheckoutFailedReleases(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 10)[0]
		res := hold(t, f, 1, 2, ev)
		c, err := f.Store.NewCheckout(ctx, res.Group.Token)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Store.CheckoutFailed(ctx, c.Payment.ID, "stripe: 503"); err != nil {
			t.Fatal(err)
		}
		if seatsTaken(t, f, ev) != 0 {
			t.Fatal("seats stay taken after a failed checkout")
		}
		if g := groupOf(t, db, res.Group.ID); g.State != booking.GroupExpired {
			t.Fatalf("group %+v", g)
		}
		if p := payment(t, f, c.Payment.ID); p.Status != booking.OnlineFailed || p.LastError != "stripe: 503" {
			t.Fatalf("payment %+v", p)
		}
		invariant(t, db)
	})
}

// TestHoldRules: a free selection books at once; a link taking money
// online refuses a booking without a hold; a pass cannot be held.
func TestHoldRules(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		free, err := f.Store.CreateService(ctx, f.Location.ID, booking.ServiceInput{Name: "Open mat", DurationMin: 60, DefaultCapacity: 10, Currency: "HUF", Color: "#aabbcc", OnlineBooking: true})
		if err != nil {
			t.Fatal(err)
		}
		tm, err := f.Store.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "Ági", ServiceIDs: []int64{free.ID}})
		if err != nil {
			t.Fatal(err)
		}
		fev := f.Event(t, free, tm, f.Now.Add(48*time.Hour), 10)
		res, err := f.Store.Reserve(ctx, holdReq(f, 1, 1, fev))
		if err != nil || res.Group.State != booking.GroupBooked || res.Bookings[0].Payment != booking.PaymentUnpaid {
			t.Fatalf("free selection: %v %+v", err, res)
		}
		f.Link.PaymentMode = booking.PayOnline
		if err := f.Store.SaveLink(ctx, f.Link); err != nil {
			t.Fatal(err)
		}
		ev := f.YogaEvents(t, 1, 10)[0]
		if _, err := f.Store.Reserve(ctx, req(f, 2, 1, ev)); !errors.Is(err, booking.ErrPaymentRequired) {
			t.Fatalf("online link without a hold: %v", err)
		}
		if seatsTaken(t, f, ev) != 0 {
			t.Fatal("refused booking took seats")
		}
		r := holdReq(f, 3, 1, ev)
		r.PassID = 1
		if _, err := f.Store.Reserve(ctx, r); err == nil {
			t.Fatal("a hold paid by a pass was accepted")
		}
		// A double submit holds once.
		k := holdReq(f, 5, 2, ev)
		k.Key = "double-click"
		first, err := f.Store.Reserve(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		again, err := f.Store.Reserve(ctx, k)
		if err != nil || !again.Replayed || again.Group.ID != first.Group.ID || again.Group.State != booking.GroupPendingPayment {
			t.Fatalf("replayed hold %+v %v", again, err)
		}
		if seatsTaken(t, f, ev) != 2 {
			t.Fatalf("seats after a double submit: %d", seatsTaken(t, f, ev))
		}
		h := hold(t, f, 4, 1, ev)
		if _, err := f.Store.ChangeSeats(ctx, h.Bookings[0].ID, 2); !errors.Is(err, booking.ErrPaymentPending) {
			t.Fatalf("seats of a held booking changed: %v", err)
		}
	})
}

// TestExpireHoldConcurrent: many workers expiring one hold release it
// once: one true, the seats given back once.
func TestExpireHoldConcurrent(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		prefill(t, f, evs[0], 6)
		res := hold(t, f, 1, 3, evs[0], evs[1])
		openCheckout(t, f, res)
		var wg sync.WaitGroup
		var mu sync.Mutex
		releases := 0
		start := make(chan struct{})
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				ok, err := f.Store.ExpireHold(ctx, res.Group.ID)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if ok {
					releases++
				}
			}()
		}
		close(start)
		wg.Wait()
		if releases != 1 {
			t.Fatalf("%d releases", releases)
		}
		if seatsTaken(t, f, evs[0]) != 4 || seatsTaken(t, f, evs[1]) != 0 {
			t.Fatalf("seats %d, %d", seatsTaken(t, f, evs[0]), seatsTaken(t, f, evs[1]))
		}
		invariant(t, db)
	})
}

// TestHolderKeepsLastSeats: while one client holds the last seats and
// pays, every other client racing for them is refused; the holder's
// payment then books them.
func TestHolderKeepsLastSeats(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 12)[0]
		prefill(t, f, ev, 3)
		res := hold(t, f, 1, 3, ev)
		c := openCheckout(t, f, res)
		granted, _ := lastSeats(t, f, ev, 40)
		if granted != 0 {
			t.Fatalf("%d held seats taken by others", granted)
		}
		applyEvent(t, f, paidEvent(c), booking.StripeConfirmed)
		if seatsTaken(t, f, ev) != 12 {
			t.Fatalf("seats %d", seatsTaken(t, f, ev))
		}
		invariant(t, db)
	})
}

// TestBuyPassOnline: a hold buying a pass charges the pass's price; only
// the webhook creates the pass (a sale paid online) and it pays every
// booking of the group.
func TestBuyPassOnline(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		pt, err := f.Store.CreatePassType(ctx, f.Location.ID, booking.PassTypeInput{Name: "Ten Yoga", Kind: booking.PassVisits, Visits: 10,
			ValidityDays: 30, ValidFrom: booking.ValidFromSale, PriceMinor: 2000000, Currency: "HUF", OnSaleOnline: true, ServiceIDs: []int64{f.Yoga.ID}})
		if err != nil {
			t.Fatal(err)
		}
		offline, err := f.Store.CreatePassType(ctx, f.Location.ID, booking.PassTypeInput{Name: "Desk only", Kind: booking.PassVisits, Visits: 10,
			ValidityDays: 30, ValidFrom: booking.ValidFromSale, PriceMinor: 2000000, Currency: "HUF", ServiceIDs: []int64{f.Yoga.ID}})
		if err != nil {
			t.Fatal(err)
		}
		small, err := f.Store.CreatePassType(ctx, f.Location.ID, booking.PassTypeInput{Name: "Two", Kind: booking.PassVisits, Visits: 2,
			ValidityDays: 30, ValidFrom: booking.ValidFromSale, PriceMinor: 600000, Currency: "HUF", OnSaleOnline: true, ServiceIDs: []int64{f.Yoga.ID}})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{offline.ID, small.ID} {
			r := holdReq(f, 1, 2, evs[0], evs[1])
			r.BuyPassTypeID = id
			if _, err := f.Store.Reserve(ctx, r); !errors.Is(err, booking.ErrPassNotForSale) {
				t.Fatalf("pass type %d: %v", id, err)
			}
		}
		types, err := f.Store.OnlinePassTypes(ctx, f.Location.ID, f.Yoga.ID, []int64{evs[0].ID, evs[1].ID}, 3)
		if err != nil || len(types) != 1 || types[0].ID != pt.ID {
			t.Fatalf("online pass types %+v %v", types, err)
		}
		if types, _ := f.Store.OnlinePassTypes(ctx, f.Location.ID, f.Yoga.ID, []int64{evs[0].ID}, 1); len(types) != 0 {
			t.Fatalf("a pass dearer than the selection offered: %+v", types)
		}

		r := holdReq(f, 1, 2, evs[0], evs[1])
		r.BuyPassTypeID = pt.ID
		res, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if res.Group.BuyPassTypeID != pt.ID || res.Group.State != booking.GroupPendingPayment {
			t.Fatalf("group %+v", res.Group)
		}
		c := openCheckout(t, f, res)
		if c.Payment.Purpose != booking.PurposePass || c.Payment.AmountMinor != 2000000 || len(c.Lines) != 1 || c.Lines[0].Service != "Ten Yoga" {
			t.Fatalf("checkout %+v", c)
		}
		if ps, _ := f.Store.ClientPasses(ctx, f.Location.ID, res.Client.ID); len(ps) != 0 {
			t.Fatal("the pass exists before the payment")
		}
		applyEvent(t, f, paidEvent(c), booking.StripeConfirmed)
		ps, err := f.Store.ClientPasses(ctx, f.Location.ID, res.Client.ID)
		if err != nil || len(ps) != 1 {
			t.Fatalf("passes %+v %v", ps, err)
		}
		p := ps[0]
		if p.Balance != 6 || p.PassTypeID != pt.ID {
			t.Fatalf("pass %+v", p)
		}
		var sale *booking.PassEntry
		for i := range p.Entries {
			if p.Entries[i].Kind == booking.EntrySale {
				sale = &p.Entries[i]
			}
		}
		if sale == nil || sale.Method != "online" || sale.AmountMinor != 2000000 || sale.Currency != "HUF" {
			t.Fatalf("sale entry %+v", sale)
		}
		for _, b := range bookingsOf(t, db, res.Group.ID) {
			if b.Payment != booking.PaymentPass || b.PassID != p.ID {
				t.Fatalf("booking %+v", b)
			}
		}
		if op := payment(t, f, c.Payment.ID); op.PassID != p.ID || op.Status != booking.OnlinePaid {
			t.Fatalf("payment %+v", op)
		}
	})
}

// TestHeldBookingCancelledWhilePaying: staff deleting an event of a held
// group while the client pays: the payment books the rest, and the share
// of the deleted date goes back.
func TestHeldBookingCancelledWhilePaying(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		res := hold(t, f, 1, 1, evs[0], evs[1])
		c := openCheckout(t, f, res)
		if _, err := f.Store.DeleteEvent(ctx, evs[0].ID); err != nil {
			t.Fatal(err)
		}
		applyEvent(t, f, paidEvent(c), booking.StripeConfirmed)
		es := entries(t, db)
		if len(es) != 2 || es[1].Kind != booking.EntryRefund || es[1].AmountMinor != 350000 || es[1].Reason != booking.RefundEventDeleted {
			t.Fatalf("ledger %+v", es)
		}
		bs := bookingsOf(t, db, res.Group.ID)
		if bs[1].Payment != booking.PaymentOnline || bs[1].PaidAmountMinor != 350000 {
			t.Fatalf("kept booking %+v", bs[1])
		}
		invariant(t, db)
	})
}

// TestCheckoutOpenedAfterRelease: a session Stripe created after its hold
// was released (or superseded) is expired at Stripe by a job.
func TestCheckoutOpenedAfterRelease(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 10)[0]
		res := hold(t, f, 1, 1, ev)
		c, err := f.Store.NewCheckout(ctx, res.Group.Token)
		if err != nil {
			t.Fatal(err)
		}
		if at := c.ExpiresAt(f.Now); !at.Equal(f.Now.Add(booking.MinCheckoutExpiry)) {
			t.Fatalf("a 15 min hold's session expires at %v", at)
		}
		if released, err := f.Store.ExpireHold(ctx, res.Group.ID); err != nil || !released {
			t.Fatalf("%v %v", released, err)
		}
		if _, err := f.Store.JobByKey(ctx, fmt.Sprintf("checkout_expire:%d", c.Payment.ID)); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("expiry job before the session exists: %v", err)
		}
		if err := f.Store.CheckoutOpened(ctx, c.Payment.ID, "cs_late", "https://checkout.example/cs_late"); err != nil {
			t.Fatal(err)
		}
		if p := payment(t, f, c.Payment.ID); p.Status != booking.OnlineExpired || p.SessionID != "cs_late" {
			t.Fatalf("payment %+v", p)
		}
		jobByKey(t, f, fmt.Sprintf("checkout_expire:%d", c.Payment.ID))
		if err := f.Store.CheckoutExpired(ctx, c.Payment.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// TestStripeEventsConcurrent: Stripe redelivering an event while the
// first delivery is being applied, and other events of the same session
// at once, make one charge and one confirmation.
func TestStripeEventsConcurrent(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 0)
		ev := f.YogaEvents(t, 1, 10)[0]
		res := hold(t, f, 1, 2, ev)
		c := openCheckout(t, f, res)
		same := paidEvent(c)
		var wg sync.WaitGroup
		var mu sync.Mutex
		results := map[string]int{}
		start := make(chan struct{})
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := same
				if i%2 == 1 {
					e = paidEvent(c)
				}
				<-start
				out, err := f.Store.ApplyStripeEvent(ctx, e)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Error(err)
					return
				}
				results[out.Result]++
			}()
		}
		close(start)
		wg.Wait()
		if results[booking.StripeConfirmed] != 1 || results[booking.StripeRefunding] != 0 {
			t.Fatalf("results %v", results)
		}
		if es := entries(t, db); len(es) != 1 {
			t.Fatalf("ledger %+v", es)
		}
		if msgs := outbox(t, db); len(msgs) != 1 {
			t.Fatalf("messages %+v", msgs)
		}
		if seatsTaken(t, f, ev) != 2 {
			t.Fatal("seats")
		}
	})
}
