package booking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// CapacityBelowError is a capacity change refused because some events
// already hold more seats than the new capacity. It unwraps to FieldErrors
// on "capacity", so forms show it at the field, and lists the events so the
// admin can see which dates are in the way.
type CapacityBelowError struct {
	Capacity int
	Events   []Event
}

func (e *CapacityBelowError) Error() string {
	return fmt.Sprintf("capacity %d below the seats taken in %d events", e.Capacity, len(e.Events))
}

// Unwrap gives the field error, and ErrCapacityBelowTaken for errors.Is.
func (e *CapacityBelowError) Unwrap() []error {
	return []error{FieldErrors{"capacity": MsgCapacityBelow}, ErrCapacityBelowTaken}
}

// UpdateSeriesFrom changes an event of a series and every later live event
// of that series in one transaction, all or nothing:
//   - team member, duration and capacity are set on each, the capacity never
//     below an event's seats taken (a *CapacityBelowError otherwise);
//   - each event keeps its own local date, moved by as many days as the
//     edited event's date moved, at the new local clock time, so 18:00 stays
//     18:00 on both sides of a DST change;
//   - colour, category and the minimum-attendee override go to every event
//     (they are how the series looks and runs), the comment only to the
//     edited one (it is about that day); an event whose start moves gets a
//     new minimum-attendee decision.
//
// "Later" is by start time. It returns the changed events in start order.
// An event outside any series is changed alone, as UpdateEventAt does.
//
// Every client booked on an event whose start or team member changed is
// told once for the whole edit, and reminders follow the new times (see
// tellEventChanges).
func (s *Store) UpdateSeriesFrom(ctx context.Context, eventID int64, in EventInput, date, clock string) ([]Event, error) {
	edit, err := s.EditSeriesFrom(ctx, eventID, in, date, clock)
	if err != nil {
		return nil, err
	}
	return edit.Events, nil
}

// EditSeriesFrom is UpdateSeriesFrom, also saying how many clients were
// told of the change.
func (s *Store) EditSeriesFrom(ctx context.Context, eventID int64, in EventInput, date, clock string) (*EventEdit, error) {
	ev, loc, err := s.liveEventAndLocation(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if ev.SeriesID == 0 {
		return s.EditEventAt(ctx, eventID, in, date, clock)
	}
	zone := loc.Zone()
	c := newChecker()
	dur, capacity, err := s.checkEventEdit(ctx, ev, &in, c)
	if err != nil {
		return nil, err
	}
	_, timeErr := ParseLocal(zone, date, clock)
	if err := mergeFieldErrors(c.fe, timeErr); err != nil {
		return nil, err
	}
	// Both parse: ParseLocal accepted them. The shift is counted in
	// calendar days, so it means the same on both sides of a clock change.
	minute, _ := ParseClock(strings.TrimSpace(clock))
	day, _ := time.Parse(DateLayout, strings.TrimSpace(date))
	shift := civilDay(day) - civilDay(ev.StartsAt.In(zone))
	category := strings.TrimSpace(in.Category)

	var out []Event
	told := 0
	err = s.inTx(ctx, func(tx bun.Tx) error {
		var ids []int64
		err := tx.NewSelect().Model((*Event)(nil)).Column("id").
			Where("series_id = ? AND location_id = ? AND deleted_at IS NULL", ev.SeriesID, ev.LocationID).
			Where("(starts_at >= ? OR id = ?)", ev.StartsAt, ev.ID).
			Scan(ctx, &ids)
		if err != nil {
			return fmt.Errorf("series %d events: %w", ev.SeriesID, err)
		}
		sortIDs(ids)
		if err := s.lockEvents(ctx, tx, ids...); err != nil {
			return err
		}
		// Read again under the locks: seats taken may have changed.
		var events []Event
		err = tx.NewSelect().Model(&events).
			Where("id IN (?) AND deleted_at IS NULL", bun.List(ids)).
			Order("starts_at", "id").Scan(ctx)
		if err != nil {
			return fmt.Errorf("series %d events: %w", ev.SeriesID, err)
		}
		found := false
		var over []Event
		for _, e := range events {
			found = found || e.ID == ev.ID
			if e.SeatsTaken > capacity {
				over = append(over, e)
			}
		}
		if !found {
			return fmt.Errorf("event %d: %w", ev.ID, ErrEventDeleted)
		}
		if len(over) > 0 {
			return &CapacityBelowError{Capacity: capacity, Events: over}
		}
		changes := make([]eventChange, 0, len(events))
		for i := range events {
			e := &events[i]
			changes = append(changes, eventChange{before: *e, after: e})
			l := e.StartsAt.In(zone)
			was := e.StartsAt
			e.StartsAt = time.Date(l.Year(), l.Month(), l.Day()+shift, minute/60, minute%60, 0, 0, zone).UTC()
			if !e.StartsAt.Equal(was) {
				// A new time is a new decision on its minimum attendees.
				e.MinState = MinUndecided
			}
			e.TeamMemberID, e.DurationMin, e.Capacity = in.TeamMemberID, dur, capacity
			e.Color, e.Category, e.MinAttendees = in.Color, category, in.MinAttendees
			if e.ID == ev.ID {
				e.Comment = in.Comment
			}
			res, err := tx.NewUpdate().Model(e).
				Column("team_member_id", "starts_at", "duration_min", "capacity", "color", "category", "comment", "min_attendees", "min_state").
				Where("id = ? AND deleted_at IS NULL AND seats_taken <= ?", e.ID, capacity).
				Exec(ctx)
			if err != nil {
				return fmt.Errorf("update event %d: %w", e.ID, err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return &CapacityBelowError{Capacity: capacity, Events: []Event{*e}}
			}
			if err := s.offerFreed(ctx, tx, e.ID, s.now()); err != nil {
				return err
			}
		}
		if told, err = s.tellEventChanges(ctx, tx, ev.LocationID, changes, s.now()); err != nil {
			return err
		}
		out = events
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &EventEdit{Events: out, Told: told}, nil
}

// civilDay numbers t's calendar day (in t's own zone), so two dates can be
// subtracted in days whatever clock changes lie between them.
func civilDay(t time.Time) int {
	return int(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}
