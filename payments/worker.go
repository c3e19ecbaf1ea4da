package payments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"sync"
	"time"

	"groupbook/booking"
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

// recordTimeout bounds writing a job's result. It is detached from the
// worker's context: a refund Stripe made must be recorded even while the
// server shuts down (though the idempotency key makes a second attempt
// harmless anyway).
const recordTimeout = 10 * time.Second

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
	// Owner names this worker in the leases (default: host, pid, random).
	Owner string
	// Batch is how many jobs one claim takes; they run concurrently.
	Batch int
	// Lease is how long a claimed job is this worker's alone; it must be
	// at least twice CallTimeout (Run refuses less).
	Lease time.Duration
	// Poll is the pause between claims when there was nothing to do.
	Poll time.Duration
	// CallTimeout bounds one call to Stripe.
	CallTimeout time.Duration
	// MaxAttempts is how many passing failures a job gets before it is
	// failed. With the default backoff, 12 attempts span about a day.
	MaxAttempts int
	// BackoffBase and BackoffMax shape the wait before attempt n+1: a
	// random time up to min(BackoffMax, BackoffBase·2^(n-1)) ("full
	// jitter"), so jobs that failed together (Stripe down) do not retry
	// together.
	BackoffBase, BackoffMax time.Duration
	Log                     *slog.Logger
	// Now is the clock for retry times; it must be the store's clock,
	// which judges them (default Store.Now).
	Now func() time.Time
}

// defaultOwner names a worker uniquely: host and pid say which process
// holds a lease; the random part keeps two workers of a process apart.
func defaultOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	return fmt.Sprintf("%s-%d-pay-%08x", host, os.Getpid(), mrand.Uint32())
}

func (w *Worker) withDefaults() (*Worker, error) {
	c := *w
	if c.Store == nil {
		return nil, errors.New("payments: worker needs a store")
	}
	if c.Owner == "" {
		c.Owner = defaultOwner()
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
		return nil, fmt.Errorf("payments: lease %v must be at least twice the call timeout %v", c.Lease, c.CallTimeout)
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

// Run handles due jobs until ctx ends, then waits for the jobs in flight
// and records their results before returning.
func (w *Worker) Run(ctx context.Context) error {
	c, err := w.withDefaults()
	if err != nil {
		return err
	}
	c.Log.Info("payment job worker started", "owner", c.Owner, "stripe", c.Provider != nil)
	defer c.Log.Info("payment job worker stopped", "owner", c.Owner)
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
			c.Log.Error("payment job worker: claim failed", "err", err)
			t.Reset(c.Poll)
		case n == c.Batch:
			t.Reset(0)
		default:
			t.Reset(c.Poll)
		}
	}
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
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	// As in the SMS worker: no call may start once the lease, counted
	// from before the claim was asked for, is too short for a whole call.
	claimed := time.Now()
	jobs, err := w.Store.ClaimJobs(ctx, w.Owner, w.Batch, w.Lease)
	if err != nil {
		return 0, err
	}
	callBy := claimed.Add(w.Lease - w.CallTimeout - w.CallTimeout/2)
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Go(func() { w.handle(ctx, &jobs[i], callBy) })
	}
	wg.Wait()
	return len(jobs), nil
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
}

func (w *Worker) handle(ctx context.Context, j *booking.Job, callBy time.Time) {
	r := w.attempt(ctx, j, callBy)
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	log := w.Log.With("job_id", j.ID, "kind", j.Kind, "ref_id", j.RefID, "attempt", j.Attempts)
	var err error
	switch {
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
	rec, cancelRec := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
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
	rec, cancelRec := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
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
	if j.Attempts >= w.MaxAttempts {
		return result{fail: fmt.Sprintf("gave up after %d attempts: %v", j.Attempts, err)}
	}
	return result{retryAt: now.Add(w.backoff(j.Attempts)), reason: err.Error()}
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
