package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Jobs are the timed and retried work of online payment (a hold's end,
// expiring a Checkout Session at Stripe, sending a refund), leased like
// the outbox (outbox_claim.go) so several processes share them and a
// worker that dies only delays its jobs. A job is written in the same
// transaction as the change that needs it; its unique key makes
// enqueueing the same work twice add nothing.

// enqueueJob adds a pending job unless one with its unique key exists.
func enqueueJob(ctx context.Context, tx bun.Tx, kind string, locationID, refID int64, key string, runAt, now time.Time) error {
	j := &Job{Kind: kind, LocationID: locationID, RefID: refID, UniqueKey: key, Status: JobPending,
		RunAt: runAt.UTC(), CreatedAt: now, UpdatedAt: now}
	if _, err := tx.NewInsert().Model(j).On("CONFLICT (unique_key) DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("enqueue %s: %w", key, err)
	}
	return nil
}

// requeueJob makes the job of key pending again from runAt with its
// attempts reset (a refund staff retry), adding it if it is missing.
func requeueJob(ctx context.Context, tx bun.Tx, kind string, locationID, refID int64, key string, runAt, now time.Time) error {
	j := &Job{Kind: kind, LocationID: locationID, RefID: refID, UniqueKey: key, Status: JobPending,
		RunAt: runAt.UTC(), CreatedAt: now, UpdatedAt: now}
	_, err := tx.NewInsert().Model(j).
		On("CONFLICT (unique_key) DO UPDATE").
		Set("status = EXCLUDED.status, attempts = 0, run_at = EXCLUDED.run_at, lease_owner = '', lease_until = NULL, last_error = '', done_at = NULL, updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("requeue %s: %w", key, err)
	}
	return nil
}

func holdExpireKey(groupID int64) string       { return fmt.Sprintf("hold_expire:%d", groupID) }
func checkoutExpireKey(paymentID int64) string { return fmt.Sprintf("checkout_expire:%d", paymentID) }
func refundJobKey(entryID int64) string        { return fmt.Sprintf("refund:%d", entryID) }

// jobQueue is the jobs as leased work (lease.go).
var jobQueue = leaseQueue{name: "job", pending: JobPending, due: "run_at"}

// ClaimJobs leases up to limit due jobs to owner until now+lease (see
// claimLeased), so a worker that dies only delays its jobs.
func (s *Store) ClaimJobs(ctx context.Context, owner string, limit int, lease time.Duration) ([]Job, error) {
	return claimLeased[Job](ctx, s, jobQueue, owner, limit, lease)
}

// finishJob updates a job the owner still holds; a worker whose lease ran
// out (and whose job another worker took) changes nothing.
func (s *Store) finishJob(ctx context.Context, j *Job, owner string, set func(*bun.UpdateQuery) *bun.UpdateQuery) error {
	return finishLeased[Job](ctx, s, jobQueue, j.ID, owner, set)
}

// JobDone, JobRetry and JobFailed finish a job the owner still holds.
func (s *Store) JobDone(ctx context.Context, j *Job, owner string) error {
	return s.finishJob(ctx, j, owner, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", JobDone).Set("done_at = ?", s.now()).Set("last_error = ''")
	})
}

// JobRetry puts the job back for another attempt at at.
func (s *Store) JobRetry(ctx context.Context, j *Job, owner string, at time.Time, lastErr string) error {
	return s.finishJob(ctx, j, owner, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("run_at = ?", at.UTC()).Set("last_error = ?", truncate(lastErr, 500))
	})
}

// JobFailed gives up on a job.
func (s *Store) JobFailed(ctx context.Context, j *Job, owner, lastErr string) error {
	return s.finishJob(ctx, j, owner, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", JobFailed).Set("last_error = ?", truncate(lastErr, 500))
	})
}

// JobReschedule puts a recurring job back for its next run at at, as if
// new (attempts reset).
func (s *Store) JobReschedule(ctx context.Context, j *Job, owner string, at time.Time) error {
	return s.finishJob(ctx, j, owner, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("run_at = ?", at.UTC()).Set("attempts = 0").Set("last_error = ''")
	})
}

// EnsureCoreJobs adds the core's recurring jobs if they are missing (the
// minimum-attendee sweep); every job worker calls it when it starts, and
// the unique key makes that add one row for all processes. A sweep row
// that ended failed or done (a worker gave up on it, or it was finished by
// hand) is made pending again: a recurring job must never stop for good.
// A pending one is left as it is, leased or not, so a restart does not
// disturb a sweep under way.
func (s *Store) EnsureCoreJobs(ctx context.Context) error {
	now := s.now()
	defer s.quietTurn(ctx)()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := enqueueJob(ctx, tx, JobMinAttendees, 0, 0, MinAttendeesSweepKey, now, now); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Model((*Job)(nil)).
			Set("status = ?", JobPending).Set("attempts = 0").Set("run_at = ?", now).
			Set("lease_owner = ''").Set("lease_until = NULL").Set("last_error = ''").Set("done_at = NULL").Set("updated_at = ?", now).
			Where("unique_key = ? AND status <> ?", MinAttendeesSweepKey, JobPending).
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("revive %s: %w", MinAttendeesSweepKey, err)
		}
		return nil
	})
}

// JobByKey reads a job by its unique key (tests and the admin).
func (s *Store) JobByKey(ctx context.Context, key string) (*Job, error) {
	j := new(Job)
	if err := s.db.NewSelect().Model(j).Where("unique_key = ?", key).Scan(ctx); err != nil {
		return nil, notFound(err, "job", key)
	}
	return j, nil
}
