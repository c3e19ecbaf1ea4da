package payments

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"groupbook/booking"
)

// WebhookTolerance is how far a webhook's signed timestamp may be from
// now, either way: Stripe's default, which bounds how long a captured
// delivery could be replayed.
const WebhookTolerance = 5 * time.Minute

// ErrBadSignature: the webhook is unsigned, forged, or its signature too
// old; it must change nothing.
var ErrBadSignature = errors.New("stripe webhook: bad signature")

// Checkout Session event types acted on.
const (
	EventCheckoutCompleted      = "checkout.session.completed"
	EventCheckoutAsyncSucceeded = "checkout.session.async_payment_succeeded"
	EventCheckoutExpired        = "checkout.session.expired"
)

// ParseWebhook verifies the Stripe-Signature header of a webhook body with
// the endpoint's secret (tolerance five minutes around now) and returns the
// event as the core needs it. A bad signature is ErrBadSignature; a signed
// body that is not an event is another error (both mean 400).
//
// The endpoint's API version may differ from stripe-go's: only the few
// Checkout Session fields read here matter, and they are the same in
// every version, so the version check is off.
func ParseWebhook(payload []byte, sigHeader, secret string, now time.Time) (*booking.StripeEvent, error) {
	if secret == "" {
		return nil, fmt.Errorf("%w: no webhook secret configured", ErrBadSignature)
	}
	// stripe-go measures the tolerance against the wall clock and only
	// into the past; it is checked here against now (the store's clock),
	// both ways, once the signature proves the timestamp is Stripe's.
	ev, err := webhook.ConstructEventWithOptions(payload, sigHeader, secret, webhook.ConstructEventOptions{
		IgnoreTolerance: true, IgnoreAPIVersionMismatch: true,
	})
	if err != nil {
		if errors.Is(err, webhook.ErrNotSigned) || errors.Is(err, webhook.ErrInvalidHeader) || errors.Is(err, webhook.ErrNoValidSignature) {
			return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
		return nil, fmt.Errorf("stripe webhook: %w", err)
	}
	ts, ok := signedAt(sigHeader)
	if d := now.Sub(ts); !ok || d > WebhookTolerance || d < -WebhookTolerance {
		return nil, fmt.Errorf("%w: signed at %s, %s from now", ErrBadSignature, ts.UTC().Format(time.RFC3339), now.Sub(ts).Round(time.Second))
	}
	if ev.ID == "" || ev.Type == "" {
		return nil, errors.New("stripe webhook: event without id or type")
	}
	out := &booking.StripeEvent{ID: ev.ID, Type: string(ev.Type)}
	if !strings.HasPrefix(out.Type, "checkout.session.") {
		return out, nil
	}
	if ev.Data == nil || len(ev.Data.Raw) == 0 {
		return nil, fmt.Errorf("stripe webhook %s: no data object", ev.ID)
	}
	var cs stripe.CheckoutSession
	if err := json.Unmarshal(ev.Data.Raw, &cs); err != nil {
		return nil, fmt.Errorf("stripe webhook %s: checkout session: %w", ev.ID, err)
	}
	out.SessionID = cs.ID
	if cs.PaymentIntent != nil {
		out.PaymentIntent = cs.PaymentIntent.ID
	}
	out.PaymentStatus = string(cs.PaymentStatus)
	out.AmountTotal = cs.AmountTotal
	out.Currency = strings.ToLower(string(cs.Currency))
	// A session without our metadata (another integration on the same
	// account) keeps PaymentID 0: not ours.
	if id, err := strconv.ParseInt(cs.Metadata[MetadataPayment], 10, 64); err == nil && id > 0 {
		out.PaymentID = id
	}
	return out, nil
}

// signedAt reads the t= of a Stripe-Signature header the way stripe-go
// does (the last one counts).
func signedAt(header string) (time.Time, bool) {
	var ts time.Time
	ok := false
	for _, pair := range strings.Split(header, ",") {
		k, v, found := strings.Cut(pair, "=")
		if !found || k != "t" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		ts, ok = time.Unix(n, 0), true
	}
	return ts, ok
}
