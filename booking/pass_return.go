package booking

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// returnVisits gives the visits of a cancelled booking back to the pass
// that paid it, as a return entry. The caller holds the booking's event
// lock, so the pass lock comes after it (lockPass).
func (s *Store) returnVisits(ctx context.Context, tx bun.Tx, b *Booking, now time.Time) error {
	p, _, err := s.lockPass(ctx, tx, PassRef{LocationID: b.LocationID, ClientID: b.ClientID, PassID: b.PassID}, 0)
	if err != nil {
		return err
	}
	v := b.Seats
	if p.Unlimited() {
		v = 0
	}
	e := &PassEntry{PassID: p.ID, LocationID: p.LocationID, Kind: EntryReturn, Visits: v, BookingID: b.ID, CreatedAt: now}
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("return visits of booking %d to pass %d: %w", b.ID, p.ID, err)
	}
	return nil
}

// visitsDueBack decides whether cancelling a pass-paid booking gives its
// visits back: yes when the studio cancels (the event was deleted or did
// not reach its minimum) or the cancel comes before the cutoff of the link
// the booking came through (the start itself for a staff booking); a late
// cancel or a no-show keeps them unless the location says otherwise. was
// is the booking's status before the cancel.
func visitsDueBack(ctx context.Context, tx bun.Tx, b *Booking, was Status, ev *Event, by string, now time.Time) (bool, error) {
	loc := new(Location)
	if err := tx.NewSelect().Model(loc).Where("id = ?", b.LocationID).Scan(ctx); err != nil {
		return false, notFound(err, "location", b.LocationID)
	}
	if loc.ReturnVisitsLateCancel || studioCancelled(by) {
		return true, nil
	}
	if was == StatusNoShow {
		return false, nil
	}
	var cutoff time.Duration
	if b.LinkID != 0 {
		link := new(Link)
		if err := tx.NewSelect().Model(link).Where("id = ?", b.LinkID).Scan(ctx); err != nil {
			return false, notFound(err, "link", b.LinkID)
		}
		cutoff = link.CancelCutoff()
	}
	return now.Before(ev.StartsAt.Add(-cutoff)), nil
}

// returnVisitsOfDeleted returns the visits of an event's bookings that
// passes paid, cancelled because the event was deleted. Passes are locked
// in id order, so two deletions sharing passes cannot deadlock.
func (s *Store) returnVisitsOfDeleted(ctx context.Context, tx bun.Tx, cancelled []Booking, now time.Time) error {
	paid := make([]*Booking, 0, len(cancelled))
	for i := range cancelled {
		if cancelled[i].Payment == PaymentPass && cancelled[i].PassID != 0 {
			paid = append(paid, &cancelled[i])
		}
	}
	slices.SortFunc(paid, func(a, b *Booking) int {
		if a.PassID != b.PassID {
			return int(a.PassID - b.PassID)
		}
		return int(a.ID - b.ID)
	})
	for _, b := range paid {
		if err := s.returnVisits(ctx, tx, b, now); err != nil {
			return err
		}
	}
	return nil
}
