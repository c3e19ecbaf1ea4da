package booking

import (
	"context"
	"fmt"
)

// LiveSessions counts each user's live sessions (not ended, not expired,
// not idle too long), so an owner can see who is signed in somewhere before
// signing them out everywhere.
func (s *Store) LiveSessions(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		UserID int64 `bun:"user_id"`
		N      int   `bun:"n"`
	}
	now := s.now()
	err := s.db.NewSelect().Model((*Session)(nil)).
		Column("user_id").ColumnExpr("COUNT(*) AS n").
		Where("expires_at > ? AND last_seen_at > ?", now, now.Add(-SessionIdle)).
		Group("user_id").
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("count live sessions: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.N
	}
	return out, nil
}
