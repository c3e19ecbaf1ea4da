package booking

import (
	"context"
	"slices"
)

// OnlinePassTypes lists the pass types on sale online that could pay for
// the selection (cover the service, valid on every date, enough visits),
// cheaper than the selection's price in the same currency. A selection
// of no live event of the location and service has none.
func (s *Store) OnlinePassTypes(ctx context.Context, locationID, serviceID int64, eventIDs []int64, seats int) ([]PassType, error) {
	if len(eventIDs) == 0 {
		return nil, nil
	}
	loc, err := s.Location(ctx, locationID)
	if err != nil {
		return nil, err
	}
	svc := new(Service)
	if err := s.db.NewSelect().Model(svc).Where("id = ? AND location_id = ?", serviceID, locationID).Scan(ctx); err != nil {
		return nil, notFound(err, "service", serviceID)
	}
	events, err := loadEvents(ctx, s.db, slices.Compact(slices.Sorted(slices.Values(eventIDs))))
	if err != nil {
		return nil, err
	}
	seats = max(seats, 1)
	uses := make([]passUse, 0, len(eventIDs))
	for _, id := range eventIDs {
		ev := events[id]
		if ev == nil || ev.LocationID != locationID || ev.DeletedAt != nil || ev.ServiceID != serviceID {
			return nil, nil
		}
		uses = append(uses, passUse{EventID: id, Date: eventDate(ev, loc.Zone()), Seats: seats})
	}
	price := svc.PriceMinor * int64(seats) * int64(len(eventIDs))
	types, err := s.PassTypes(ctx, locationID)
	if err != nil {
		return nil, err
	}
	today := localToday(s.now(), loc)
	var out []PassType
	for _, pt := range types {
		if pt.Currency != svc.Currency || pt.PriceMinor >= price {
			continue
		}
		if passTypeFits(&pt, serviceID, uses, today) == nil {
			out = append(out, pt)
		}
	}
	return out, nil
}
