package booking

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// ClientBooking is one of a client's bookings with the event it is for and
// the names a list shows.
type ClientBooking struct {
	Booking
	Event       Event
	ServiceName string
	MemberName  string
	// Money is the booking's online money and refunds (zero when it was
	// not paid online); HoldUntil the end of its hold while its online
	// payment is awaited.
	Money     BookingMoney
	HoldUntil *time.Time
}

// ClientBookings lists a client's bookings at a location, cancelled ones
// included: upcoming holds those whose event has not ended yet, soonest
// first; past the rest, latest first. A client of another location has none
// here, so an id taken from a URL cannot reveal someone else's history.
func (s *Store) ClientBookings(ctx context.Context, locationID, clientID int64) (upcoming, past []ClientBooking, err error) {
	var bookings []Booking
	if err := s.db.NewSelect().Model(&bookings).
		Where("location_id = ? AND client_id = ?", locationID, clientID).
		Order("id").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("bookings of client %d: %w", clientID, err)
	}
	if len(bookings) == 0 {
		return nil, nil, nil
	}
	ids := make([]int64, 0, len(bookings))
	for _, b := range bookings {
		ids = append(ids, b.EventID)
	}
	events, err := loadEvents(ctx, s.db, ids)
	if err != nil {
		return nil, nil, err
	}
	services, members, err := s.catalogNames(ctx, locationID)
	if err != nil {
		return nil, nil, err
	}
	money, holds, err := s.onlineOf(ctx, bookings)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	for _, b := range bookings {
		ev := events[b.EventID]
		if ev == nil {
			return nil, nil, fmt.Errorf("event %d of booking %d: %w", b.EventID, b.ID, ErrNotFound)
		}
		cb := ClientBooking{Booking: b, Event: *ev, ServiceName: services[ev.ServiceID], MemberName: members[ev.TeamMemberID], Money: money[b.ID]}
		if b.Payment == PaymentOnlinePending {
			cb.HoldUntil = holds[b.GroupID]
		}
		if ev.EndsAt().After(now) {
			upcoming = append(upcoming, cb)
		} else {
			past = append(past, cb)
		}
	}
	sort.SliceStable(upcoming, func(i, j int) bool { return upcoming[i].Event.StartsAt.Before(upcoming[j].Event.StartsAt) })
	sort.SliceStable(past, func(i, j int) bool { return past[i].Event.StartsAt.After(past[j].Event.StartsAt) })
	return upcoming, past, nil
}

// catalogNames maps a location's service and team member ids to their names,
// archived ones included, since old bookings still refer to them.
func (s *Store) catalogNames(ctx context.Context, locationID int64) (services, members map[int64]string, err error) {
	svcs, err := s.Services(ctx, locationID, true)
	if err != nil {
		return nil, nil, err
	}
	tms, err := s.TeamMembers(ctx, locationID, true)
	if err != nil {
		return nil, nil, err
	}
	services, members = map[int64]string{}, map[int64]string{}
	for _, sv := range svcs {
		services[sv.ID] = sv.Name
	}
	for _, tm := range tms {
		members[tm.ID] = tm.Name
	}
	return services, members, nil
}
