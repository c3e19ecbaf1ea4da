package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// LeaveWaitlist takes the entry out of line (or declines its offer, whose
// seats then go to the next). Leaving twice is not an error: a repeated
// click finds the entry already left.
func (s *Store) LeaveWaitlist(ctx context.Context, token string) error {
	if token == "" {
		return fmt.Errorf("waitlist token: %w", ErrNotFound)
	}
	e := new(WaitlistEntry)
	if err := s.db.NewSelect().Model(e).Column("id").Where("token = ?", token).Scan(ctx); err != nil {
		return notFound(err, "waitlist token", "(hidden)")
	}
	return s.endEntry(ctx, e.ID, func(e *WaitlistEntry, _ time.Time) (WaitlistState, error) {
		switch {
		case e.State == WaitLeft:
			return "", nil
		case !e.State.InLine():
			return "", fmt.Errorf("entry %d is %s: %w", e.ID, e.State, ErrOfferGone)
		}
		return WaitLeft, nil
	})
}

// RemoveWaitlistEntry takes an entry out of line (staff); its offer's
// seats go to the next. An entry no longer in line (it left, was booked,
// or another staff member removed it) is ErrConflict.
func (s *Store) RemoveWaitlistEntry(ctx context.Context, entryID int64) error {
	return s.endEntry(ctx, entryID, func(e *WaitlistEntry, _ time.Time) (WaitlistState, error) {
		if !e.State.InLine() {
			return "", fmt.Errorf("entry %d is %s: %w", e.ID, e.State, ErrConflict)
		}
		return WaitRemoved, nil
	})
}

// ExpireOffer ends an offer whose time ran out (once) and offers its seats
// to the next; the job worker runs it at the offer's end. An offer that
// was claimed, declined or made again later is left alone (false).
//
// In first-to-claim mode an offer whose party no longer fits the free
// seats could not have been claimed (others took them first): it goes
// back to waiting with its place, instead of out of line.
func (s *Store) ExpireOffer(ctx context.Context, entryID int64) (bool, error) {
	var ended bool
	err := s.endEntry(ctx, entryID, func(e *WaitlistEntry, now time.Time) (WaitlistState, error) {
		if e.State != WaitOffered || e.OfferUntil == nil || now.Before(*e.OfferUntil) {
			return "", nil
		}
		ended = true
		return WaitExpired, nil
	})
	return ended, err
}

// endEntry moves an entry out of an offer or out of line, under its
// event's lock: decide reads the locked entry and returns its new state
// ("" for no change). A reserved offer's seats are given back and the
// event's free seats offered again (the cascade).
func (s *Store) endEntry(ctx context.Context, entryID int64, decide func(*WaitlistEntry, time.Time) (WaitlistState, error)) error {
	return s.inSeatsTx(ctx, func(tx bun.Tx) error {
		e, err := lockEntry(ctx, s, tx, entryID)
		if err != nil {
			return err
		}
		now := s.now()
		state, err := decide(e, now)
		if err != nil || state == "" {
			return err
		}
		if state == WaitExpired && !e.Reserved {
			if fits, err := entryFits(ctx, tx, e); err != nil {
				return err
			} else if !fits {
				state = WaitWaiting
			}
		}
		was := *e
		e.State, e.Reserved, e.UpdatedAt = state, false, now
		if state == WaitWaiting {
			e.OfferedAt, e.OfferUntil = nil, nil
		}
		r, err := tx.NewUpdate().Model(e).WherePK().Where("state = ?", was.State).
			Column("state", "reserved", "offered_at", "offer_until", "updated_at").Exec(ctx)
		if err != nil {
			return fmt.Errorf("waitlist entry %d to %s: %w", e.ID, state, err)
		}
		if n, _ := r.RowsAffected(); n != 1 {
			return fmt.Errorf("waitlist entry %d: %w", e.ID, ErrConflict)
		}
		if was.Reserved {
			if err := releaseSeats(ctx, tx, e.EventID, e.Seats); err != nil {
				return err
			}
		}
		if was.State != WaitOffered {
			return nil
		}
		return s.offerFreed(ctx, tx, e.EventID, now)
	})
}

// lockEntry locks the entry's event (the lock every change to an event's
// line takes) and reads the entry under it.
func lockEntry(ctx context.Context, s *Store, tx bun.Tx, entryID int64) (*WaitlistEntry, error) {
	e := new(WaitlistEntry)
	if err := tx.NewSelect().Model(e).Column("event_id").Where("id = ?", entryID).Scan(ctx); err != nil {
		return nil, notFound(err, "waitlist entry", entryID)
	}
	if err := s.lockEvents(ctx, tx, e.EventID); err != nil {
		return nil, err
	}
	locked := new(WaitlistEntry)
	if err := tx.NewSelect().Model(locked).Where("id = ?", entryID).Scan(ctx); err != nil {
		return nil, notFound(err, "waitlist entry", entryID)
	}
	return locked, nil
}

// entryFits tells whether the entry's party fits the event's free seats.
func entryFits(ctx context.Context, tx bun.Tx, e *WaitlistEntry) (bool, error) {
	ev := new(Event)
	if err := tx.NewSelect().Model(ev).Column("capacity", "seats_taken").Where("id = ?", e.EventID).Scan(ctx); err != nil {
		return false, fmt.Errorf("event %d: %w", e.EventID, err)
	}
	return e.Seats <= ev.Capacity-ev.SeatsTaken, nil
}

// closeWaitlist closes an event's line (deleted or cancelled event). The
// caller has emptied the event's seats, reserved ones included; the
// clients are not messaged: those booked are, and a place in line for a
// class that will not run needs no claim.
func closeWaitlist(ctx context.Context, tx bun.Tx, eventID int64, now time.Time) error {
	_, err := tx.NewUpdate().Model((*WaitlistEntry)(nil)).
		Set("state = ?", WaitClosed).Set("reserved = ?", false).Set("updated_at = ?", now).
		Where("event_id = ? AND state IN (?)", eventID, bun.List(inLineStates)).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("close waitlist of event %d: %w", eventID, err)
	}
	return nil
}
