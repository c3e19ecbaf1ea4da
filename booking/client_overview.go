package booking

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// MaxOverviewPast bounds the past bookings a client's own overview lists:
// the page is for what is coming and what just happened, not a full
// history (staff see that in the admin).
const MaxOverviewPast = 30

// OverviewBooking is one booking on a client's own overview, with the
// manage token of its group: the page the client changes or cancels it on.
type OverviewBooking struct {
	ClientBooking
	GroupToken string
	GroupState GroupState
}

// OverviewWait is one of a client's places in a waitlist line.
type OverviewWait struct {
	Entry   WaitlistEntry
	Event   Event
	Service string
	Member  string
	// Position is the 1-based place among the entries in line.
	Position int
}

// ClientOverview is what a client sees of themselves at one location after
// confirming their phone ("My bookings"): bookings, passes and waitlist
// places. Every list is scoped by location and client in the query.
type ClientOverview struct {
	Upcoming []OverviewBooking
	// Past is the latest MaxOverviewPast bookings whose event has ended,
	// latest first; PastMore tells whether older ones were left out.
	Past     []OverviewBooking
	PastMore bool
	// Passes are the client's passes that were not voided, newest first.
	Passes []ClientPass
	// Waiting are the places still in line for events not yet started,
	// soonest first.
	Waiting []OverviewWait
}

// ClientOverview reads a client's overview at a location. clientID 0 (a
// phone nobody booked with) and a client of another location give an empty
// overview, not an error: the page looks the same as for a client with
// nothing booked, so it reveals nothing about the id.
func (s *Store) ClientOverview(ctx context.Context, locationID, clientID int64) (*ClientOverview, error) {
	out := &ClientOverview{}
	if clientID == 0 {
		return out, nil
	}
	if _, err := s.clientOf(ctx, locationID, clientID); err != nil {
		if errors.Is(err, ErrNotFound) {
			return out, nil
		}
		return nil, err
	}
	upcoming, past, err := s.ClientBookings(ctx, locationID, clientID)
	if err != nil {
		return nil, err
	}
	if len(past) > MaxOverviewPast {
		past, out.PastMore = past[:MaxOverviewPast], true
	}
	groups, err := s.groupsOf(ctx, locationID, append(slices.Clone(upcoming), past...))
	if err != nil {
		return nil, err
	}
	wrap := func(list []ClientBooking) []OverviewBooking {
		res := make([]OverviewBooking, 0, len(list))
		for _, cb := range list {
			ob := OverviewBooking{ClientBooking: cb}
			if g, ok := groups[cb.GroupID]; ok {
				ob.GroupToken, ob.GroupState = g.Token, g.State
			}
			res = append(res, ob)
		}
		return res
	}
	out.Upcoming, out.Past = wrap(upcoming), wrap(past)

	passes, err := s.ClientPasses(ctx, locationID, clientID)
	if err != nil {
		return nil, err
	}
	for _, p := range passes {
		if p.Voided() {
			continue
		}
		p.Entries = nil // the ledger is staff's view; the client sees the balance
		out.Passes = append(out.Passes, p)
	}

	if out.Waiting, err = s.clientWaiting(ctx, locationID, clientID); err != nil {
		return nil, err
	}
	return out, nil
}

// groupsOf loads the groups of the bookings, by id, scoped to the location.
func (s *Store) groupsOf(ctx context.Context, locationID int64, list []ClientBooking) (map[int64]Group, error) {
	var ids []int64
	for _, cb := range list {
		if cb.GroupID != 0 {
			ids = append(ids, cb.GroupID)
		}
	}
	out := map[int64]Group{}
	if len(ids) == 0 {
		return out, nil
	}
	var gs []Group
	if err := s.db.NewSelect().Model(&gs).Column("id", "token", "state").
		Where("location_id = ? AND id IN (?)", locationID, bun.List(uniqueIDs(ids))).
		Scan(ctx); err != nil {
		return nil, fmt.Errorf("groups of client bookings: %w", err)
	}
	for _, g := range gs {
		out[g.ID] = g
	}
	return out, nil
}

// clientWaiting lists the client's places in line for events that have not
// started, with each place's position.
func (s *Store) clientWaiting(ctx context.Context, locationID, clientID int64) ([]OverviewWait, error) {
	var entries []WaitlistEntry
	if err := s.db.NewSelect().Model(&entries).
		Where("location_id = ? AND client_id = ? AND state IN (?)", locationID, clientID, bun.List(inLineStates)).
		Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("waitlist places of client %d: %w", clientID, err)
	}
	if len(entries) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.EventID
	}
	events, err := loadEvents(ctx, s.db, uniqueIDs(ids))
	if err != nil {
		return nil, err
	}
	services, members, err := s.catalogNames(ctx, locationID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []OverviewWait
	for _, e := range entries {
		ev := events[e.EventID]
		// A started (or deleted) event's line leads nowhere any more.
		if ev == nil || ev.DeletedAt != nil || !ev.StartsAt.After(now) {
			continue
		}
		n, err := s.db.NewSelect().Model((*WaitlistEntry)(nil)).
			Where("event_id = ? AND state IN (?) AND position <= ?", e.EventID, bun.List(inLineStates), e.Position).
			Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("place of entry %d: %w", e.ID, err)
		}
		out = append(out, OverviewWait{Entry: e, Event: *ev, Service: services[ev.ServiceID], Member: members[ev.TeamMemberID], Position: int(n)})
	}
	slices.SortStableFunc(out, func(a, b OverviewWait) int { return a.Event.StartsAt.Compare(b.Event.StartsAt) })
	return out, nil
}
