package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// BookableFilter narrows the events a widget link lists.
type BookableFilter struct {
	ServiceID    int64 // 0: any the link offers
	TeamMemberID int64 // 0: any the link offers
	ExcludeIDs   []int64
	// After starts the page after this event (keyset paging): the cost of
	// a later page is the cost of the first, where an OFFSET would read and
	// throw away every row before it.
	After EventKey
	Limit int
}

// EventKey is an event's place in start order: (starts_at, id).
type EventKey struct {
	StartsAt time.Time
	ID       int64
}

// IsZero tells whether the key is unset (the first page).
func (k EventKey) IsZero() bool { return k.ID == 0 }

// Key returns the event's place in start order.
func (e *Event) Key() EventKey { return EventKey{StartsAt: e.StartsAt, ID: e.ID} }

// BookableEvents lists the link's upcoming events a client could book
// online now, in start order: live, starting after the link's buffer, of an
// active service open to online booking and an active team member, and
// offered by the link. Full events are included so the list can show them
// as full.
func (s *Store) BookableEvents(ctx context.Context, link *Link, f BookableFilter) ([]Event, error) {
	var out []Event
	earliest := s.now().Add(link.Buffer())
	q := s.db.NewSelect().Model(&out).
		Join("JOIN services AS svc ON svc.id = e.service_id").
		Join("JOIN team_members AS tm ON tm.id = e.team_member_id").
		Where("e.location_id = ?", link.LocationID).
		Where("e.deleted_at IS NULL").
		Where("svc.active AND svc.online_booking AND tm.active").
		Order("e.starts_at", "e.id")
	if len(link.ServiceIDs) > 0 {
		q = q.Where("e.service_id IN (?)", bun.List(link.ServiceIDs))
	}
	if len(link.TeamMemberIDs) > 0 {
		q = q.Where("e.team_member_id IN (?)", bun.List(link.TeamMemberIDs))
	}
	if f.ServiceID != 0 {
		q = q.Where("e.service_id = ?", f.ServiceID)
	}
	if f.TeamMemberID != 0 {
		q = q.Where("e.team_member_id = ?", f.TeamMemberID)
	}
	if len(f.ExcludeIDs) > 0 {
		q = q.Where("e.id NOT IN (?)", bun.List(f.ExcludeIDs))
	}
	// One lower bound on starts_at, never two: given both the buffer's and
	// the page key's, SQLite (3.53) takes the location's index and filters
	// the service or team member row by row. A key after the buffer
	// implies it; a key before it is implied by it.
	if !f.After.IsZero() && f.After.StartsAt.After(earliest) {
		// A row value, so both databases seek the (…, starts_at, id) index
		// to the key and read on from there in order.
		q = q.Where("(e.starts_at, e.id) > (?, ?)", f.After.StartsAt.UTC(), f.After.ID)
	} else {
		q = q.Where("e.starts_at > ?", earliest)
	}
	if f.Limit > 0 {
		q = q.Limit(int64(f.Limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("bookable events of link %d: %w", link.ID, err)
	}
	return out, nil
}

// CheckBookable tells whether one event can be booked through the link now
// (ignoring seats), with the same rules Reserve applies.
func (s *Store) CheckBookable(ctx context.Context, link *Link, ev *Event) error {
	if ev.LocationID != link.LocationID {
		return ErrNotFound
	}
	svc, err := s.Service(ctx, ev.ServiceID)
	if err != nil {
		return err
	}
	tm, err := s.TeamMember(ctx, ev.TeamMemberID)
	if err != nil {
		return err
	}
	return checkBookable(ev, svc, tm, link, s.now())
}

// CheckBookableWith is CheckBookable with the event's service and team
// member already at hand (nil when unknown), as the widget's catalog holds
// them: the contact step then reads only the events.
func (s *Store) CheckBookableWith(link *Link, ev *Event, svc *Service, tm *TeamMember) error {
	if ev.LocationID != link.LocationID {
		return ErrNotFound
	}
	return checkBookable(ev, svc, tm, link, s.now())
}

// Clock returns the store's current time, so callers judge "upcoming" and
// cutoffs by the same clock the rules use.
func (s *Store) Clock() time.Time { return s.now() }
