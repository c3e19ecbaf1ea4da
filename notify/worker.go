package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"groupbook/booking"
	"groupbook/leasework"
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
	// Mailer sends the e-mail rows (mail*.go); nil leaves them waiting.
	Mailer Mailer
	// MailDomain ends each e-mail's Message-ID ("<outbox-42@domain>");
	// default the base URL's host.
	MailDomain string
	// BaseURL builds the manage link in the texts.
	BaseURL string
	// StatusCallbackURL is given to the provider for delivery reports;
	// empty when the server is not reachable from outside.
	StatusCallbackURL string
	// Settings are the lease, batch, timeout and retry settings; the
	// worker's Owner defaults to DefaultOwner(), CallTimeout bounds one
	// send, and with the default backoff the default MaxAttempts span
	// hours, which rides out a provider outage.
	leasework.Settings
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
func DefaultOwner() string { return leasework.Owner("") }

// defaults fill the worker's zero settings.
var defaults = leasework.Defaults{
	Batch: DefaultBatch, Poll: DefaultPoll, Lease: DefaultLease, CallTimeout: DefaultCallTimeout,
	MaxAttempts: DefaultMaxAttempts, BackoffBase: DefaultBackoffBase, BackoffMax: DefaultBackoffMax,
}

// withDefaults returns a copy with every zero field set, or an error for a
// setting that would break the guarantees.
func (w *Worker) withDefaults() (*Worker, error) {
	c := *w
	if c.Store == nil || c.Sender == nil || c.Locales == nil {
		return nil, errors.New("notify: worker needs a store, a sender and the locales")
	}
	var err error
	if c.Settings, err = leasework.WithDefaults(c.Settings, defaults); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if c.Now == nil {
		c.Now = c.Store.Now
	}
	if c.MailDomain == "" {
		c.MailDomain = calendarHost(c.BaseURL)
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
	leasework.Loop(ctx, &c.Settings, "SMS worker", c.runOnce)
	return nil
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
	settings := &settingsCache{store: w.Store, m: map[int64]*booking.SMSSettings{}, allowed: map[int64][]string{}, locs: map[int64]*booking.Location{}}
	return leasework.RunBatch(ctx, &w.Settings, w.Store.ClaimDue, func(ctx context.Context, m *booking.OutboxMessage, sendBy time.Time) {
		w.handle(ctx, m, settings, sendBy)
	})
}

// settingsCache loads each location's SMS settings once per batch.
type settingsCache struct {
	store *booking.Store
	mu    sync.Mutex
	m     map[int64]*booking.SMSSettings
	// allowed caches each location's SMS countries.
	allowed map[int64][]string
	// locs caches each location (its message channel, staff e-mails).
	locs map[int64]*booking.Location
}

// location returns a location's row, read once per batch.
func (s *settingsCache) location(ctx context.Context, locationID int64) (*booking.Location, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.locs[locationID]; ok {
		return l, nil
	}
	l, err := s.store.Location(ctx, locationID)
	if err != nil {
		return nil, err
	}
	s.locs[locationID] = l
	return l, nil
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
	// Recorded even while shutting down: a message Twilio accepted must be
	// marked sent, or another process would send it again.
	rec, cancel := leasework.RecordContext(ctx)
	defer cancel()
	log := w.Log.With("outbox_id", m.ID, "kind", m.Kind, "channel", m.Channel, "attempt", m.Attempts)
	what := "SMS"
	if m.Channel == booking.ChannelEmail {
		what = "e-mail"
	}
	var err error
	switch {
	case o.sid != "":
		err = w.Store.MarkSent(rec, m, w.Owner, o.sid)
		log.Debug(what+" sent", "sid", o.sid)
	case o.skip != "":
		err = w.Store.MarkSkipped(rec, m, w.Owner, o.skip)
		log.Info(what+" skipped", "reason", o.skip)
	case o.suppress != "":
		err = w.Store.MarkSuppressed(rec, m, w.Owner, o.suppress)
		log.Info(what+" suppressed", "reason", o.suppress)
	case o.fail != "":
		err = w.Store.MarkFailed(rec, m, w.Owner, o.fail)
		log.Warn(what+" failed", "reason", o.fail)
	default:
		err = w.Store.MarkRetry(rec, m, w.Owner, o.retryAt, o.reason)
		log.Info(what+" will be retried", "reason", o.reason, "at", o.retryAt)
	}
	if err != nil {
		// The lease runs out and the message is tried again: a message
		// that was sent may then go out twice, which beats losing one.
		log.Error(what+": recording the result failed", "err", err)
	}
}

// attempt decides and, when it should, sends one message by its channel.
func (w *Worker) attempt(ctx context.Context, m *booking.OutboxMessage, settings *settingsCache, sendBy time.Time) outcome {
	if m.Channel == booking.ChannelEmail {
		return w.attemptEmail(ctx, m, settings, sendBy)
	}
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
	var opt RenderOptions
	if m.Kind == booking.MsgWaitlistOffer {
		loc, err := settings.location(ctx, m.LocationID)
		if err != nil {
			return w.retry(m, now, fmt.Errorf("location: %w", err))
		}
		opt.FirstClaim = loc.WaitlistMode == booking.WaitlistFirstClaim
	}
	body, err := Render(w.Locales, w.BaseURL, m, opt)
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
	at, giveUp := leasework.Retry(&w.Settings, m.Attempts, now, err)
	if giveUp != "" {
		return outcome{fail: giveUp}
	}
	return outcome{retryAt: at, reason: err.Error()}
}
