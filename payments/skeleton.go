package payments

// Skeleton of the Stripe side, replaced by stripe.go, webhook.go and
// errors.go.

import (
	"errors"
	"net/http"
	"time"

	"groupbook/booking"
)

// Config is the Stripe account: both keys or none (cmd/groupbook checks).
type Config struct {
	SecretKey     string // sk_live_... / sk_test_... / rk_...
	WebhookSecret string // whsec_...
	// APIURL replaces https://api.stripe.com (a local fake in tests,
	// stripe-mock or a proxy); empty for Stripe itself.
	APIURL     string
	HTTPClient *http.Client
}

// NewStripe returns the Provider over stripe-go.
func NewStripe(cfg Config) Provider { panic("payments: skeleton") }

// ParseWebhook verifies the Stripe-Signature header of a webhook body with
// the endpoint's secret (tolerance five minutes around now) and returns the
// event as the core needs it.
func ParseWebhook(payload []byte, sigHeader, secret string, now time.Time) (*booking.StripeEvent, error) {
	return nil, errors.New("payments: skeleton")
}

func temporary(err error) bool { return false }
