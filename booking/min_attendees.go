package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Minimum attendees: a service may need a number of seats booked for its
// events to run (Service.MinAttendees, an event may override it). At the
// decision time, MinDecideHours before the start, the recurring sweep
// (JobMinAttendees, run by the job worker) decides each event once: enough
// seats → "ok"; too few → the event is called off (CancelledByMinAttendees)
// when the location cancels automatically, otherwise staff are warned by
// e-mail and the event window shows it ("warned").
//
// What counts is the seats of the event's active bookings, including
// bookings held for an online payment under way: their clients may still
// pay, and calling the class off under someone paying for it would be
// worse than running it one short when a hold later lapses. Seats a
// waitlist offer holds do not count: nobody has booked them yet.
//
// The decision is made once, by a conditional update on min_state = ''
// under the event's lock, so two sweeps running at once (two server
// processes) decide, cancel and warn once. A new start time (UpdateEvent,
// UpdateSeriesFrom) resets it.

// studioCancels are the reasons a booking is cancelled because the studio
// called its event off: visits come back and online payments are refunded
// in full.
var studioCancels = []string{CancelledByEventDeleted, CancelledByMinAttendees}

// studioCancelled tells whether a cancel with reason by is the studio
// calling the event off.
func studioCancelled(by string) bool {
	return by == CancelledByEventDeleted || by == CancelledByMinAttendees
}

// minCandidate is an undecided event with a minimum, as the sweep finds it.
type minCandidate struct {
	ID       int64     `bun:"id"`
	StartsAt time.Time `bun:"starts_at"`
	Hours    int       `bun:"hours"`
}

// DecideMinAttendees decides every event whose decision time has come and
// that has not started (an event the sweep missed until its start is left
// alone: calling off a class under way helps nobody). It returns how many
// it decided; an event that fails does not stop the others (their errors
// are joined), and is found again on the next run.
func (s *Store) DecideMinAttendees(ctx context.Context) (int, error) {
	now := s.now()
	var cands []minCandidate
	// Decision times differ per service, so the window is the longest one
	// and each event's own time is checked below.
	err := s.db.NewSelect().TableExpr("events AS e").
		Join("JOIN services AS s ON s.id = e.service_id").
		ColumnExpr("e.id, e.starts_at, s.min_decide_hours AS hours").
		Where("e.deleted_at IS NULL AND e.min_state = ?", MinUndecided).
		Where("COALESCE(e.min_attendees, s.min_attendees) > 0").
		Where("e.starts_at > ? AND e.starts_at <= ?", now, now.Add(MaxMinDecideHours*time.Hour)).
		Order("e.starts_at", "e.id").
		Scan(ctx, &cands)
	if err != nil {
		return 0, fmt.Errorf("events to decide: %w", err)
	}
	decided := 0
	var errs []error
	for _, c := range cands {
		if c.StartsAt.Add(-time.Duration(c.Hours) * time.Hour).After(now) {
			continue
		}
		ok, err := s.decideMin(ctx, c.ID, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("minimum of event %d: %w", c.ID, err))
			continue
		}
		if ok {
			decided++
		}
	}
	return decided, errors.Join(errs...)
}

// decideMin decides one event's minimum, once: false when it was decided
// meanwhile, or no longer needs a decision.
func (s *Store) decideMin(ctx context.Context, eventID int64, now time.Time) (bool, error) {
	decided := false
	err := s.inTx(ctx, func(tx bun.Tx) error {
		if err := s.lockEvents(ctx, tx, eventID); err != nil {
			return err
		}
		ev := new(Event)
		if err := tx.NewSelect().Model(ev).Where("id = ?", eventID).Scan(ctx); err != nil {
			return notFound(err, "event", eventID)
		}
		if ev.DeletedAt != nil || ev.MinState != MinUndecided || !ev.StartsAt.After(now) {
			return nil
		}
		svc := new(Service)
		if err := tx.NewSelect().Model(svc).Where("id = ?", ev.ServiceID).Scan(ctx); err != nil {
			return notFound(err, "service", ev.ServiceID)
		}
		min, at := effectiveMin(ev, svc), minDecideAt(ev, svc)
		if min == 0 || at.After(now) {
			// Changed since the sweep read it.
			return nil
		}
		loc := new(Location)
		if err := tx.NewSelect().Model(loc).Where("id = ?", ev.LocationID).Scan(ctx); err != nil {
			return notFound(err, "location", ev.LocationID)
		}
		booked, err := bookedSeats(ctx, tx, ev.ID)
		if err != nil {
			return err
		}
		state := minVerdict(ev, at, booked, min, loc.MinAutoCancel)
		res, err := tx.NewUpdate().Model((*Event)(nil)).Set("min_state = ?", state).
			Where("id = ? AND min_state = ? AND deleted_at IS NULL", ev.ID, MinUndecided).Exec(ctx)
		if err != nil {
			return fmt.Errorf("decide minimum of event %d: %w", ev.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another sweep decided it first
		}
		decided = true
		ev.MinState = state
		switch state {
		case MinCancelled:
			_, err = s.callOffEvent(ctx, tx, ev, CancelledByMinAttendees, now)
		case MinWarned:
			err = queueStaffMinWarning(ctx, tx, loc, ev, booked, min, now)
		}
		return err
	})
	return decided, err
}

// minVerdict is the decision for an event decided at `at` with booked of
// min seats. An event created after its own decision time was put on the
// schedule by staff knowing how few had booked: it runs.
func minVerdict(ev *Event, at time.Time, booked, min int, autoCancel bool) MinState {
	switch {
	case booked >= min || ev.CreatedAt.After(at):
		return MinOK
	case autoCancel:
		return MinCancelled
	}
	return MinWarned
}

// bookedSeats sums the seats of an event's active bookings (held ones
// included: see the top of this file).
func bookedSeats(ctx context.Context, tx bun.Tx, eventID int64) (int, error) {
	var n int
	err := tx.NewSelect().Model((*Booking)(nil)).ColumnExpr("COALESCE(SUM(seats), 0)").
		Where("event_id = ? AND status <> ?", eventID, StatusCancelled).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("seats booked in event %d: %w", eventID, err)
	}
	return n, nil
}

// queueStaffMinWarning e-mails staff that ev has booked seats of its min
// at its decision time. Warnings go whatever Location.StaffEmailNotify
// says: that setting is about routine bookings, and without the warning
// nobody would know to call the class off.
func queueStaffMinWarning(ctx context.Context, tx bun.Tx, loc *Location, ev *Event, booked, min int, now time.Time) error {
	svc := new(Service)
	if err := tx.NewSelect().Model(svc).Column("name").Where("id = ?", ev.ServiceID).Scan(ctx); err != nil {
		return fmt.Errorf("service %d: %w", ev.ServiceID, err)
	}
	p := MessagePayload{
		Items: []MessageItem{{Service: svc.Name, Start: ev.StartsAt.UTC(), Seats: booked, Minutes: ev.DurationMin}},
		Staff: &MessageStaff{EventID: ev.ID, Booked: booked, Min: min},
	}
	return queueStaffRows(ctx, tx, loc, MsgStaffMinWarning, 0, 0, p, now)
}
