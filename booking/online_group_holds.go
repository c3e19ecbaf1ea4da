package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// GroupHolds returns when the holds of the location's groups awaiting an
// online payment run out, by group id; groups not pending are left out.
// The event window says "awaiting payment until 14:05" with it. (Added by
// the admin side of issue 11; read-only.)
func (s *Store) GroupHolds(ctx context.Context, locationID int64, groupIDs []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	if len(groupIDs) == 0 {
		return out, nil
	}
	var groups []Group
	err := s.db.NewSelect().Model(&groups).Column("id", "hold_until").
		Where("location_id = ?", locationID).Where("id IN (?)", bun.In(groupIDs)).
		Where("state = ?", GroupPendingPayment).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("group holds: %w", err)
	}
	for _, g := range groups {
		if g.HoldUntil != nil {
			out[g.ID] = *g.HoldUntil
		}
	}
	return out, nil
}
