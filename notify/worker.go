package notify

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"sync"
	"time"

	"groupbook/booking"
	"groupbook/locales"
)

// Worker defaults, used for zero fields.
const (
	DefaultBatch       = 10
	DefaultPoll        = 2 * time.Second
	DefaultLease       = 2 * time.Minute
	DefaultMaxAttempts = 20
	DefaultBackoffBase = 10 * time.Second
	DefaultBackoffMax  = 30 * time.Minute
)

// recordTimeout bounds writing a message's result. It is detached from
// the worker's context: a message Twilio accepted must be marked sent even
// while the server shuts down, or another process would send it again.
const recordTimeout = 10 * time.Second

// Worker sends the outbox. Every server process runs one; they share the
// work through leases in the database (booking.Store.ClaimDue), so the
// number of processes never changes what is sent.
//
// Delivery is at least once: a call whose answer comes after CallTimeout
// (Twilio took the message, we never heard) is retried and the client gets
// the message twice. Twilio's Messages API has no idempotency key, and a
// duplicate beats a booking confirmation never sent.
type Worker struct {
	Store   *booking.Store
	Sender  Sender
	Locales *locales.Bundle
	// BaseURL builds the manage link in the texts.
	BaseURL string
	// StatusCallbackURL is given to the provider for delivery reports;
	// empty when the server is not reachable from outside.
	StatusCallbackURL string
	// Owner names this worker in the leases (default DefaultOwner()).
	Owner string
	// Batch is how many messages one claim takes; they are sent
	// concurrently, so every call of a batch starts right after the claim.
	Batch int
	// Lease is how long a claimed message is this worker's alone. It must
	// exceed CallTimeout comfortably (Run refuses less than twice): if a
	// call outlived the lease, another worker would send the message too.
	Lease time.Duration
	// Poll is the pause between claims when there was nothing to do.
	Poll time.Duration
	// CallTimeout bounds one send.
	CallTimeout time.Duration
	// MaxAttempts is how many passing failures a message gets before it is
	// marked failed. With the default backoff, 20 attempts span hours,
	// which rides out a provider outage.
	MaxAttempts int
	// BackoffBase and BackoffMax shape the wait before attempt n+1: a
	// random time up to min(BackoffMax, BackoffBase·2^(n-1)) ("full
	// jitter"), so workers that failed together do not retry together.
	BackoffBase, BackoffMax time.Duration
	Log                     *slog.Logger
	// Now is the clock for retry times; it must be the store's clock,
	// which judges them (default Store.Now).
	Now func() time.Time

	// lastPrune is when this worker last dropped old rate events.
	lastPrune time.Time
}

// Rate events (the SMS and code limits' counts) older than the longest
// limit window, a day, count for nothing; the worker drops those older
// than twice that every pruneEvery. Every process does it: the delete is
// idempotent and cheap (rate_events is indexed by time).
const (
	pruneEvery     = 10 * time.Minute
	rateEventsKeep = 48 * time.Hour
)

// DefaultOwner names a worker uniquely: host and pid say which process
// holds a lease; the random part keeps two workers of one process (or a
// restarted process reusing a pid) apart.
func DefaultOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	b := make([]byte, 4)
	rand.Read(b)
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b)
}

// withDefaults returns a copy with every zero field set, or an error for a
// setting that would break the guarantees.
func (w *Worker) withDefaults() (*Worker, error) {
	c := *w
	if c.Store == nil || c.Sender == nil || c.Locales == nil {
		return nil, errors.New("notify: worker needs a store, a sender and the locales")
	}
	if c.Owner == "" {
		c.Owner = DefaultOwner()
	}
	if c.Batch <= 0 {
		c.Batch = DefaultBatch
	}
	if c.Poll <= 0 {
		c.Poll = DefaultPoll
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = DefaultCallTimeout
	}
	if c.Lease <= 0 {
		c.Lease = max(DefaultLease, 4*c.CallTimeout)
	}
	if c.Lease < 2*c.CallTimeout {
		return nil, fmt.Errorf("notify: lease %v must be at least twice the call timeout %v, or a slow call could outlive it and its message be sent twice", c.Lease, c.CallTimeout)
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = DefaultBackoffBase
	}
	if c.BackoffMax <= 0 {
		c.BackoffMax = DefaultBackoffMax
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = c.Store.Now
	}
	return &c, nil
}

// Run sends due messages until ctx ends, then waits for the calls in
// flight and records their results before returning.
func (w *Worker) Run(ctx context.Context) error {
	c, err := w.withDefaults()
	if err != nil {
		return err
	}
	c.Log.Info("SMS worker started", "owner", c.Owner, "batch", c.Batch, "lease", c.Lease.String(), "call_timeout", c.CallTimeout.String())
	defer c.Log.Info("SMS worker stopped", "owner", c.Owner)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		n, err := c.runOnce(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			c.Log.Error("SMS worker: claim failed", "err", err)
			t.Reset(c.Poll)
		case n == c.Batch:
			// A full batch: more are probably due.
			t.Reset(0)
		default:
			t.Reset(c.Poll)
		}
	}
}

// RunOnce claims one batch of due messages and handles them all, returning
// how many it claimed. Tests drive the worker with it.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	c, err := w.withDefaults()
	if err != nil {
		return 0, err
	}
	return c.runOnce(ctx)
}

func (w *Worker) runOnce(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if time.Since(w.lastPrune) >= pruneEvery {
		if err := w.Store.PruneRateEvents(ctx, rateEventsKeep); err != nil {
			w.Log.Warn("SMS worker: pruning rate events failed", "err", err)
		}
		w.lastPrune = time.Now()
	}
	// Nothing may be sent once the lease is too short for a whole call,
	// measured on the monotonic clock from before the claim was asked for:
	// the lease's end is fixed when the claim is built, and the statement
	// may then wait for the database (SQLite's write lock) for a good part
	// of it. Timing from the claim's return would let a call outlive the
	// lease, and another worker send the message again.
	claimed := time.Now()
	msgs, err := w.Store.ClaimDue(ctx, w.Owner, w.Batch, w.Lease)
	if err != nil {
		return 0, err
	}
	sendBy := claimed.Add(w.Lease - w.CallTimeout - w.CallTimeout/2)
	settings := &settingsCache{store: w.Store, m: map[int64]*booking.SMSSettings{}, allowed: map[int64][]string{}}
	var wg sync.WaitGroup
	for i := range msgs {
		wg.Go(func() { w.handle(ctx, &msgs[i], settings, sendBy) })
	}
	wg.Wait()
	return len(msgs), nil
}

// settingsCache loads each location's SMS settings once per batch.
type settingsCache struct {
	store *booking.Store
	mu    sync.Mutex
	m     map[int64]*booking.SMSSettings
	// allowed caches each location's SMS countries.
	allowed map[int64][]string
}

func (s *settingsCache) get(ctx context.Context, locationID int64) (*booking.SMSSettings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.m[locationID]; ok {
		return st, nil
	}
	st, err := s.store.SMSSettings(ctx, locationID)
	if err != nil {
		return nil, err
	}
	s.m[locationID] = st
	return st, nil
}

// countries returns the countries a location's SMS may go to.
func (s *settingsCache) countries(ctx context.Context, locationID int64) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.allowed[locationID]; ok {
		return c, nil
	}
	c, err := s.store.SMSAllowedCountries(ctx, locationID)
	if err != nil {
		return nil, err
	}
	s.allowed[locationID] = c
	return c, nil
}

// outcome is what became of one message.
type outcome struct {
	sid      string // sent
	skip     string // skipped, with the reason
	suppress string // suppressed by rule, with the reason
	fail     string // failed for good, with the reason
	retryAt  time.Time
	reason   string // why a retry
}

func (w *Worker) handle(ctx context.Context, m *booking.OutboxMessage, settings *settingsCache, sendBy time.Time) {
	o := w.attempt(ctx, m, settings, sendBy)
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	log := w.Log.With("outbox_id", m.ID, "kind", m.Kind, "attempt", m.Attempts)
	var err error
	switch {
	case o.sid != "":
		err = w.Store.MarkSent(rec, m, w.Owner, o.sid)
		log.Debug("SMS sent", "sid", o.sid)
	case o.skip != "":
		err = w.Store.MarkSkipped(rec, m, w.Owner, o.skip)
		log.Info("SMS skipped", "reason", o.skip)
	case o.suppress != "":
		err = w.Store.MarkSuppressed(rec, m, w.Owner, o.suppress)
		log.Info("SMS suppressed", "reason", o.suppress)
	case o.fail != "":
		err = w.Store.MarkFailed(rec, m, w.Owner, o.fail)
		log.Warn("SMS failed", "reason", o.fail)
	default:
		err = w.Store.MarkRetry(rec, m, w.Owner, o.retryAt, o.reason)
		log.Info("SMS will be retried", "reason", o.reason, "at", o.retryAt)
	}
	if err != nil {
		// The lease runs out and the message is tried again: a message
		// that was sent may then go out twice, which beats losing one.
		log.Error("SMS: recording the result failed", "err", err)
	}
}

// attempt decides and, when it should, sends one message.
func (w *Worker) attempt(ctx context.Context, m *booking.OutboxMessage, settings *settingsCache, sendBy time.Time) outcome {
	now := w.Now()
	st, err := settings.get(ctx, m.LocationID)
	if err != nil {
		return w.retry(m, now, fmt.Errorf("sms settings: %w", err))
	}
	if !st.Enabled {
		// Staff turned SMS off after the message was queued; they expect
		// no more messages from now on.
		return outcome{skip: "SMS turned off for the location"}
	}
	// The countries may have narrowed since the message was queued (a
	// reminder waits for days): none goes to a country no longer allowed.
	countries, err := settings.countries(ctx, m.LocationID)
	if err != nil {
		return w.retry(m, now, fmt.Errorf("sms countries: %w", err))
	}
	if !booking.PhoneInCountries(countries, m.Phone) {
		return outcome{suppress: "country:" + cmp.Or(booking.PhoneCountry(m.Phone), "?")}
	}
	if m.Kind == booking.SMSReminder {
		if skip, err := w.staleReminder(ctx, m, now); err != nil {
			return w.retry(m, now, err)
		} else if skip != "" {
			return outcome{skip: skip}
		}
	}
	body, err := Render(w.Locales, w.BaseURL, m)
	if err != nil {
		return outcome{fail: "render: " + err.Error()}
	}
	if time.Now().After(sendBy) {
		// The lease is nearly over (the database was slow): another worker
		// may claim the message while our call runs. Let it go instead.
		return outcome{retryAt: now, reason: "lease too short to send"}
	}
	sctx, cancel := context.WithTimeout(ctx, w.CallTimeout)
	defer cancel()
	sid, err := w.Sender.Send(sctx, Message{To: m.Phone, Body: body, From: st.Sender, StatusCallback: w.StatusCallbackURL})
	switch {
	case err == nil:
		return outcome{sid: sid}
	case IsPermanent(err):
		return outcome{fail: err.Error()}
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		// Shutting down before the call was made: nothing went out, so
		// the message is free for any worker at once.
		return outcome{retryAt: now, reason: "worker stopped before sending"}
	}
	return w.retry(m, now, err)
}

// staleReminder says why a reminder should not go out any more: its
// booking was cancelled or its event deleted (the booking core skips most
// of those itself, this catches the rest), or the event has begun.
func (w *Worker) staleReminder(ctx context.Context, m *booking.OutboxMessage, now time.Time) (string, error) {
	active, err := w.Store.BookingActive(ctx, m.BookingID)
	if err != nil {
		return "", err
	}
	if !active {
		return "booking no longer active", nil
	}
	p, err := m.DecodePayload()
	if err != nil {
		return "", nil // Render reports it as a failure
	}
	if len(p.Items) > 0 && !p.Items[0].Start.After(now) {
		return "event already started", nil
	}
	return "", nil
}

// retry schedules the next attempt after a passing failure, or gives up
// after MaxAttempts.
func (w *Worker) retry(m *booking.OutboxMessage, now time.Time, err error) outcome {
	if m.Attempts >= w.MaxAttempts {
		return outcome{fail: fmt.Sprintf("gave up after %d attempts: %v", m.Attempts, err)}
	}
	return outcome{retryAt: now.Add(w.backoff(m.Attempts)), reason: err.Error()}
}

// backoff is the wait after the attempt-th failure: full jitter over an
// exponential ceiling.
func (w *Worker) backoff(attempt int) time.Duration {
	ceiling := w.BackoffMax
	if attempt >= 1 && attempt < 40 {
		if d := w.BackoffBase << (attempt - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	if ceiling <= 0 {
		return 0
	}
	return mrand.N(ceiling)
}
