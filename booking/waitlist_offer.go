package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// offerFreed offers an event's free seats to its waitlist. It is called in
// the transaction of every change that frees seats, with the event's row
// locked, so the seats counted free here are free until it commits.
//
// In order (WaitlistInOrder) the waiting entries are walked by position;
// each whose party fits the seats still free is offered them, and the
// offer takes them into seats_taken (the no-oversell guard then keeps
// anyone else off them until the claim or the offer's end). A party that
// does not fit keeps its place and a later, smaller one is offered
// meanwhile: seats no one in line can use would otherwise stay empty.
// First to claim (WaitlistFirstClaim) tells every waiting entry that fits
// and reserves nothing; the first claim wins.
//
// An offer lasts the location's claim window but ends no later than the
// entry's link stops online booking (start minus its buffer); when that
// has passed no offer is made at all. Each offer queues its end as a job
// and the "offer" message.
func (s *Store) offerFreed(ctx context.Context, tx bun.Tx, eventID int64, now time.Time) error {
	var waiting []WaitlistEntry
	// The line is read first: most events have none, and then this is one
	// indexed read.
	// A client who got into the event meanwhile (booked it directly) is
	// passed over: a claim would be refused as already booked, and the
	// seats would sit reserved for nothing.
	if err := tx.NewSelect().Model(&waiting).
		Where("w.event_id = ? AND w.state = ?", eventID, WaitWaiting).
		Where("NOT EXISTS (SELECT 1 FROM bookings AS b WHERE b.event_id = w.event_id AND b.client_id = w.client_id AND b.visitor_name = '' AND b.status <> ?)", StatusCancelled).
		Order("w.position").Scan(ctx); err != nil {
		return fmt.Errorf("waitlist of event %d: %w", eventID, err)
	}
	if len(waiting) == 0 {
		return nil
	}
	ev := new(Event)
	if err := tx.NewSelect().Model(ev).Where("id = ?", eventID).Scan(ctx); err != nil {
		return fmt.Errorf("waitlist event %d: %w", eventID, err)
	}
	free := ev.Capacity - ev.SeatsTaken
	if ev.DeletedAt != nil || !ev.StartsAt.After(now) || free <= 0 {
		return nil
	}
	w, err := newOutboxWriter(ctx, tx, ev.LocationID, now)
	if err != nil {
		return err
	}
	buffers, err := linkBuffers(ctx, tx, waiting)
	if err != nil {
		return err
	}
	reserve := w.loc.WaitlistMode != WaitlistFirstClaim
	window := time.Duration(w.loc.WaitlistClaimMin) * time.Minute
	for i := range waiting {
		e := &waiting[i]
		if e.Seats > free {
			continue
		}
		until := now.Add(window)
		if end := ev.StartsAt.Add(-buffers[e.LinkID]); end.Before(until) {
			until = end
		}
		if !until.After(now) {
			// Inside the link's buffer: the client could not book it.
			continue
		}
		if reserve {
			if err := s.takeSeatsIn(ctx, tx, eventID, e.Seats); err != nil {
				if errors.Is(err, ErrFull) {
					// Not free after all (the caller's count was stale):
					// never oversell for an offer.
					return nil
				}
				return err
			}
			free -= e.Seats
		}
		if err := s.makeOffer(ctx, tx, w, e, ev, reserve, until, now); err != nil {
			return err
		}
	}
	return nil
}

// makeOffer marks e offered until `until`, queues the offer's end and
// tells the client.
func (s *Store) makeOffer(ctx context.Context, tx bun.Tx, w *outboxWriter, e *WaitlistEntry, ev *Event, reserved bool, until, now time.Time) error {
	e.State, e.Reserved, e.OfferedAt, e.OfferUntil, e.UpdatedAt = WaitOffered, reserved, &now, &until, now
	r, err := tx.NewUpdate().Model(e).WherePK().Where("state = ?", WaitWaiting).
		Column("state", "reserved", "offered_at", "offer_until", "updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("offer waitlist entry %d: %w", e.ID, err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return fmt.Errorf("offer waitlist entry %d: %w", e.ID, ErrConflict)
	}
	// requeue, not enqueue: an entry offered again within the same second
	// (first to claim puts offers back to waiting) reuses the key, and its
	// new end must still be queued.
	if err := requeueJob(ctx, tx, JobOfferExpire, e.LocationID, e.ID, offerExpireKey(e.ID, now), until, now); err != nil {
		return err
	}
	if !w.on() {
		return nil
	}
	to, err := clientContact(ctx, tx, e.ClientID)
	if err != nil {
		return err
	}
	u := until.UTC()
	return queueWaitlistMessage(ctx, w, MsgWaitlistOffer, e, ev, to, MessageWaitlist{Token: e.Token, Seats: e.Seats, Until: &u})
}

// offerExpireKey names the job ending the offer made to an entry at
// offered: an entry offered again later gets a job of its own.
func offerExpireKey(entryID int64, offered time.Time) string {
	return fmt.Sprintf("offer_expire:%d:%d", entryID, offered.Unix())
}

// linkBuffers reads the buffer of every link the entries came through;
// an entry staff added (no link) has none.
func linkBuffers(ctx context.Context, tx bun.Tx, entries []WaitlistEntry) (map[int64]time.Duration, error) {
	var ids []int64
	for _, e := range entries {
		if e.LinkID != 0 {
			ids = append(ids, e.LinkID)
		}
	}
	out := map[int64]time.Duration{}
	if len(ids) == 0 {
		return out, nil
	}
	var links []Link
	if err := tx.NewSelect().Model(&links).Column("id", "buffer_min").Where("id IN (?)", bun.List(uniqueIDs(ids))).Scan(ctx); err != nil {
		return nil, fmt.Errorf("waitlist links: %w", err)
	}
	for i := range links {
		out[links[i].ID] = links[i].Buffer()
	}
	return out, nil
}
