package booking

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"
)

// ParseLocal returns the instant, in UTC, of a local date ("2026-03-10") and
// clock time ("18:00") in zone: what an admin types is always the studio's
// wall clock, whatever zone the server or the browser is in. A clock time
// skipped by a spring-forward change moves forward by the gap, as the clocks
// do (time.Date's rule, the same ExpandSeries follows). Problems come back
// as FieldErrors on "date" and "start_time", the admin forms' field names.
func ParseLocal(zone *time.Location, date, clock string) (time.Time, error) {
	c := newChecker()
	d, err := time.Parse(DateLayout, strings.TrimSpace(date))
	if err != nil {
		c.add("date", MsgInvalidDate)
	}
	minute, ok := ParseClock(strings.TrimSpace(clock))
	if !ok {
		c.add("start_time", MsgInvalidTime)
	}
	if err := c.err(); err != nil {
		return time.Time{}, err
	}
	return time.Date(d.Year(), d.Month(), d.Day(), minute/60, minute%60, 0, 0, zone).UTC(), nil
}

// CreateEventAt is CreateEvent with the start given as a local date and
// clock time in the location's zone. Every problem is reported at once: a
// bad date or time together with, say, a capacity of 0.
func (s *Store) CreateEventAt(ctx context.Context, locationID int64, in EventInput, date, clock string) (*Event, error) {
	loc, err := s.Location(ctx, locationID)
	if err != nil {
		return nil, err
	}
	start, timeErr := ParseLocal(loc.Zone(), date, clock)
	in.StartsAt = start
	ev, err := s.CreateEvent(ctx, locationID, in)
	if timeErr == nil {
		return ev, err
	}
	// A zero start always fails CreateEvent's validation, so nothing was
	// written; its "starts_at" is replaced by the fields the admin typed.
	var fe FieldErrors
	if err != nil && !errors.As(err, &fe) {
		return nil, err
	}
	return nil, mergeFieldErrors(fe, timeErr, "starts_at")
}

// UpdateEventAt is UpdateEvent with the new start given as a local date and
// clock time in the location's zone. The event's service never changes.
func (s *Store) UpdateEventAt(ctx context.Context, id int64, in EventInput, date, clock string) (*Event, error) {
	edit, err := s.EditEventAt(ctx, id, in, date, clock)
	if err != nil {
		return nil, err
	}
	return &edit.Events[0], nil
}

// EditEventAt is UpdateEventAt, also saying how many clients were told of
// the change (the admin's success message says so).
func (s *Store) EditEventAt(ctx context.Context, id int64, in EventInput, date, clock string) (*EventEdit, error) {
	ev, loc, err := s.liveEventAndLocation(ctx, id)
	if err != nil {
		return nil, err
	}
	start, timeErr := ParseLocal(loc.Zone(), date, clock)
	if timeErr != nil {
		// UpdateEvent would keep the old start; check the other fields the
		// same way so every problem shows at once, and write nothing.
		c := newChecker()
		if _, _, err := s.checkEventEdit(ctx, ev, &in, c); err != nil {
			return nil, err
		}
		return nil, mergeFieldErrors(c.fe, timeErr)
	}
	in.StartsAt = start
	return s.editEvent(ctx, id, in)
}

// liveEventAndLocation loads an event that is still on the schedule and its
// location.
func (s *Store) liveEventAndLocation(ctx context.Context, id int64) (*Event, *Location, error) {
	ev, err := s.Event(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if ev.DeletedAt != nil {
		return nil, nil, fmt.Errorf("event %d: %w", id, ErrEventDeleted)
	}
	loc, err := s.Location(ctx, ev.LocationID)
	if err != nil {
		return nil, nil, err
	}
	return ev, loc, nil
}

// checkEventEdit applies UpdateEvent's checks to a change of ev: the same
// checker rules, with duration and capacity kept from ev when not given.
// It returns the duration and capacity the change would set; the error is
// only a failed read.
func (s *Store) checkEventEdit(ctx context.Context, ev *Event, in *EventInput, c *checker) (int, int, error) {
	in.ServiceID = ev.ServiceID
	svc, _ := s.checkServiceMember(ctx, s.db, ev.LocationID, in.ServiceID, in.TeamMemberID, c)
	if in.TeamMemberID != ev.TeamMemberID {
		if err := s.checkMemberRuns(ctx, ev.LocationID, in.ServiceID, in.TeamMemberID, c); err != nil {
			return 0, 0, err
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
	if capacity < ev.SeatsTaken {
		// Only a hint for the form: the update itself re-checks under lock.
		c.add("capacity", MsgCapacityBelow)
	}
	return dur, capacity, nil
}

// mergeFieldErrors joins field errors, leaving out the fields in drop; the
// later sets win for a field named twice.
func mergeFieldErrors(a FieldErrors, b error, drop ...string) error {
	out := FieldErrors{}
	maps.Copy(out, a)
	var fe FieldErrors
	if errors.As(b, &fe) {
		maps.Copy(out, fe)
	}
	for _, k := range drop {
		delete(out, k)
	}
	return out.orNil()
}
