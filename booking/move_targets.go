package booking

import (
	"context"
	"fmt"
	"time"
)

// maxMoveTargets bounds the list; staff move a booking to a nearby date.
const maxMoveTargets = 100

// MoveTargets lists the events a booking can be moved to, in start order:
// live events of the same location and service that start after now, have
// enough free seats for the whole booking, and where the same client (and
// visitor) holds no booking yet. It is the same set MoveBooking accepts, so
// the list offers nothing that would be refused — unless someone books the
// seats meanwhile, which MoveBooking still catches.
func (s *Store) MoveTargets(ctx context.Context, bookingID int64, now time.Time) ([]Event, error) {
	b, err := s.Booking(ctx, bookingID)
	if err != nil {
		return nil, err
	}
	if !b.Active() {
		return nil, fmt.Errorf("booking %d: %w", bookingID, ErrAlreadyCancelled)
	}
	from, err := s.Event(ctx, b.EventID)
	if err != nil {
		return nil, err
	}
	var out []Event
	err = s.db.NewSelect().Model(&out).
		Where("e.location_id = ? AND e.service_id = ?", b.LocationID, from.ServiceID).
		Where("e.deleted_at IS NULL").
		Where("e.id <> ?", from.ID).
		Where("e.starts_at > ?", now.UTC()).
		Where("e.capacity - e.seats_taken >= ?", b.Seats).
		Where("NOT EXISTS (SELECT 1 FROM bookings AS x WHERE x.event_id = e.id AND x.client_id = ? AND x.visitor_name = ? AND x.status <> ?)",
			b.ClientID, b.VisitorName, StatusCancelled).
		Order("e.starts_at", "e.id").
		Limit(maxMoveTargets).
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("move targets of booking %d: %w", bookingID, err)
	}
	return out, nil
}
