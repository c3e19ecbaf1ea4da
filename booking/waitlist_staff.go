package booking

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// MoveWaitlistEntry moves an entry in line one place up or down (staff),
// by swapping positions with its neighbour among the entries in line.
// At either end it changes nothing. Offers already made stay: the order
// decides who is offered the next seats.
func (s *Store) MoveWaitlistEntry(ctx context.Context, entryID int64, up bool) error {
	return s.inSeatsTx(ctx, func(tx bun.Tx) error {
		e, err := lockEntry(ctx, s, tx, entryID)
		if err != nil {
			return err
		}
		if !e.State.InLine() {
			return fmt.Errorf("entry %d is %s: %w", e.ID, e.State, ErrConflict)
		}
		q := tx.NewSelect().Model((*WaitlistEntry)(nil)).Column("id", "position").
			Where("event_id = ? AND state IN (?)", e.EventID, bun.List(inLineStates)).Limit(1)
		if up {
			q = q.Where("position < ?", e.Position).Order("position DESC")
		} else {
			q = q.Where("position > ?", e.Position).Order("position ASC")
		}
		var other WaitlistEntry
		if err := q.Scan(ctx, &other); err != nil {
			if isNoRows(err) {
				return nil
			}
			return fmt.Errorf("neighbour of entry %d: %w", e.ID, err)
		}
		now := s.now()
		// Positions are not unique in the schema, so a plain swap of the
		// two values is enough.
		for _, p := range []struct {
			id  int64
			pos int64
		}{{e.ID, other.Position}, {other.ID, e.Position}} {
			if _, err := tx.NewUpdate().Model((*WaitlistEntry)(nil)).
				Set("position = ?", p.pos).Set("updated_at = ?", now).Where("id = ?", p.id).Exec(ctx); err != nil {
				return fmt.Errorf("move entry %d: %w", p.id, err)
			}
		}
		return nil
	})
}

// BookWaitlistEntry books an entry's party as staff (its offered seats, or
// free ones) and marks it booked. It goes through Reserve as a staff
// booking claiming the entry (claimOffer), so every rule of a staff
// booking holds and the client gets the "booked" message; without free
// seats for a waiting entry it fails with ErrFull.
func (s *Store) BookWaitlistEntry(ctx context.Context, entryID, staffUserID int64) (*Reservation, error) {
	e := new(WaitlistEntry)
	if err := s.db.NewSelect().Model(e).Where("id = ?", entryID).Scan(ctx); err != nil {
		return nil, notFound(err, "waitlist entry", entryID)
	}
	if !e.State.InLine() {
		return nil, fmt.Errorf("entry %d is %s: %w", e.ID, e.State, ErrConflict)
	}
	cl, err := s.Client(ctx, e.ClientID)
	if err != nil {
		return nil, err
	}
	return s.Reserve(ctx, ReserveRequest{
		LocationID: e.LocationID, EventIDs: []int64{e.EventID}, Seats: e.Seats,
		Client: ClientInput{Phone: cl.Phone, FirstName: cl.FirstName, LastName: cl.LastName, Email: cl.Email},
		Lang:   e.Lang, UTM: e.UTM, OfferToken: e.Token, StaffUserID: staffUserID,
		// One key per entry: a double click books once.
		Key: fmt.Sprintf("waitlist-%d", e.ID),
	})
}
