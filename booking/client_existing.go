package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// ExistingBooking is a client's active booking in an event they tried to
// book again, with what the widget shows of it: when, how many seats, and
// the group token that opens its manage page.
type ExistingBooking struct {
	Booking  Booking
	StartsAt time.Time
	Token    string
}

// existingRow is one row of ClientExisting's query.
type existingRow struct {
	Booking  `bun:",extend"`
	StartsAt time.Time `bun:"ev_starts_at,scanonly"`
	Token    string    `bun:"grp_token,scanonly"`
}

// ClientExisting lists the active bookings the client with this phone
// holds at the location in any of eventIDs, in start order: the ones a
// refused "already booked" request collided with. Only the client's own
// seats count (no visitor name, as the widget books); a visitor staff
// registered under the same phone is another person. An unknown phone
// has none.
//
// It tells whether a phone has bookings, so callers show its answer only
// to someone who proved the phone (an SMS code).
func (s *Store) ClientExisting(ctx context.Context, locationID int64, phone string, eventIDs []int64) ([]ExistingBooking, error) {
	if len(eventIDs) == 0 || phone == "" {
		return nil, nil
	}
	var rows []existingRow
	err := s.db.NewSelect().Model(&rows).ModelTableExpr("bookings AS b").
		ColumnExpr("b.*").
		ColumnExpr("e.starts_at AS ev_starts_at, g.token AS grp_token").
		Join("JOIN clients AS c ON c.id = b.client_id").
		Join("JOIN events AS e ON e.id = b.event_id").
		Join("JOIN booking_groups AS g ON g.id = b.group_id").
		Where("b.location_id = ?", locationID).
		Where("c.location_id = ? AND c.phone = ?", locationID, phone).
		Where("b.event_id IN (?)", bun.List(eventIDs)).
		Where("b.status <> ?", StatusCancelled).
		Where("b.visitor_name = ''").
		Order("e.starts_at", "b.id").
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("existing bookings of a phone at location %d: %w", locationID, err)
	}
	out := make([]ExistingBooking, len(rows))
	for i, r := range rows {
		out[i] = ExistingBooking{Booking: r.Booking, StartsAt: r.StartsAt, Token: r.Token}
	}
	return out, nil
}
