package payments

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"groupbook/booking"
	"groupbook/leasework"
)

// Worker defaults, used for zero fields.
const (
	DefaultBatch       = 10
	DefaultPoll        = 2 * time.Second
	DefaultLease       = 2 * time.Minute
	DefaultMaxAttempts = 12
	DefaultBackoffBase = 30 * time.Second
	DefaultBackoffMax  = 1 * time.Hour
)

// Worker runs the jobs of online payment (booking.Job): releasing holds
// that ran out, expiring superseded Checkout Sessions at Stripe, and
// sending refunds. Every server process runs one; they share the work
// through leases in the database (booking.Store.ClaimJobs), like the SMS
// outbox, and every effect is safe to repeat: a hold is released by a
// conditional update (once), an expired session is gone, and a refund
// carries the same idempotency key on every attempt, so a worker killed
// between Stripe refunding and the row being recorded refunds once.
type Worker struct {
	Store *booking.Store
	// Provider is Stripe; nil when it is not configured, then holds still
	// expire and Stripe's jobs wait (retried, then failed, shown to staff).
	Provider Provider
	// Settings are the lease, batch, timeout and retry settings;
	// CallTimeout bounds one call to Stripe, and with the default backoff
	// the default MaxAttempts span about a day.
	leasework.Settings
	// Now is the clock for retry times; it must be the store's clock,
	// which judges them (default Store.Now).
	Now func() time.Time
}

// defaults fill the worker's zero settings; "pay" in the owner's name
// tells its leases from the SMS worker's.
var defaults = leasework.Defaults{
	OwnerTag: "pay", Batch: DefaultBatch, Poll: DefaultPoll, Lease: DefaultLease, CallTimeout: DefaultCallTimeout,
	MaxAttempts: DefaultMaxAttempts, BackoffBase: DefaultBackoffBase, BackoffMax: DefaultBackoffMax,
}

// withDefaults returns a copy with every zero field set, or an error for a
// setting that would break the guarantees.
func (w *Worker) withDefaults() (*Worker, error) {
	c := *w
	if c.Store == nil {
		return nil, errors.New("payments: worker needs a store")
	}
	var err error
	if c.Settings, err = leasework.WithDefaults(c.Settings, defaults); err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	if c.Now == nil {
		c.Now = c.Store.Now
	}
	return &c, nil
}

// Run handles due jobs until ctx ends, then waits for the jobs in flight
// and records their results before returning.
func (w *Worker) Run(ctx context.Context) error {
	c, err := w.withDefaults()
	if err != nil {
		return err
	}
	c.Log.Info("job worker started", "owner", c.Owner, "stripe", c.Provider != nil)
	if err := c.Store.EnsureCoreJobs(ctx); err != nil {
		// The next start adds it; the rest of the jobs still run.
		c.Log.Error("job worker: adding the recurring jobs failed", "err", err)
	}
	defer c.Log.Info("job worker stopped", "owner", c.Owner)
	leasework.Loop(ctx, &c.Settings, "payment job worker", c.runOnce)
	return nil
}

// RunOnce claims one batch of due jobs and handles them all, returning
// how many it claimed. Tests drive the worker with it.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	c, err := w.withDefaults()
	if err != nil {
		return 0, err
	}
	return c.runOnce(ctx)
}

func (w *Worker) runOnce(ctx context.Context) (int, error) {
	return leasework.RunBatch(ctx, &w.Settings, w.Store.ClaimJobs, w.handle)
}

// result is what became of one job.
type result struct {
	done    bool
	fail    string // given up, with the reason
	retryAt time.Time
	reason  string
	// refundFailed marks a refund entry failed with the reason, before
	// its job is failed.
	refundFailed int64
	// next reschedules a recurring job for its next run.
	next time.Time
}

func (w *Worker) handle(ctx context.Context, j *booking.Job, callBy time.Time) {
	r := w.attempt(ctx, j, callBy)
	// Recorded even while shutting down: a refund Stripe made must be
	// recorded (though its idempotency key makes a second attempt harmless).
	rec, cancel := leasework.RecordContext(ctx)
	defer cancel()
	log := w.Log.With("job_id", j.ID, "kind", j.Kind, "ref_id", j.RefID, "attempt", j.Attempts)
	var err error
	switch {
	case !r.next.IsZero():
		err = w.Store.JobReschedule(rec, j, w.Owner, r.next)
	case r.done:
		err = w.Store.JobDone(rec, j, w.Owner)
		log.Debug("payment job done")
	case r.fail != "":
		if r.refundFailed != 0 {
			if ferr := w.Store.RefundFailed(rec, r.refundFailed, r.fail); ferr != nil {
				// Leave the job to be retried: a refund must never fail
				// silently, and the next attempt marks it again.
				log.Error("payment job: marking the refund failed", "err", ferr)
				return
			}
		}
		err = w.Store.JobFailed(rec, j, w.Owner, r.fail)
		log.Warn("payment job failed", "reason", r.fail)
	default:
		err = w.Store.JobRetry(rec, j, w.Owner, r.retryAt, r.reason)
		log.Info("payment job will be retried", "reason", r.reason, "at", r.retryAt)
	}
	if err != nil {
		// The lease runs out and the job runs again; every job is safe to
		// repeat.
		log.Error("payment job: recording the result failed", "err", err)
	}
}

// attempt runs one job.
func (w *Worker) attempt(ctx context.Context, j *booking.Job, callBy time.Time) result {
	now := w.Now()
	// The core's own jobs (waitlist offers, minimum attendees) need no
	// provider: the store runs them.
	if next, handled, err := w.Store.RunCoreJob(ctx, j); handled {
		switch {
		case !next.IsZero():
			if err != nil {
				w.Log.Error("recurring job failed; it runs again", "kind", j.Kind, "err", err, "next", next)
			}
			return result{next: next}
		case err != nil:
			return w.retry(j, now, fmt.Errorf("%s: %w", j.Kind, err))
		}
		return result{done: true}
	}
	switch j.Kind {
	case booking.JobHoldExpire:
		released, err := w.Store.ExpireHold(ctx, j.RefID)
		switch {
		case errors.Is(err, booking.ErrNotFound):
			return result{done: true}
		case err != nil:
			return w.retry(j, now, fmt.Errorf("expire hold: %w", err))
		}
		if released {
			w.Log.Info("payment hold released", "group_id", j.RefID)
		}
		return result{done: true}
	case booking.JobCheckoutExpire:
		return w.expireCheckout(ctx, j, now, callBy)
	case booking.JobRefund:
		return w.refund(ctx, j, now, callBy)
	}
	return result{fail: "unknown job kind " + strconv.Quote(j.Kind)}
}

// expireCheckout expires a payment's session at Stripe so it can no
// longer be paid; a session that is gone already is as good.
func (w *Worker) expireCheckout(ctx context.Context, j *booking.Job, now, callBy time.Time) result {
	p, err := w.Store.OnlinePaymentByID(ctx, j.RefID)
	switch {
	case errors.Is(err, booking.ErrNotFound):
		return result{done: true}
	case err != nil:
		return w.retry(j, now, fmt.Errorf("read payment: %w", err))
	}
	if p.SessionID == "" {
		// Never opened at Stripe (creation failed or is superseded before
		// Stripe answered): nothing there to expire.
		return result{done: true}
	}
	if w.Provider == nil {
		return w.retry(j, now, errors.New("online payment is not configured (STRIPE_SECRET_KEY)"))
	}
	if time.Now().After(callBy) {
		return result{retryAt: now, reason: "lease too short to call Stripe"}
	}
	cctx, cancel := context.WithTimeout(ctx, w.CallTimeout)
	err = w.Provider.ExpireCheckout(cctx, p.SessionID)
	cancel()
	switch {
	case err == nil, errors.Is(err, ErrGone):
	case ctx.Err() != nil:
		return result{retryAt: now, reason: "worker stopped"}
	case Temporary(err):
		return w.retry(j, now, err)
	default:
		return result{fail: err.Error()}
	}
	rec, cancelRec := leasework.RecordContext(ctx)
	defer cancelRec()
	if err := w.Store.CheckoutExpired(rec, p.ID); err != nil {
		return w.retry(j, now, fmt.Errorf("record expired session: %w", err))
	}
	return result{done: true}
}

// refund sends a pending refund with its idempotency key and records
// Stripe's refund id; a refund that keeps failing is marked failed for
// staff to see and retry.
func (w *Worker) refund(ctx context.Context, j *booking.Job, now, callBy time.Time) result {
	r, err := w.Store.RefundToSendByID(ctx, j.RefID)
	switch {
	case errors.Is(err, booking.ErrNotFound):
		return result{done: true} // recorded already, or not ours to send
	case err != nil:
		return w.retry(j, now, fmt.Errorf("read refund: %w", err))
	}
	if r.Entry.Status != "" && r.Entry.Status != booking.EntryPending {
		return result{done: true}
	}
	if w.Provider == nil {
		res := w.retry(j, now, errors.New("online payment is not configured (STRIPE_SECRET_KEY)"))
		if res.fail != "" {
			res.refundFailed = r.Entry.ID
		}
		return res
	}
	if time.Now().After(callBy) {
		return result{retryAt: now, reason: "lease too short to call Stripe"}
	}
	cctx, cancel := context.WithTimeout(ctx, w.CallTimeout)
	id, err := w.Provider.Refund(cctx, RefundRequest{
		IdempotencyKey: r.IdempotencyKey, PaymentIntent: r.PaymentIntent, Amount: r.Entry.AmountMinor,
		Metadata: map[string]string{
			MetadataPayment:   strconv.FormatInt(r.Entry.OnlinePaymentID, 10),
			"groupbook_entry": strconv.FormatInt(r.Entry.ID, 10),
			"reason":          r.Entry.Reason,
		},
	})
	cancel()
	switch {
	case err == nil:
	case ctx.Err() != nil:
		// Shutting down: the same key makes the next attempt safe whether
		// or not Stripe got this one.
		return result{retryAt: now, reason: "worker stopped"}
	case Temporary(err):
		res := w.retry(j, now, err)
		if res.fail != "" {
			res.refundFailed = r.Entry.ID
		}
		return res
	default:
		return result{fail: err.Error(), refundFailed: r.Entry.ID}
	}
	rec, cancelRec := leasework.RecordContext(ctx)
	defer cancelRec()
	if err := w.Store.RefundSucceeded(rec, r.Entry.ID, id); err != nil {
		// Refunded at Stripe, not recorded: the retry sends the same key
		// and Stripe answers with this same refund.
		return w.retry(j, now, fmt.Errorf("record refund %s: %w", id, err))
	}
	w.Log.Info("refund sent", "entry_id", r.Entry.ID, "refund_id", id, "amount_minor", r.Entry.AmountMinor, "currency", r.Entry.Currency)
	return result{done: true}
}

// retry schedules the next attempt after a passing failure, or gives up
// after MaxAttempts (ClaimJobs counts the attempts).
func (w *Worker) retry(j *booking.Job, now time.Time, err error) result {
	at, giveUp := leasework.Retry(&w.Settings, j.Attempts, now, err)
	if giveUp != "" {
		return result{fail: giveUp}
	}
	return result{retryAt: at, reason: err.Error()}
}
