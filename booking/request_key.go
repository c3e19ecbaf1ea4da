package booking

import (
	"context"
	"fmt"
)

// GroupByKey returns the booking group a request key committed, or
// ErrNotFound when none is visible.
//
// It answers the question Reserve cannot when its connection is lost
// around COMMIT (Unavailable errors): did the booking happen? A group
// found means yes, for good. ErrNotFound does not prove the opposite: a
// COMMIT still under way in the server becomes visible only once it is
// done. Resubmitting with the same key is what settles it, since Reserve
// then waits for that COMMIT on the key's unique index and returns its
// result.
//
// The key is the only lookup: it is random, and the widget keeps it in
// its signed selection, so a key found belongs to this client's booking.
func (s *Store) GroupByKey(ctx context.Context, key string) (*Group, error) {
	if key == "" {
		return nil, fmt.Errorf("request key: %w", ErrNotFound)
	}
	g := new(Group)
	if err := s.db.NewSelect().Model(g).Where("request_key = ?", key).Scan(ctx); err != nil {
		return nil, notFound(err, "request key", key)
	}
	return g, nil
}
