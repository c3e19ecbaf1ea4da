package booking

// Stubs of the issue 12 API, replaced by the real code as it lands (each
// helper deletes the stubs it implements). They keep every package
// building meanwhile.

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"
)

var errNotBuilt = errors.New("not built yet")

// --- waitlist core (waitlist_*.go) ---

// JoinWaitlist puts a client in line for a full event.
func (s *Store) JoinWaitlist(ctx context.Context, req JoinWaitlistRequest) (*WaitlistEntry, error) {
	return nil, errNotBuilt
}

// WaitlistByToken reads an entry for its client's page.
func (s *Store) WaitlistByToken(ctx context.Context, token string) (*WaitlistView, error) {
	return nil, errNotBuilt
}

// LeaveWaitlist takes the entry out of line (or declines its offer, whose
// seats then go to the next).
func (s *Store) LeaveWaitlist(ctx context.Context, token string) error { return errNotBuilt }

// EventWaitlist lists an event's entries for staff: in line first (in
// order), then the rest, newest first.
func (s *Store) EventWaitlist(ctx context.Context, eventID int64) ([]WaitlistRow, error) {
	return nil, errNotBuilt
}

// MoveWaitlistEntry moves an entry in line one place up or down (staff).
func (s *Store) MoveWaitlistEntry(ctx context.Context, entryID int64, up bool) error {
	return errNotBuilt
}

// RemoveWaitlistEntry takes an entry out of line (staff); its offer's
// seats go to the next.
func (s *Store) RemoveWaitlistEntry(ctx context.Context, entryID int64) error { return errNotBuilt }

// BookWaitlistEntry books an entry's party as staff (its offered seats, or
// free ones) and marks it booked.
func (s *Store) BookWaitlistEntry(ctx context.Context, entryID, staffUserID int64) (*Reservation, error) {
	return nil, errNotBuilt
}

// ExpireOffer ends an offer whose time ran out (once) and offers its seats
// to the next.
func (s *Store) ExpireOffer(ctx context.Context, entryID int64) (bool, error) {
	return false, errNotBuilt
}

// offerFreed offers an event's free seats to its waitlist (see
// waitlist_api.go); called in the transaction of every change that frees
// seats, with the event locked.
func (s *Store) offerFreed(ctx context.Context, tx bun.Tx, eventID int64, now time.Time) error {
	return nil
}

// claimOffer checks a ReserveRequest's OfferToken under the events' locks
// and gives the offer's reserved seats back for takeSeats to take again;
// nil without a token.
func (s *Store) claimOffer(ctx context.Context, tx bun.Tx, req *ReserveRequest, clientID int64, events map[int64]*lockedEvent, now time.Time) (*WaitlistEntry, error) {
	if req.OfferToken != "" {
		return nil, errNotBuilt
	}
	return nil, nil
}

// markClaimed records the booking group a claim made.
func markClaimed(ctx context.Context, tx bun.Tx, e *WaitlistEntry, groupID int64, now time.Time) error {
	return nil
}

// closeWaitlist closes an event's line (deleted or cancelled event).
func closeWaitlist(ctx context.Context, tx bun.Tx, eventID int64, now time.Time) error { return nil }
