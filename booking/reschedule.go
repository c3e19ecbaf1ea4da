package booking

import (
	"context"
	"errors"
	"time"
)

// Stubs, replaced by the reschedule branch.
var errNotBuilt = errors.New("not built yet")

func canClientReschedule(b *Booking, ev *Event, link *Link, now time.Time) error {
	return errNotBuilt
}

func (s *Store) rescheduleByClient(ctx context.Context, req RescheduleRequest) (*Reschedule, error) {
	return nil, errNotBuilt
}

func (s *Store) rescheduleTargets(ctx context.Context, token string, bookingID int64, now time.Time, limit int) ([]Event, error) {
	return nil, errNotBuilt
}
