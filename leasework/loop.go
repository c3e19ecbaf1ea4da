package leasework

import (
	"context"
	"sync"
	"time"
)

// RecordTimeout bounds writing one result (see RecordContext).
const RecordTimeout = 10 * time.Second

// RecordContext is the context to record a result in. It is detached from
// the worker's ctx: work done outside (a message the provider took, a
// refund made) must be recorded even while the server shuts down, or
// another worker would do it again once the lease runs out.
func RecordContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), RecordTimeout)
}

// Claim leases up to limit due rows to owner for lease, as
// booking.Store.ClaimDue and ClaimJobs do.
type Claim[T any] func(ctx context.Context, owner string, limit int, lease time.Duration) ([]T, error)

// RunBatch claims one batch and handles its rows concurrently, so that every
// call of the batch starts right after the claim; it returns how many it
// claimed once all are handled.
//
// Each handle gets callBy, the time after which it must start no call:
// the lease less one and a half calls, measured on the monotonic clock
// from before the claim was asked for. The lease's end is fixed when the
// claim is built, and the statement may then wait for the database
// (SQLite's write lock) for a good part of it; timing from the claim's
// return would let a call outlive the lease, and another worker repeat it.
func RunBatch[T any](ctx context.Context, s *Settings, claim Claim[T], handle func(ctx context.Context, row *T, callBy time.Time)) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	claimed := time.Now()
	rows, err := claim(ctx, s.Owner, s.Batch, s.Lease)
	if err != nil {
		return 0, err
	}
	callBy := claimed.Add(s.Lease - s.CallTimeout - s.CallTimeout/2)
	var wg sync.WaitGroup
	for i := range rows {
		wg.Go(func() { handle(ctx, &rows[i], callBy) })
	}
	wg.Wait()
	return len(rows), nil
}

// Loop runs batch until ctx ends: at once again after a full batch (more
// is probably due), else after Poll. A batch that fails while ctx lives
// is logged under name and retried after Poll. Loop returns only between
// batches, so the rows in flight are handled and recorded first.
func Loop(ctx context.Context, s *Settings, name string, batch func(context.Context) (int, error)) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := batch(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.Log.Error(name+": claim failed", "err", err)
			t.Reset(s.Poll)
		case n == s.Batch:
			t.Reset(0)
		default:
			t.Reset(s.Poll)
		}
	}
}
