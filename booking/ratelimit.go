package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

type rateEvent struct {
	bun.BaseModel `bun:"table:rate_events"`

	ID  int64     `bun:"id,pk,autoincrement"`
	Key string    `bun:"key"`
	At  time.Time `bun:"at"`
}

// RateAllow counts one event for key and tells whether at most limit
// happened within window (this one included). The count lives in the
// database, so every server process shares it; under a burst the check is
// conservative (concurrent callers see each other's events).
func (s *Store) RateAllow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	now := s.now()
	defer s.quietTurn(ctx)()
	if _, err := s.db.NewInsert().Model(&rateEvent{Key: key, At: now}).Exec(ctx); err != nil {
		return false, fmt.Errorf("rate %s: %w", key, err)
	}
	n, err := s.db.NewSelect().Model((*rateEvent)(nil)).Where("key = ? AND at > ?", key, now.Add(-window)).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("rate %s: %w", key, err)
	}
	return int(n) <= limit, nil
}

// LastRateEvent returns when key last counted an event (zero if never), for
// cooldowns such as "resend the code in 30 s".
func (s *Store) LastRateEvent(ctx context.Context, key string) (time.Time, error) {
	var ev rateEvent
	err := s.db.NewSelect().Model(&ev).Where("key = ?", key).OrderExpr("at DESC").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last %s: %w", key, err)
	}
	return ev.At, nil
}

// PruneRateEvents drops events older than keep.
func (s *Store) PruneRateEvents(ctx context.Context, keep time.Duration) error {
	defer s.quietTurn(ctx)()
	if _, err := s.db.NewDelete().Model((*rateEvent)(nil)).Where("at < ?", s.now().Add(-keep)).Exec(ctx); err != nil {
		return fmt.Errorf("prune rate events: %w", err)
	}
	return nil
}

// RateCount counts key's events within window without adding one.
func (s *Store) RateCount(ctx context.Context, key string, window time.Duration) (int, error) {
	n, err := s.db.NewSelect().Model((*rateEvent)(nil)).Where("key = ? AND at > ?", key, s.now().Add(-window)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("rate %s: %w", key, err)
	}
	return int(n), nil
}
