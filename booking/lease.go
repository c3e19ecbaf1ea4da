package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// The outbox and the jobs are both leased work: rows that workers claim
// for a while (lease_owner, lease_until, attempts) and finish while they
// still hold them, so that several processes share the rows and one that
// dies only delays its own. The statements are the same for both tables;
// leaseQueue says what differs.

// leaseQueue describes one table of leased work.
type leaseQueue struct {
	name    string // names a row in errors: "outbox 7"
	pending string // the status of a row waiting to be done
	due     string // the column that says when a row is next due
}

// claimLeased leases up to limit due rows of T's table to owner until
// now+lease and counts an attempt on each. A leased row is invisible to
// other workers until its lease runs out. One statement chooses and
// leases the rows, so two workers never take the same row; on PostgreSQL
// SKIP LOCKED lets concurrent workers take disjoint batches without
// waiting for each other.
func claimLeased[T any](ctx context.Context, s *Store, q leaseQueue, owner string, limit int, lease time.Duration) ([]T, error) {
	now := s.now()
	sub := s.db.NewSelect().Model((*T)(nil)).Column("id").
		Where("status = ? AND ? <= ?", q.pending, bun.Ident(q.due), now).
		Where("(lease_until IS NULL OR lease_until < ?)", now).
		OrderExpr("?, id", bun.Ident(q.due)).Limit(int64(limit))
	if s.isPG() {
		sub = sub.For("UPDATE SKIP LOCKED")
	}
	var out []T
	defer s.quietTurn(ctx)()
	err := s.db.NewUpdate().Model((*T)(nil)).
		Set("lease_owner = ?", owner).
		Set("lease_until = ?", now.Add(lease)).
		Set("attempts = attempts + 1").
		Set("updated_at = ?", now).
		Where("id IN (?)", sub).
		Returning("*").
		Scan(ctx, &out)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("claim %s: %w", q.name, err)
	}
	return out, nil
}

// finishLeased ends the lease on row id of T's table with set's changes,
// if owner still holds it: a worker whose lease ran out (and whose row
// another worker took) changes nothing.
func finishLeased[T any](ctx context.Context, s *Store, q leaseQueue, id int64, owner string, set func(*bun.UpdateQuery) *bun.UpdateQuery) error {
	defer s.quietTurn(ctx)()
	u := s.db.NewUpdate().Model((*T)(nil)).
		Set("lease_owner = ''").Set("lease_until = NULL").Set("updated_at = ?", s.now()).
		Where("id = ? AND lease_owner = ?", id, owner)
	if _, err := set(u).Exec(ctx); err != nil {
		return fmt.Errorf("%s %d: %w", q.name, id, err)
	}
	return nil
}
