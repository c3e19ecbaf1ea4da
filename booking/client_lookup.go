package booking

import (
	"context"
	"fmt"
)

// ClientMatch is the client a phone typed by staff belongs to.
type ClientMatch struct {
	Client Client
	// Booked is true when the client already holds a booking of their own
	// (no visitor name) in the event, so only another visitor can be added.
	Booked bool
}

// LookupClient finds the location's client by a phone number as staff type
// it, normalised with the location's country like Reserve expects. A number
// that is not (yet) valid is ErrInvalid; a valid one nobody has is
// ErrNotFound.
func (s *Store) LookupClient(ctx context.Context, locationID, eventID int64, typed string) (*ClientMatch, error) {
	loc, err := s.Location(ctx, locationID)
	if err != nil {
		return nil, err
	}
	phone, err := NormalizePhone(typed, loc.Country)
	if err != nil {
		return nil, err
	}
	cl, err := s.ClientByPhone(ctx, locationID, phone)
	if err != nil {
		return nil, err
	}
	booked, err := s.db.NewSelect().Model((*Booking)(nil)).
		Where("event_id = ? AND client_id = ? AND visitor_name = '' AND status <> ?", eventID, cl.ID, StatusCancelled).
		Exists(ctx)
	if err != nil {
		return nil, fmt.Errorf("bookings of client %d in event %d: %w", cl.ID, eventID, err)
	}
	return &ClientMatch{Client: *cl, Booked: booked}, nil
}
