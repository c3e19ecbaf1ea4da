package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// rescheduleTargets is RescheduleByClient's rules as one query: the
// booking's own rules first (its error when it cannot move at all), then
// the live events of the same location and service that the link shows
// and would book online now (team member active, not started, outside the
// buffer), of the same team member unless the link lets clients pick any,
// with the booking's seats free, where the client (and visitor) holds no
// booking yet, and, for a pass-paid booking, within the pass's dates.
func (s *Store) rescheduleTargets(ctx context.Context, token string, bookingID int64, now time.Time, limit int) ([]Event, error) {
	if limit <= 0 || limit > maxMoveTargets {
		limit = maxMoveTargets
	}
	g, link, err := s.rescheduleGroup(ctx, token)
	if err != nil {
		return nil, err
	}
	b := new(Booking)
	if err := s.db.NewSelect().Model(b).Where("id = ? AND group_id = ?", bookingID, g.ID).Scan(ctx); err != nil {
		return nil, notFound(err, "booking", bookingID)
	}
	from, err := s.Event(ctx, b.EventID)
	if err != nil {
		return nil, err
	}
	if err := canClientReschedule(b, from, link, now); err != nil {
		return nil, err
	}
	var out []Event
	q := s.db.NewSelect().Model(&out).
		Join("JOIN services AS svc ON svc.id = e.service_id").
		Join("JOIN team_members AS tm ON tm.id = e.team_member_id").
		Where("e.location_id = ? AND e.service_id = ?", b.LocationID, from.ServiceID).
		Where("e.deleted_at IS NULL").
		Where("e.id <> ?", from.ID).
		Where("svc.active AND svc.online_booking AND tm.active").
		Where("e.starts_at > ?", now.UTC()).
		Where("e.starts_at >= ?", now.Add(link.Buffer()).UTC()).
		Where("e.capacity - e.seats_taken >= ?", b.Seats).
		Where("NOT EXISTS (SELECT 1 FROM bookings AS x WHERE x.event_id = e.id AND x.client_id = ? AND x.visitor_name = ? AND x.status <> ?)",
			b.ClientID, b.VisitorName, StatusCancelled).
		Order("e.starts_at", "e.id").
		Limit(int64(limit))
	if len(link.ServiceIDs) > 0 {
		q = q.Where("e.service_id IN (?)", bun.List(link.ServiceIDs))
	}
	if len(link.TeamMemberIDs) > 0 {
		q = q.Where("e.team_member_id IN (?)", bun.List(link.TeamMemberIDs))
	}
	if link.RescheduleMode != RescheduleAnyMember {
		q = q.Where("e.team_member_id = ?", from.TeamMemberID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("reschedule targets of booking %d: %w", bookingID, err)
	}
	return s.withinPass(ctx, b, out)
}

// withinPass drops the events a pass-paid booking's pass is not valid on
// (checkPassMove refuses them); other bookings keep the list as it is.
func (s *Store) withinPass(ctx context.Context, b *Booking, events []Event) ([]Event, error) {
	if b.Payment != PaymentPass || b.PassID == 0 || len(events) == 0 {
		return events, nil
	}
	p, err := s.ClientPass(ctx, PassRef{LocationID: b.LocationID, ClientID: b.ClientID, PassID: b.PassID})
	if err != nil {
		return nil, err
	}
	if p.StartsOn == "" {
		return events, nil
	}
	zone, err := locationZone(ctx, s.db, b.LocationID)
	if err != nil {
		return nil, err
	}
	out := events[:0]
	for i := range events {
		if d := eventDate(&events[i], zone); d >= p.StartsOn && d <= p.ValidUntil {
			out = append(out, events[i])
		}
	}
	return out, nil
}
