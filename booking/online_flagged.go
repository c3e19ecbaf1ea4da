package booking

import (
	"context"
	"fmt"
)

// FlaggedUnsettled returns the ledger ids of the location's charges
// flagged as a mismatch that no refund (pending or done; a failed one
// does not count) gives back yet: what still waits for staff on the
// Payments page. (Added by the admin side of issue 11; read-only.)
func (s *Store) FlaggedUnsettled(ctx context.Context, locationID int64) (map[int64]bool, error) {
	var ids []int64
	err := s.db.NewRaw(`SELECT e.id FROM payment_entries AS e
		JOIN online_payments AS p ON p.id = e.online_payment_id
		WHERE e.location_id = ? AND e.kind = ? AND p.status = ?
		AND NOT EXISTS (SELECT 1 FROM payment_entries AS r
			WHERE r.online_payment_id = p.id AND r.kind = ? AND r.status <> ?)`,
		locationID, EntryCharge, OnlineMismatch, EntryRefund, EntryFailed).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("flagged payments of location %d: %w", locationID, err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
