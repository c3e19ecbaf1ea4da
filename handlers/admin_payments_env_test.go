package handlers

import (
	"context"
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
