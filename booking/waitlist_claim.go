package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// claimOffer checks a ReserveRequest's OfferToken under the events' locks
// (reserveTx calls it after lockAndLoadEvents) and gives the offer's
// reserved seats back, for takeSeats to take again under the normal rules
// in the same transaction; nil without a token. Any failure after this
// rolls the transaction back, seats and offer included.
//
// A client claims an offer that is still open, for its own phone and at
// most the offered seats. Staff moving an entry in (BookWaitlistEntry, no
// link) may also book a waiting entry, or an offer whose time ran out but
// whose end has not been processed yet: the seats are then taken from
// what is free, like any staff booking.
func (s *Store) claimOffer(ctx context.Context, tx bun.Tx, req *ReserveRequest, clientID int64, events map[int64]*lockedEvent, now time.Time) (*WaitlistEntry, error) {
	if req.OfferToken == "" {
		return nil, nil
	}
	e := new(WaitlistEntry)
	if err := tx.NewSelect().Model(e).Where("token = ?", req.OfferToken).Scan(ctx); err != nil {
		if isNoRows(err) {
			return nil, fmt.Errorf("offer token: %w", ErrOfferGone)
		}
		return nil, fmt.Errorf("offer token: %w", err)
	}
	if _, ok := events[e.EventID]; !ok || e.LocationID != req.LocationID {
		return nil, fmt.Errorf("entry %d is for event %d: %w", e.ID, e.EventID, ErrOfferGone)
	}
	staff := req.Link == nil
	switch {
	case e.State == WaitOffered && e.OfferUntil != nil && now.Before(*e.OfferUntil):
	case staff && e.State.InLine():
	default:
		return nil, fmt.Errorf("entry %d is %s: %w", e.ID, e.State, ErrOfferGone)
	}
	if e.ClientID != clientID {
		return nil, fmt.Errorf("entry %d: %w", e.ID, ErrOfferNotYours)
	}
	if req.Seats > e.Seats {
		return nil, FieldErrors{"seats": MsgSeatsOutOfRange}
	}
	if e.Reserved {
		if err := releaseSeats(ctx, tx, e.EventID, e.Seats); err != nil {
			return nil, err
		}
		// The row stops holding them; e.Reserved stays true in memory so
		// markClaimed knows the claim came from a reserving offer.
		if _, err := tx.NewUpdate().Model((*WaitlistEntry)(nil)).Set("reserved = ?", false).
			Where("id = ?", e.ID).Exec(ctx); err != nil {
			return nil, fmt.Errorf("unreserve entry %d: %w", e.ID, err)
		}
	}
	return e, nil
}

// markClaimed records the booking group a claim made and passes on what
// the claim left: seats of a smaller claim go to the next in line, and in
// first-to-claim mode the other offers that no longer fit go back to
// waiting (they keep their place; their claim could only fail now).
func (s *Store) markClaimed(ctx context.Context, tx bun.Tx, e *WaitlistEntry, groupID int64, seats int, now time.Time) error {
	wasReserved := e.Reserved
	e.State, e.GroupID, e.Reserved, e.UpdatedAt = WaitBooked, groupID, false, now
	r, err := tx.NewUpdate().Model(e).WherePK().Where("state IN (?)", bun.List(inLineStates)).
		Column("state", "group_id", "reserved", "updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark entry %d booked: %w", e.ID, err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return fmt.Errorf("mark entry %d booked: %w", e.ID, ErrOfferGone)
	}
	if !wasReserved {
		if err := requeueUnfitOffers(ctx, tx, e.EventID, now); err != nil {
			return err
		}
	}
	if wasReserved && seats >= e.Seats {
		return nil
	}
	return s.offerFreed(ctx, tx, e.EventID, now)
}

// requeueUnfitOffers puts unreserved offers (first to claim) whose party
// no longer fits the event's free seats back to waiting.
func requeueUnfitOffers(ctx context.Context, tx bun.Tx, eventID int64, now time.Time) error {
	ev := new(Event)
	if err := tx.NewSelect().Model(ev).Column("capacity", "seats_taken").Where("id = ?", eventID).Scan(ctx); err != nil {
		return fmt.Errorf("event %d: %w", eventID, err)
	}
	_, err := tx.NewUpdate().Model((*WaitlistEntry)(nil)).
		Set("state = ?", WaitWaiting).Set("offered_at = NULL").Set("offer_until = NULL").Set("updated_at = ?", now).
		Where("event_id = ? AND state = ? AND NOT reserved AND seats > ?", eventID, WaitOffered, ev.Capacity-ev.SeatsTaken).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("requeue offers of event %d: %w", eventID, err)
	}
	return nil
}
