package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
)

// rescheduleByClient locks the event the client saw the booking in and the
// target (in id order, like every seat path), and only then reads the
// booking: a booking is changed only under its event's lock, so if it is
// still in FromEventID it stays there until this transaction ends, and if
// it is not, a concurrent reschedule or a staff move won and this one is
// stale. The ids come from the browser: the booking must be of the token's
// group, the target is checked against the link like a new booking.
func (s *Store) rescheduleByClient(ctx context.Context, req RescheduleRequest) (*Reschedule, error) {
	g, link, err := s.rescheduleGroup(ctx, req.Token)
	if err != nil {
		return nil, err
	}
	origin := s.widgetOrigin(g.LinkID, req.ClientIP)
	var out *Reschedule
	err = s.inSeatsTx(ctx, func(tx bun.Tx) error {
		ids := uniqueIDs([]int64{req.FromEventID, req.ToEventID})
		sortIDs(ids)
		if err := s.lockEvents(ctx, tx, ids...); err != nil {
			return err
		}
		b := new(Booking)
		if err := tx.NewSelect().Model(b).Where("id = ? AND group_id = ?", req.BookingID, g.ID).Scan(ctx); err != nil {
			// Another group's booking: the token does not open it.
			return notFound(err, "booking", req.BookingID)
		}
		if b.EventID != req.FromEventID {
			return fmt.Errorf("booking %d is no longer in event %d: %w", b.ID, req.FromEventID, ErrRescheduleStale)
		}
		events, err := loadEvents(ctx, tx, ids)
		if err != nil {
			return err
		}
		from, to := events[b.EventID], events[req.ToEventID]
		if from == nil {
			return fmt.Errorf("event %d of booking %d: %w", b.EventID, b.ID, ErrNotFound)
		}
		now := s.now()
		if err := canClientReschedule(b, from, link, now); err != nil {
			return err
		}
		var svc *Service
		var tm *TeamMember
		if to != nil {
			if svc, tm, err = serviceAndMember(ctx, tx, to); err != nil {
				return err
			}
		}
		if err := checkRescheduleTarget(from, to, svc, tm, link, now); err != nil {
			return fmt.Errorf("reschedule booking %d to event %d: %w", b.ID, req.ToEventID, err)
		}
		if err := s.move(ctx, tx, b, from, to, origin); err != nil {
			return err
		}
		if err := queueStaffMoved(ctx, tx, b, from, to, now); err != nil {
			return err
		}
		// The events as they are now, for the caller's page.
		from.SeatsTaken -= b.Seats
		to.SeatsTaken += b.Seats
		out = &Reschedule{Booking: *b, From: *from, To: *to}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rescheduleGroup opens the token's group and its link (nil for a group
// staff made, which clients cannot reschedule: the rules refuse a nil
// link once the booking is known to be the group's).
func (s *Store) rescheduleGroup(ctx context.Context, token string) (*Group, *Link, error) {
	if token == "" {
		return nil, nil, fmt.Errorf("group token: %w", ErrNotFound)
	}
	g := new(Group)
	if err := s.db.NewSelect().Model(g).Where("token = ?", token).Scan(ctx); err != nil {
		return nil, nil, notFound(err, "group token", "(hidden)")
	}
	if g.LinkID == 0 {
		return g, nil, nil
	}
	link, err := s.Link(ctx, g.LinkID)
	if err != nil {
		return nil, nil, err
	}
	return g, link, nil
}

// serviceAndMember reads an event's service and team member for the
// online booking rules; nil for one that is gone.
func serviceAndMember(ctx context.Context, db bun.IDB, ev *Event) (*Service, *TeamMember, error) {
	svc, tm := new(Service), new(TeamMember)
	if err := db.NewSelect().Model(svc).Where("id = ?", ev.ServiceID).Scan(ctx); err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, nil, fmt.Errorf("service %d: %w", ev.ServiceID, err)
		}
		svc = nil
	}
	if err := db.NewSelect().Model(tm).Where("id = ?", ev.TeamMemberID).Scan(ctx); err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, nil, fmt.Errorf("team member %d: %w", ev.TeamMemberID, err)
		}
		tm = nil
	}
	return svc, tm, nil
}
