package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// checkPassMove refuses to move a pass-paid booking to an event its pass
// does not pay for: another service, or a date outside its validity. The
// visits stay spent; the payment moves with the booking. The caller holds
// both events' locks.
func (s *Store) checkPassMove(ctx context.Context, tx bun.Tx, b *Booking, to *Event) error {
	if b.Payment != PaymentPass || b.PassID == 0 {
		return nil
	}
	p, covers, err := s.lockPass(ctx, tx, PassRef{LocationID: b.LocationID, ClientID: b.ClientID, PassID: b.PassID}, to.ServiceID)
	if err != nil {
		return err
	}
	if !covers {
		return fmt.Errorf("pass %d: %w", p.ID, ErrPassNotCovering)
	}
	zone, err := locationZone(ctx, tx, b.LocationID)
	if err != nil {
		return err
	}
	date := eventDate(to, zone)
	if p.StartsOn != "" && (date < p.StartsOn || date > p.ValidUntil) {
		return &PassNotValidError{PassID: p.ID, EventID: to.ID, Date: date, ValidFrom: p.StartsOn, ValidUntil: p.ValidUntil}
	}
	return nil
}

// adjustPassSeats keeps a pass-paid booking's visits in step with a change
// of its seats: more seats spend more visits (refused as for a booking
// when the pass cannot pay them), fewer give them back. The caller holds
// the event's lock.
func (s *Store) adjustPassSeats(ctx context.Context, tx bun.Tx, b *Booking, seats int, now time.Time) error {
	delta := seats - b.Seats
	if b.Payment != PaymentPass || b.PassID == 0 || delta == 0 {
		return nil
	}
	ev := new(Event)
	if err := tx.NewSelect().Model(ev).Where("id = ?", b.EventID).Scan(ctx); err != nil {
		return fmt.Errorf("event %d: %w", b.EventID, err)
	}
	p, covers, err := s.lockPass(ctx, tx, PassRef{LocationID: b.LocationID, ClientID: b.ClientID, PassID: b.PassID}, ev.ServiceID)
	if err != nil {
		return err
	}
	if delta < 0 {
		v := -delta
		if p.Unlimited() {
			v = 0
		}
		e := &PassEntry{PassID: p.ID, LocationID: p.LocationID, Kind: EntryReturn, Visits: v, BookingID: b.ID, CreatedAt: now}
		if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
			return fmt.Errorf("return seats of booking %d to pass %d: %w", b.ID, p.ID, err)
		}
		return nil
	}
	zone, err := locationZone(ctx, tx, b.LocationID)
	if err != nil {
		return err
	}
	uses := []passUse{{BookingID: b.ID, EventID: ev.ID, Date: eventDate(ev, zone), Seats: delta}}
	start, err := checkPassUses(p, covers, uses)
	if err != nil {
		return err
	}
	return spendPass(ctx, tx, p, start, uses, 0, now)
}

func locationZone(ctx context.Context, db bun.IDB, locationID int64) (*time.Location, error) {
	loc := new(Location)
	if err := db.NewSelect().Model(loc).Where("id = ?", locationID).Scan(ctx); err != nil {
		return nil, notFound(err, "location", locationID)
	}
	return loc.Zone(), nil
}
