package booking_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func holdReq(f *booktest.Fixture, client, seats int, events ...*booking.Event) booking.ReserveRequest {
	r := req(f, client, seats, events...)
	r.Hold = true
	return r
}

func hold(t *testing.T, f *booktest.Fixture, client, seats int, events ...*booking.Event) *booking.Reservation {
	t.Helper()
	res, err := f.Store.Reserve(context.Background(), holdReq(f, client, seats, events...))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// openCheckout opens a payment for the group and records its session as
// Stripe would have created it.
func openCheckout(t *testing.T, f *booktest.Fixture, res *booking.Reservation) *booking.Checkout {
	t.Helper()
	ctx := context.Background()
	c, err := f.Store.NewCheckout(ctx, res.Group.Token)
	if err != nil {
		t.Fatal(err)
	}
	sid := fmt.Sprintf("cs_test_%d", c.Payment.ID)
	if err := f.Store.CheckoutOpened(ctx, c.Payment.ID, sid, "https://checkout.example/"+sid); err != nil {
		t.Fatal(err)
	}
	c.Payment.SessionID = sid
	return c
}

var eventSeq atomic.Int64

// paidEvent is checkout.session.completed for the checkout, paid in full.
func paidEvent(c *booking.Checkout) booking.StripeEvent {
	return booking.StripeEvent{
		ID: fmt.Sprintf("evt_%d", eventSeq.Add(1)), Type: booking.StripeSessionCompleted,
		SessionID: c.Payment.SessionID, PaymentIntent: fmt.Sprintf("pi_%d", c.Payment.ID), PaymentStatus: "paid",
		AmountTotal: c.Payment.AmountMinor, Currency: strings.ToLower(c.Payment.Currency), PaymentID: c.Payment.ID,
	}
}

func applyEvent(t *testing.T, f *booktest.Fixture, ev booking.StripeEvent, want string) {
	t.Helper()
	out, err := f.Store.ApplyStripeEvent(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if out.Result != want {
		t.Fatalf("event %s %s: %s, want %s", ev.ID, ev.Type, out.Result, want)
	}
}

func entries(t *testing.T, db *bun.DB) []booking.PaymentEntry {
	t.Helper()
	var out []booking.PaymentEntry
	if err := db.NewSelect().Model(&out).Order("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

func groupOf(t *testing.T, db *bun.DB, id int64) *booking.Group {
	t.Helper()
	g := new(booking.Group)
	if err := db.NewSelect().Model(g).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return g
}

func bookingsOf(t *testing.T, db *bun.DB, groupID int64) []booking.Booking {
	t.Helper()
	var out []booking.Booking
	if err := db.NewSelect().Model(&out).Where("group_id = ?", groupID).Order("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

func payment(t *testing.T, f *booktest.Fixture, id int64) *booking.OnlinePayment {
	t.Helper()
	p, err := f.Store.OnlinePaymentByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func invariant(t *testing.T, db *bun.DB) {
	t.Helper()
	if bad := booktest.Invariant(t, db); len(bad) > 0 {
		t.Fatalf("invariant broken: %v", bad)
	}
}

func jobByKey(t *testing.T, f *booktest.Fixture, key string) *booking.Job {
	t.Helper()
	j, err := f.Store.JobByKey(context.Background(), key)
	if err != nil {
		t.Fatalf("job %s: %v", key, err)
	}
	return j
}
