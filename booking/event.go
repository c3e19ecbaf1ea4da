package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// MaxEventCommentLen bounds an event's internal comment.
const MaxEventCommentLen = 500

// EventInput is what an admin sets on one event. Capacity and duration are
// pointers so "not given" (take the service's default) differs from 0 (an
// error).
type EventInput struct {
	ServiceID    int64
	TeamMemberID int64
	StartsAt     time.Time
	DurationMin  *int
	Capacity     *int
	Color        string
	Category     string
	Comment      string
	// MinAttendees overrides the service's minimum for this event (nil:
	// the service's; min_attendees.go).
	MinAttendees *int
}

// checkServiceMember loads the service and team member and checks both belong
// to the location and are active.
func (s *Store) checkServiceMember(ctx context.Context, db bun.IDB, locationID, serviceID, memberID int64, c *checker) (*Service, *TeamMember) {
	svc := new(Service)
	if err := db.NewSelect().Model(svc).Where("id = ? AND location_id = ? AND active", serviceID, locationID).Scan(ctx); err != nil {
		c.add("service_id", MsgUnknownService)
		svc = nil
	}
	tm := new(TeamMember)
	if err := db.NewSelect().Model(tm).Where("id = ? AND location_id = ? AND active", memberID, locationID).Scan(ctx); err != nil {
		c.add("team_member_id", MsgUnknownMember)
		tm = nil
	}
	return svc, tm
}

// applyDefaults fills duration and capacity from the service and checks them.
func applyDefaults(svc *Service, dur, capacity *int, c *checker) (int, int) {
	d, cp := 0, 0
	if svc != nil {
		d, cp = svc.DurationMin, svc.DefaultCapacity
	}
	if dur != nil {
		d = *dur
	}
	if capacity != nil {
		cp = *capacity
	}
	if capacity != nil && cp <= 0 {
		c.add("capacity", MsgMustBePositive)
	} else {
		c.rangeInt("capacity", cp, 1, 10000)
	}
	c.rangeInt("duration_min", d, 1, 24*60)
	return d, cp
}

// CreateEvent validates and stores one event.
func (s *Store) CreateEvent(ctx context.Context, locationID int64, in EventInput) (*Event, error) {
	c := newChecker()
	svc, _ := s.checkServiceMember(ctx, s.db, locationID, in.ServiceID, in.TeamMemberID, c)
	if err := s.checkMemberRuns(ctx, locationID, in.ServiceID, in.TeamMemberID, c); err != nil {
		return nil, err
	}
	dur, capacity := applyDefaults(svc, in.DurationMin, in.Capacity, c)
	c.color("color", in.Color)
	c.text("category", in.Category, false, MaxNameLen)
	c.text("comment", in.Comment, false, MaxEventCommentLen)
	checkMinOverride(c, in.MinAttendees, capacity)
	if in.StartsAt.IsZero() {
		c.add("starts_at", MsgRequired)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	ev := &Event{
		LocationID: locationID, ServiceID: in.ServiceID, TeamMemberID: in.TeamMemberID,
		StartsAt: in.StartsAt.UTC().Truncate(time.Minute), DurationMin: dur, Capacity: capacity,
		Color: in.Color, Category: strings.TrimSpace(in.Category), Comment: in.Comment, CreatedAt: s.now(),
		MinAttendees: in.MinAttendees,
	}
	if ev.Color == "" {
		ev.Color = svc.Color
	}
	if ev.Category == "" {
		ev.Category = svc.Category
	}
	defer s.writeTurn(ctx)()
	if _, err := s.db.NewInsert().Model(ev).Exec(ctx); err != nil {
		return nil, fmt.Errorf("create event: %w", err)
	}
	return ev, nil
}

// UpdateEvent changes one event's time, team member, duration, capacity,
// notes and minimum-attendee override (in.MinAttendees is stored as given:
// nil goes back to the service's minimum). Capacity never drops below the
// seats already taken; a new start time resets the minimum decision.
//
// A new start or team member is news for the booked clients: see
// tellEventChanges (EditEventAt also says how many were told).
func (s *Store) UpdateEvent(ctx context.Context, id int64, in EventInput) (*Event, error) {
	edit, err := s.editEvent(ctx, id, in)
	if err != nil {
		return nil, err
	}
	return &edit.Events[0], nil
}

// editEvent is UpdateEvent, saying how many clients were told.
func (s *Store) editEvent(ctx context.Context, id int64, in EventInput) (*EventEdit, error) {
	ev, err := s.Event(ctx, id)
	if err != nil {
		return nil, err
	}
	if ev.DeletedAt != nil {
		return nil, fmt.Errorf("event %d: %w", id, ErrEventDeleted)
	}
	c := newChecker()
	in.ServiceID = ev.ServiceID // an event's service is fixed: its bookings were made for it
	svc, _ := s.checkServiceMember(ctx, s.db, ev.LocationID, in.ServiceID, in.TeamMemberID, c)
	if in.TeamMemberID != ev.TeamMemberID {
		if err := s.checkMemberRuns(ctx, ev.LocationID, in.ServiceID, in.TeamMemberID, c); err != nil {
			return nil, err
		}
	}
	if in.DurationMin == nil {
		in.DurationMin = &ev.DurationMin
	}
	if in.Capacity == nil {
		in.Capacity = &ev.Capacity
	}
	dur, capacity := applyDefaults(svc, in.DurationMin, in.Capacity, c)
	c.color("color", in.Color)
	c.text("category", in.Category, false, MaxNameLen)
	c.text("comment", in.Comment, false, MaxEventCommentLen)
	checkMinOverride(c, in.MinAttendees, capacity)
	if in.StartsAt.IsZero() {
		in.StartsAt = ev.StartsAt
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	told := 0
	err = s.inTx(ctx, func(tx bun.Tx) error {
		if err := s.lockEvents(ctx, tx, id); err != nil {
			return err
		}
		// The event as it was, read under the lock: what the clients
		// booked and are told it is no longer.
		before := new(Event)
		if err := tx.NewSelect().Model(before).Where("id = ?", id).Scan(ctx); err != nil {
			return notFound(err, "event", id)
		}
		res, err := tx.NewUpdate().Model((*Event)(nil)).
			Set("team_member_id = ?", in.TeamMemberID).
			Set("starts_at = ?", in.StartsAt.UTC().Truncate(time.Minute)).
			Set("duration_min = ?", dur).
			Set("capacity = ?", capacity).
			Set("color = ?", in.Color).
			Set("category = ?", strings.TrimSpace(in.Category)).
			Set("comment = ?", in.Comment).
			Set("min_attendees = ?", in.MinAttendees).
			Where("id = ? AND deleted_at IS NULL AND seats_taken <= ?", id, capacity).
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("update event %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return FieldErrors{"capacity": MsgCapacityBelow}
		}
		if newStart := in.StartsAt.UTC().Truncate(time.Minute); !newStart.Equal(before.StartsAt) {
			// A new time is a new decision on its minimum attendees.
			if _, err := tx.NewUpdate().Model((*Event)(nil)).Set("min_state = ?", MinUndecided).Where("id = ?", id).Exec(ctx); err != nil {
				return fmt.Errorf("reset minimum decision of event %d: %w", id, err)
			}
		}
		after := new(Event)
		if err := tx.NewSelect().Model(after).Where("id = ?", id).Scan(ctx); err != nil {
			return notFound(err, "event", id)
		}
		if told, err = s.tellEventChanges(ctx, tx, after.LocationID, []eventChange{{before: *before, after: after}}, s.now()); err != nil {
			return err
		}
		return s.offerFreed(ctx, tx, id, s.now())
	})
	if err != nil {
		return nil, err
	}
	ev, err = s.Event(ctx, id)
	if err != nil {
		return nil, err
	}
	return &EventEdit{Events: []Event{*ev}, Told: told}, nil
}

// SetCapacity changes an event's capacity, refusing to go below the seats
// already taken, in one conditional statement so a booking racing with it
// cannot slip under.
func (s *Store) SetCapacity(ctx context.Context, id int64, capacity int) error {
	if capacity <= 0 {
		return FieldErrors{"capacity": MsgMustBePositive}
	}
	var n int64
	err := s.inSeatsTx(ctx, func(tx bun.Tx) error {
		if err := s.lockEvents(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*Event)(nil)).
			Set("capacity = ?", capacity).
			Where("id = ? AND deleted_at IS NULL AND seats_taken <= ?", id, capacity).
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("set capacity of event %d: %w", id, err)
		}
		if n, _ = res.RowsAffected(); n == 1 {
			// More room: the waitlist is offered what is free now.
			return s.offerFreed(ctx, tx, id, s.now())
		}
		return nil
	})
	if err != nil || n == 1 {
		return err
	}
	ev, err := s.Event(ctx, id)
	if err != nil {
		return err
	}
	if ev.DeletedAt != nil {
		return fmt.Errorf("event %d: %w", id, ErrEventDeleted)
	}
	return fmt.Errorf("event %d: capacity %d < %d taken: %w", id, capacity, ev.SeatsTaken, ErrCapacityBelowTaken)
}

// Affected is a booking cancelled by a change the client did not make, with
// what is needed to tell the client.
type Affected struct {
	Booking Booking
	Client  Client
	Event   Event
}

// DeleteEvent cancels every active booking of the event and removes it from
// the schedule. The event row stays (marked deleted) so the cancelled
// bookings keep their history; the result lists the clients to notify.
func (s *Store) DeleteEvent(ctx context.Context, id int64) ([]Affected, error) {
	var out []Affected
	err := s.inTx(ctx, func(tx bun.Tx) error {
		if err := s.lockEvents(ctx, tx, id); err != nil {
			return err
		}
		ev := new(Event)
		if err := tx.NewSelect().Model(ev).Where("id = ?", id).Scan(ctx); err != nil {
			return notFound(err, "event", id)
		}
		if ev.DeletedAt != nil {
			return fmt.Errorf("event %d: %w", id, ErrEventDeleted)
		}
		var err error
		out, err = s.callOffEvent(ctx, tx, ev, CancelledByEventDeleted, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// callOffEvent is the studio calling off a live event whose lock the caller
// holds: every active booking cancelled (by says why: the event was
// deleted, or it did not reach its minimum attendees), the event taken off
// the schedule, visits given back, online payments refunded in full, the
// waitlist closed and each client told. It returns the cancelled bookings.
func (s *Store) callOffEvent(ctx context.Context, tx bun.Tx, ev *Event, by string, now time.Time) ([]Affected, error) {
	var cancelled []Booking
	err := tx.NewUpdate().Model((*Booking)(nil)).
		Set("status = ?", StatusCancelled).
		Set("cancelled_by = ?", by).
		Set("cancelled_at = ?", now).
		Set("updated_at = ?", now).
		Set("sequence = sequence + 1").
		Where("event_id = ? AND status <> ?", ev.ID, StatusCancelled).
		Returning("*").
		Scan(ctx, &cancelled)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("cancel bookings of event %d: %w", ev.ID, err)
	}
	ev.DeletedAt = &now
	ev.SeatsTaken = 0
	if _, err := tx.NewUpdate().Model(ev).WherePK().Column("deleted_at", "seats_taken").Exec(ctx); err != nil {
		return nil, fmt.Errorf("delete event %d: %w", ev.ID, err)
	}
	if err := s.returnVisitsOfDeleted(ctx, tx, cancelled, now); err != nil {
		return nil, err
	}
	if err := closeWaitlist(ctx, tx, ev.ID, now); err != nil {
		return nil, err
	}
	out := make([]Affected, 0, len(cancelled))
	for _, b := range cancelled {
		cl := new(Client)
		if err := tx.NewSelect().Model(cl).Where("id = ?", b.ClientID).Scan(ctx); err != nil {
			return nil, fmt.Errorf("client %d: %w", b.ClientID, err)
		}
		// The studio called the class off: an online payment goes back
		// in full.
		if err := refundOnCancel(ctx, tx, &b, by, now); err != nil {
			return nil, err
		}
		if err := queueCancelled(ctx, tx, &b, ev, by, nil, now); err != nil {
			return nil, err
		}
		out = append(out, Affected{Booking: b, Client: *cl, Event: *ev})
	}
	return out, nil
}

// Event loads one event, deleted or not.
func (s *Store) Event(ctx context.Context, id int64) (*Event, error) {
	ev := new(Event)
	if err := s.db.NewSelect().Model(ev).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "event", id)
	}
	return ev, nil
}

// EventFilter selects events for a schedule or a widget list.
type EventFilter struct {
	LocationID    int64
	From, To      time.Time // From inclusive, To exclusive; zero means open
	ServiceIDs    []int64
	TeamMemberIDs []int64
	ExcludeIDs    []int64
	Limit, Offset int
}

// Events lists live (not deleted) events in start order.
func (s *Store) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	var out []Event
	q := s.db.NewSelect().Model(&out).
		Where("location_id = ?", f.LocationID).
		Where("deleted_at IS NULL").
		Order("starts_at", "id")
	if !f.From.IsZero() {
		q = q.Where("starts_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("starts_at < ?", f.To.UTC())
	}
	if len(f.ServiceIDs) > 0 {
		q = q.Where("service_id IN (?)", bun.List(f.ServiceIDs))
	}
	if len(f.TeamMemberIDs) > 0 {
		q = q.Where("team_member_id IN (?)", bun.List(f.TeamMemberIDs))
	}
	if len(f.ExcludeIDs) > 0 {
		q = q.Where("id NOT IN (?)", bun.List(f.ExcludeIDs))
	}
	if f.Limit > 0 {
		q = q.Limit(int64(f.Limit)).Offset(int64(f.Offset))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	return out, nil
}
