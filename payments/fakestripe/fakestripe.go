// Package fakestripe is a local Stripe for tests: the subset of the API
// groupbook uses (Checkout Sessions, their expiry, refunds), the hosted
// Checkout page where a test "pays", and webhook deliveries signed like
// Stripe's and retried like Stripe's. The real stripe-go client talks to
// it through payments.Config.APIURL. It is a normal package, not a _test
// file, because handler, browser and command tests all use it.
//
//	f := fakestripe.New(fakestripe.Options{WebhookURL: srv.URL + "/hooks/stripe", Now: store.Now})
//	defer f.Close()
//	p := payments.NewStripe(payments.Config{SecretKey: f.SecretKey(), APIURL: f.URL()})
//	// ... the code under test opens a session; the client pays:
//	ev, _ := f.Pay(sessionID) // or POST the session's URL, as a browser would
//	f.Wait(ctx, func() bool { return f.Delivered(ev.ID) })
//
// Faults: f.Fail("/v1/refunds", 2, fakestripe.Fault429) makes the next two
// refund calls answer 429. Events for tests to post themselves:
// f.EventPayload(id, type, session) and f.Sign(payload).
package fakestripe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Test credentials in Stripe's shapes.
const (
	TestSecretKey     = "sk_test_groupbookfake0123456789"
	TestWebhookSecret = "whsec_groupbookfake0123456789"
)

// Options configure a Server; zero values are sensible for tests.
type Options struct {
	// SecretKey is the API key the server accepts (default TestSecretKey).
	SecretKey string
	// WebhookSecret signs deliveries (default TestWebhookSecret).
	WebhookSecret string
	// WebhookURL receives the events; empty: events are recorded, not
	// delivered (SetWebhookURL sets it later).
	WebhookURL string
	// RetryFirst and RetryMax shape the delivery retries: the wait after
	// failed attempt n is min(RetryMax, RetryFirst·2^(n-1)). Stripe waits
	// hours; tests want milliseconds (defaults 20 ms and 500 ms).
	RetryFirst, RetryMax time.Duration
	// MaxAttempts per delivery (default 0: until it succeeds or the
	// server closes, so a restarted process always gets it).
	MaxAttempts int
	// SlowDelay is how long a FaultSlow answer waits (default 3 s).
	SlowDelay time.Duration
	// Now is the clock for expires_at checks and event times (default
	// time.Now).
	Now func() time.Time
	// DeliveryTimeout bounds one delivery attempt (default 10 s).
	DeliveryTimeout time.Duration
}

// Server is the fake Stripe.
type Server struct {
	opt  Options
	srv  *httptest.Server
	http *http.Client
	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu         sync.Mutex
	webhookURL string
	seq        int
	requests   []Request
	sessions   map[string]*Session
	order      []string          // session ids in creation order
	replies    map[string]replay // by idempotency key
	refunds    []Refund
	events     []Event
	deliveries []Delivery
	faults     map[string][]Fault
	notify     chan struct{} // closed and replaced on every change
}

// replay is a recorded answer to an idempotent request.
type replay struct {
	path   string
	status int
	body   []byte
}

// Request is one API request the fake received.
type Request struct {
	Method, Path   string
	IdempotencyKey string
	Form           url.Values
	Auth           string
}

// Line is a session's line item as it was posted.
type Line struct {
	Name       string
	UnitAmount int64
	Quantity   int64
	Currency   string
}

// Session is a Checkout Session.
type Session struct {
	ID                string
	URL               string
	Status            string // open, complete, expired
	PaymentStatus     string // unpaid, paid
	Currency          string
	AmountTotal       int64
	Lines             []Line
	Metadata          map[string]string
	PaymentMetadata   map[string]string
	ClientReferenceID string
	SuccessURL        string
	CancelURL         string
	ExpiresAt         int64
	Locale            string
	CustomerEmail     string
	Mode              string
	PaymentIntent     string // set once paid
	IdempotencyKey    string
	Refunded          int64
}

// Refund is one refund the fake made.
type Refund struct {
	ID             string
	PaymentIntent  string
	Amount         int64
	Currency       string
	IdempotencyKey string
	Metadata       map[string]string
}

// Event is one event the fake generated.
type Event struct {
	ID      string
	Type    string
	Session string
	Payload []byte
}

// Delivery is one delivery attempt of an event.
type Delivery struct {
	EventID string
	Attempt int
	Status  int // 0: no answer (Err says why)
	Err     string
	Started time.Time
	Done    bool // false while the attempt is in flight
}

// Fault is how the fake answers one API request instead of normally.
type Fault int

// Faults.
const (
	// Fault429: Stripe's rate limit error, nothing done.
	Fault429 Fault = iota + 1
	// Fault500: Stripe's api_error, nothing done.
	Fault500
	// Fault502HTML: a proxy's HTML error page, nothing done.
	Fault502HTML
	// FaultSlow: the request is carried out, then the answer waits
	// SlowDelay (the client gives up first and must retry with the same
	// idempotency key).
	FaultSlow
	// FaultDrop: the request is carried out, then the connection closes
	// without an answer (a crash between Stripe acting and us hearing).
	FaultDrop
	// FaultInvalid: a 400 invalid_request_error, nothing done (a request
	// Stripe refuses for good).
	FaultInvalid
	// FaultHang: nothing done, the answer waits SlowDelay (Stripe down
	// behind a load balancer that holds connections).
	FaultHang
)

// New starts a fake Stripe; Close stops it.
func New(opt Options) *Server {
	if opt.SecretKey == "" {
		opt.SecretKey = TestSecretKey
	}
	if opt.WebhookSecret == "" {
		opt.WebhookSecret = TestWebhookSecret
	}
	if opt.RetryFirst <= 0 {
		opt.RetryFirst = 20 * time.Millisecond
	}
	if opt.RetryMax <= 0 {
		opt.RetryMax = 500 * time.Millisecond
	}
	if opt.SlowDelay <= 0 {
		opt.SlowDelay = 3 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.DeliveryTimeout <= 0 {
		opt.DeliveryTimeout = 10 * time.Second
	}
	s := &Server{
		opt: opt, webhookURL: opt.WebhookURL,
		sessions: map[string]*Session{}, replies: map[string]replay{},
		faults: map[string][]Fault{}, notify: make(chan struct{}),
		http: &http.Client{Timeout: opt.DeliveryTimeout},
	}
	s.ctx, s.stop = context.WithCancel(context.Background())
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the fake's base URL: payments.Config.APIURL.
func (s *Server) URL() string { return s.srv.URL }

// SecretKey and WebhookSecret are the credentials the fake uses.
func (s *Server) SecretKey() string     { return s.opt.SecretKey }
func (s *Server) WebhookSecret() string { return s.opt.WebhookSecret }

// Close stops deliveries and the server.
func (s *Server) Close() {
	s.stop()
	s.srv.CloseClientConnections()
	s.srv.Close()
	s.wg.Wait()
}

// SetWebhookURL sets where events go from now on (pending retries too).
func (s *Server) SetWebhookURL(u string) {
	s.mu.Lock()
	s.webhookURL = u
	s.mu.Unlock()
}

// Fail makes the next n API requests to path (e.g. "/v1/refunds" or
// "/v1/checkout/sessions") answer with f.
func (s *Server) Fail(path string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[path] = append(s.faults[path], f)
	}
}

// ClearFaults drops every fault not yet used.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]Fault{}
}

// changed wakes every waiter; s.mu is held.
func (s *Server) changed() {
	close(s.notify)
	s.notify = make(chan struct{})
}

// Wait polls cond (called with nothing locked) until it holds or ctx
// ends; it wakes on every change in the fake.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.notify
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Requests returns the API requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Sessions returns copies of every session, in creation order.
func (s *Server) Sessions() []Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Session, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.sessions[id].copy())
	}
	return out
}

// Session returns a copy of one session.
func (s *Server) Session(id string) (Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.sessions[id]
	if !ok {
		return Session{}, false
	}
	return cs.copy(), true
}

func (cs *Session) copy() Session {
	c := *cs
	c.Lines = append([]Line(nil), cs.Lines...)
	return c
}

// Refunds returns the refunds made so far.
func (s *Server) Refunds() []Refund {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Refund(nil), s.refunds...)
}

// Events returns the events generated so far.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}

// Deliveries returns every delivery attempt so far.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// Delivered tells whether the event got a 2xx answer.
func (s *Server) Delivered(eventID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.deliveries {
		if d.EventID == eventID && d.Done && d.Status >= 200 && d.Status < 300 {
			return true
		}
	}
	return false
}

// InFlight tells whether an attempt to deliver the event has started
// and not yet been answered.
func (s *Server) InFlight(eventID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.deliveries {
		if d.EventID == eventID && !d.Done {
			return true
		}
	}
	return false
}

// nextID returns a new id with Stripe's prefix; s.mu is held.
func (s *Server) nextID(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s_test_%06d", prefix, s.seq)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/v1/"):
		s.api(w, r)
	case strings.HasPrefix(r.URL.Path, "/pay/"):
		s.checkoutPage(w, r)
	default:
		http.NotFound(w, r)
	}
}

// post delivers one attempt; it returns the status (0 with an error when
// there was no answer).
func (s *Server) post(ctx context.Context, u string, payload []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(payload))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
	req.Header.Set("Stripe-Signature", webhookHeader(payload, s.opt.WebhookSecret, s.opt.Now()))
	resp, err := s.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) []byte {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", "req_fake")
	w.WriteHeader(status)
	w.Write(b)
	return b
}
