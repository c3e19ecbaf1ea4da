package payments

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"
)

// Config is the Stripe account: both keys or none (cmd/groupbook checks).
type Config struct {
	SecretKey     string // sk_live_... / sk_test_... / rk_...
	WebhookSecret string // whsec_...
	// APIURL replaces https://api.stripe.com (a local fake in tests,
	// stripe-mock or a proxy); empty for Stripe itself.
	APIURL     string
	HTTPClient *http.Client
	// Timeout bounds one call when HTTPClient is nil (default
	// DefaultCallTimeout); the caller's context may end it sooner.
	Timeout time.Duration
}

// DefaultCallTimeout bounds one call to Stripe. stripe-go's own default
// is 80 s, far longer than a widget request may take.
const DefaultCallTimeout = 20 * time.Second

// Stripe is the Provider over the official stripe-go client.
type Stripe struct {
	sc *stripe.Client
}

// NewStripe returns the Provider over stripe-go.
//
// stripe-go's own retries are off (MaxNetworkRetries 0): it sleeps
// between them with time.Sleep, deaf to the request's context, which
// would hold a widget request (whose client would rather see "try again"
// and get its seats released) and a worker's lease. Retries belong to the
// job worker instead, with backoff across restarts and processes, and the
// same idempotency key on every attempt.
func NewStripe(cfg Config) *Stripe {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: cmp.Or(cfg.Timeout, DefaultCallTimeout)}
	}
	// stripe-go gives a non-JSON error body (a proxy's 502 page) as a
	// plain error without its status; statusTransport keeps the status
	// so Temporary can judge it.
	c := *hc
	c.Transport = statusTransport{next: cmp.Or[http.RoundTripper](hc.Transport, http.DefaultTransport)}
	bc := &stripe.BackendConfig{
		HTTPClient:        &c,
		MaxNetworkRetries: stripe.Int64(0),
		// Our callers log what failed, wrapped with context; stripe-go's
		// logger would write plain lines beside our JSON logs.
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
	}
	if cfg.APIURL != "" {
		bc.URL = stripe.String(strings.TrimRight(cfg.APIURL, "/"))
	}
	backends := &stripe.Backends{
		API:         stripe.GetBackendWithConfig(stripe.APIBackend, bc),
		Connect:     stripe.GetBackendWithConfig(stripe.ConnectBackend, bc),
		Uploads:     stripe.GetBackendWithConfig(stripe.UploadsBackend, bc),
		MeterEvents: stripe.GetBackendWithConfig(stripe.MeterEventsBackend, bc),
	}
	return &Stripe{sc: stripe.NewClient(cfg.SecretKey, stripe.WithBackends(backends))}
}

// CreateCheckout opens a hosted Checkout Session in payment mode with
// one price_data line per Line.
func (s *Stripe) CreateCheckout(ctx context.Context, req CheckoutRequest) (*Session, error) {
	if req.IdempotencyKey == "" {
		return nil, errors.New("stripe checkout: no idempotency key")
	}
	if len(req.Lines) == 0 {
		return nil, errors.New("stripe checkout: no lines")
	}
	cur := strings.ToLower(req.Currency)
	p := &stripe.CheckoutSessionCreateParams{
		Mode:       stripe.String(string(stripe.CheckoutSessionModePayment)),
		SuccessURL: stripe.String(req.SuccessURL),
		Metadata:   req.Metadata,
	}
	if req.CancelURL != "" {
		p.CancelURL = stripe.String(req.CancelURL)
	}
	for _, l := range req.Lines {
		p.LineItems = append(p.LineItems, &stripe.CheckoutSessionCreateLineItemParams{
			Quantity: stripe.Int64(l.Quantity),
			PriceData: &stripe.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    stripe.String(cur),
				UnitAmount:  stripe.Int64(l.UnitAmount),
				ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripe.String(l.Name)},
			},
		})
	}
	if !req.ExpiresAt.IsZero() {
		p.ExpiresAt = stripe.Int64(req.ExpiresAt.Unix())
	}
	if req.ClientReferenceID != "" {
		p.ClientReferenceID = stripe.String(req.ClientReferenceID)
	}
	if req.Locale != "" {
		p.Locale = stripe.String(req.Locale)
	}
	if req.CustomerEmail != "" {
		p.CustomerEmail = stripe.String(req.CustomerEmail)
	}
	if len(req.Metadata) > 0 {
		// The PaymentIntent carries our ids too, so a payment found in
		// the Stripe dashboard leads back to its booking.
		p.PaymentIntentData = &stripe.CheckoutSessionCreatePaymentIntentDataParams{Metadata: req.Metadata}
	}
	p.IdempotencyKey = stripe.String(req.IdempotencyKey)
	cs, err := s.sc.V1CheckoutSessions.Create(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("stripe checkout: %w", err)
	}
	if cs.ID == "" || cs.URL == "" {
		return nil, errors.New("stripe checkout: the answer has no session id or url")
	}
	return &Session{ID: cs.ID, URL: cs.URL}, nil
}

// ExpireCheckout expires an open session. Stripe refuses to expire a
// session that is not open with a plain invalid_request_error, so the
// session is read back to tell "gone" from a real error.
func (s *Stripe) ExpireCheckout(ctx context.Context, sessionID string) error {
	_, err := s.sc.V1CheckoutSessions.Expire(ctx, sessionID, nil)
	if err == nil {
		return nil
	}
	var se *stripe.Error
	if !errors.As(err, &se) || Temporary(err) {
		return fmt.Errorf("stripe expire %s: %w", sessionID, err)
	}
	if se.HTTPStatusCode == http.StatusNotFound {
		// Nothing by that id can be paid.
		return fmt.Errorf("stripe expire %s: %w: %w", sessionID, ErrGone, err)
	}
	cs, gerr := s.sc.V1CheckoutSessions.Retrieve(ctx, sessionID, nil)
	if gerr != nil {
		// Whether to retry is the read's question now: wrap it first.
		return fmt.Errorf("stripe expire %s: reading it back: %w (the expiry answered: %v)", sessionID, gerr, err)
	}
	if cs.Status != stripe.CheckoutSessionStatusOpen {
		return fmt.Errorf("stripe expire %s: %w (status %s)", sessionID, ErrGone, cs.Status)
	}
	return fmt.Errorf("stripe expire %s: %w", sessionID, err)
}

// Refund refunds part or all of a PaymentIntent. A refund Stripe creates
// may still be pending at the bank; it is recorded by its id, and a later
// failure there shows in the Stripe dashboard.
func (s *Stripe) Refund(ctx context.Context, req RefundRequest) (string, error) {
	if req.IdempotencyKey == "" {
		return "", errors.New("stripe refund: no idempotency key")
	}
	p := &stripe.RefundCreateParams{
		PaymentIntent: stripe.String(req.PaymentIntent),
		Amount:        stripe.Int64(req.Amount),
		Metadata:      req.Metadata,
	}
	p.IdempotencyKey = stripe.String(req.IdempotencyKey)
	r, err := s.sc.V1Refunds.Create(ctx, p)
	if err != nil {
		return "", fmt.Errorf("stripe refund: %w", err)
	}
	if r.ID == "" {
		return "", errors.New("stripe refund: the answer has no id")
	}
	return r.ID, nil
}

// checkoutLocales are the languages Stripe Checkout speaks among ours.
var checkoutLocales = map[string]bool{"en": true, "hu": true, "pt": true, "ru": true}

// CheckoutLocale is Stripe Checkout's locale for one of our languages:
// Checkout has no Ukrainian, and "auto" lets it follow the browser.
func CheckoutLocale(lang string) string {
	if checkoutLocales[lang] {
		return lang
	}
	return "auto"
}
