// Package payments takes money online through Stripe. The booking core
// never calls it: handlers open Checkout Sessions, the webhook handler
// verifies Stripe's events and hands them to the core, and the job worker
// here expires sessions and sends refunds. Provider is the seam the tests
// fill with the real stripe-go client pointed at a local fake Stripe.
package payments

import (
	"context"
	"errors"
	"time"
)

// Provider is what groupbook asks of Stripe.
type Provider interface {
	// CreateCheckout opens a Checkout Session (mode payment). The request's
	// IdempotencyKey makes a retried call return the same session.
	CreateCheckout(ctx context.Context, req CheckoutRequest) (*Session, error)
	// ExpireCheckout expires an open session so it can no longer be paid.
	// A session already expired or completed is not an error (ErrGone).
	ExpireCheckout(ctx context.Context, sessionID string) error
	// Refund refunds Amount of a PaymentIntent; IdempotencyKey makes a
	// retried call (after a crash or a timeout) refund once.
	Refund(ctx context.Context, req RefundRequest) (refundID string, err error)
}

// CheckoutRequest is one Checkout Session to open.
type CheckoutRequest struct {
	IdempotencyKey string
	Currency       string // ISO 4217, any case; sent lower case
	Lines          []Line
	SuccessURL     string
	CancelURL      string
	// ExpiresAt is when Stripe expires the session by itself (Stripe
	// accepts 30 minutes to 24 hours from now; our hold is usually shorter
	// and the hold-expiry job expires the session earlier).
	ExpiresAt time.Time
	// ClientReferenceID and Metadata carry our payment id back in the
	// webhook ("groupbook_payment").
	ClientReferenceID string
	Metadata          map[string]string
	Locale            string // Stripe's locale ("auto" when unsupported)
	CustomerEmail     string
}

// Line is one line item: a date of the selection or a pass.
type Line struct {
	Name       string
	UnitAmount int64 // minor units
	Quantity   int64
}

// Session is an opened Checkout Session.
type Session struct {
	ID  string // cs_...
	URL string // where the client pays, top-level
}

// RefundRequest is one refund to send.
type RefundRequest struct {
	IdempotencyKey string
	PaymentIntent  string
	Amount         int64
	Metadata       map[string]string
}

// MetadataPayment is the metadata key holding our online_payments id.
const MetadataPayment = "groupbook_payment"

// ErrGone: the session is already expired or completed.
var ErrGone = errors.New("stripe: session no longer open")

// Temporary tells whether err is worth retrying later: Stripe answered 429
// or 5xx, or could not be reached. Anything else (a 4xx) will fail again.
func Temporary(err error) bool { return temporary(err) }
