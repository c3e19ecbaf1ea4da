package handlers

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/payments"
)

// adminStripe is a Provider for admin tests that only need "Stripe is
// configured": the admin never calls Stripe itself (the job worker
// sends refunds), so every call is an error the test would see.
type adminStripe struct{ t *testing.T }

func (s adminStripe) CreateCheckout(context.Context, payments.CheckoutRequest) (*payments.Session, error) {
	s.t.Error("the admin opened a Checkout Session")
	return nil, payments.ErrGone
}

func (s adminStripe) ExpireCheckout(context.Context, string) error {
	s.t.Error("the admin expired a Checkout Session")
	return payments.ErrGone
}

func (s adminStripe) Refund(context.Context, payments.RefundRequest) (string, error) {
	s.t.Error("the admin sent a refund to Stripe itself")
	return "", payments.ErrGone
}

// newAdminEnvStripe is the admin env with online payment configured.
func newAdminEnvStripe(t *testing.T, db *bun.DB) *adminEnv {
	t.Helper()
	return newAdminEnvWith(t, db, func(d *Deps) { d.Payments = adminStripe{t}; d.StripeWebhookSecret = "whsec_test" })
}

// newAdminEnvWith is newAdminEnv with Deps changed by opts.
func newAdminEnvWith(t *testing.T, db *bun.DB, opts ...func(*Deps)) *adminEnv {
	t.Helper()
	f := booktest.Seed(t, db)
	we := newTestRouter(t, f.Store, func() time.Time { return f.Now }, opts...)
	we.db, we.f = db, f
	e := &adminEnv{widgetEnv: we}
	ctx := context.Background()
	var err error
	if e.owner, err = f.Store.CreateUser(ctx, ownerEmail, "Olga Owner", adminPassword, booking.RoleOwner); err != nil {
		t.Fatal(err)
	}
	if e.staff, err = f.Store.CreateUser(ctx, staffEmail, "Sam Staff", adminPassword, booking.RoleStaff); err != nil {
		t.Fatal(err)
	}
	return e
}

// adminOnlineSeq numbers the fake Stripe ids of paidOnline.
var adminOnlineSeq atomic.Int64

// paidOnline books events for fixture client n through the core's online
// flow, as a client paying in the widget would: a hold, a Checkout opened,
// and Stripe's checkout.session.completed applied. It returns the
// reservation and the checkout (its Payment's amount and currency).
func adminPaidOnline(t *testing.T, e *adminEnv, client, seats int, events ...*booking.Event) (*booking.Reservation, *booking.Checkout) {
	t.Helper()
	res, co := adminHeldOnline(t, e, client, seats, events...)
	n := adminOnlineSeq.Add(1)
	out, err := e.f.Store.ApplyStripeEvent(context.Background(), booking.StripeEvent{
		ID: fmt.Sprintf("evt_admin_%d", n), Type: booking.StripeSessionCompleted,
		SessionID: co.Payment.SessionID, PaymentIntent: fmt.Sprintf("pi_admin_%d", n), PaymentStatus: "paid",
		AmountTotal: co.Payment.AmountMinor, Currency: strings.ToLower(co.Payment.Currency), PaymentID: co.Payment.ID,
	})
	if err != nil || out.Result != booking.StripeConfirmed {
		t.Fatalf("payment not confirmed: %+v %v", out, err)
	}
	return res, co
}

// heldOnline holds the seats and opens a Checkout Session, not paid yet.
func adminHeldOnline(t *testing.T, e *adminEnv, client, seats int, events ...*booking.Event) (*booking.Reservation, *booking.Checkout) {
	t.Helper()
	ctx := context.Background()
	ids := make([]int64, len(events))
	for i, ev := range events {
		ids[i] = ev.ID
	}
	res, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{
		LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: ids, Seats: seats,
		Client: booktest.Client(client), Lang: "en", Hold: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	co, err := e.f.Store.NewCheckout(ctx, res.Group.Token)
	if err != nil {
		t.Fatal(err)
	}
	sid := fmt.Sprintf("cs_admin_%d", co.Payment.ID)
	if err := e.f.Store.CheckoutOpened(ctx, co.Payment.ID, sid, "https://checkout.example/"+sid); err != nil {
		t.Fatal(err)
	}
	co.Payment.SessionID = sid
	return res, co
}
