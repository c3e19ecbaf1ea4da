package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// GroupByToken opens a client's manage page: the group and its bookings.
func (s *Store) GroupByToken(ctx context.Context, token string) (*Reservation, error) {
	if token == "" {
		return nil, fmt.Errorf("group token: %w", ErrNotFound)
	}
	g := new(Group)
	if err := s.db.NewSelect().Model(g).Where("token = ?", token).Scan(ctx); err != nil {
		return nil, notFound(err, "group token", "(hidden)")
	}
	return s.groupReservation(ctx, g)
}

// CancelByClient cancels one booking of the group the token opens, if the
// booking's link allows it and the cutoff has not passed. clientIP is the
// client's address, which the SMS limits count.
func (s *Store) CancelByClient(ctx context.Context, token string, bookingID int64, clientIP string) (*Booking, error) {
	res, err := s.GroupByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	var link *Link
	if res.Group.LinkID != 0 {
		if link, err = s.Link(ctx, res.Group.LinkID); err != nil {
			return nil, err
		}
	}
	return s.cancel(ctx, bookingID, CancelledByClient, s.widgetOrigin(res.Group.LinkID, clientIP), func(b *Booking, ev *Event) error {
		if b.GroupID != res.Group.ID {
			// Another group's booking: the token does not open it.
			return fmt.Errorf("booking %d: %w", bookingID, ErrNotFound)
		}
		if b.Payment == PaymentOnlinePending {
			// Held for a payment under way: it is paid or released as a
			// whole group, never cancelled from under the payment.
			return fmt.Errorf("booking %d awaits its online payment: %w", bookingID, ErrCancelNotAllowed)
		}
		return CanClientCancel(b, ev, link, s.now())
	})
}

// CancelByAdmin cancels a booking at any time.
func (s *Store) CancelByAdmin(ctx context.Context, bookingID int64) (*Booking, error) {
	return s.cancel(ctx, bookingID, CancelledByAdmin, nil, func(b *Booking, _ *Event) error {
		if !b.Active() {
			return ErrAlreadyCancelled
		}
		return nil
	})
}

func (s *Store) cancel(ctx context.Context, bookingID int64, by string, origin *smsOrigin, allow func(*Booking, *Event) error) (*Booking, error) {
	var out *Booking
	err := s.inSeatsTx(ctx, func(tx bun.Tx) error {
		b, err := s.lockBooking(ctx, tx, bookingID)
		if err != nil {
			return err
		}
		ev := new(Event)
		if err := tx.NewSelect().Model(ev).Where("id = ?", b.EventID).Scan(ctx); err != nil {
			return fmt.Errorf("event %d: %w", b.EventID, err)
		}
		if err := allow(b, ev); err != nil {
			return err
		}
		now := s.now()
		was := b.Status
		b.Status, b.CancelledBy, b.CancelledAt, b.UpdatedAt = StatusCancelled, by, &now, now
		b.Sequence++
		if _, err := tx.NewUpdate().Model(b).WherePK().
			Column("status", "cancelled_by", "cancelled_at", "updated_at", "sequence").Exec(ctx); err != nil {
			return fmt.Errorf("cancel booking %d: %w", bookingID, err)
		}
		if err := releaseSeats(ctx, tx, b.EventID, b.Seats); err != nil {
			return err
		}
		if b.Payment == PaymentPass && b.PassID != 0 {
			back, err := visitsDueBack(ctx, tx, b, was, ev, by, now)
			if err != nil {
				return err
			}
			if back {
				if err := s.returnVisits(ctx, tx, b, now); err != nil {
					return err
				}
			}
		}
		if err := refundOnCancel(ctx, tx, b, by, now); err != nil {
			return err
		}
		if err := queueCancelled(ctx, tx, b, ev, by, origin, now); err != nil {
			return err
		}
		if by == CancelledByClient {
			if err := queueStaffCancelled(ctx, tx, b, ev, now); err != nil {
				return err
			}
		}
		if err := s.offerFreed(ctx, tx, b.EventID, now); err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, err
}

// queueCancelled tells the client a booking was cancelled (saying by whom)
// and drops its reminder. origin is the widget client who cancelled, nil
// for staff.
func queueCancelled(ctx context.Context, tx bun.Tx, b *Booking, ev *Event, by string, origin *smsOrigin, now time.Time) error {
	return queueAboutBooking(ctx, tx, b, ev, now, func(w *outboxWriter, to recipient, p MessagePayload) error {
		p.By = by
		w.origin = origin
		return w.add(ctx, SMSCancelled, to, b.Lang, b.GroupID, b.ID, p, now)
	})
}

// queueAboutBooking prepares a message about one booking (now of event
// ev): its pending reminder is dropped, and send gets the writer, the
// client's contacts and a payload holding the booking. Nothing happens when
// the location has SMS off.
func queueAboutBooking(ctx context.Context, tx bun.Tx, b *Booking, ev *Event, now time.Time, send func(*outboxWriter, recipient, MessagePayload) error) error {
	w, err := newOutboxWriter(ctx, tx, b.LocationID, now)
	if err != nil || !w.on() {
		return err
	}
	if err := w.skipReminders(ctx, b.ID); err != nil {
		return err
	}
	to, err := clientContact(ctx, tx, b.ClientID)
	if err != nil {
		return err
	}
	it, err := w.item(ctx, b, ev)
	if err != nil {
		return err
	}
	return send(w, to, MessagePayload{Items: []MessageItem{it}, Token: w.token(ctx, b.GroupID)})
}

// lockBooking locks the booking's event (and any extra events, all in id
// order) and returns the booking as it is under the lock. Every path that
// changes a booking locks its event first, so once locked it cannot change.
func (s *Store) lockBooking(ctx context.Context, tx bun.Tx, id int64, extra ...int64) (*Booking, error) {
	b := new(Booking)
	if err := tx.NewSelect().Model(b).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "booking", id)
	}
	ids := uniqueIDs(append([]int64{b.EventID}, extra...))
	sortIDs(ids)
	if err := s.lockEvents(ctx, tx, ids...); err != nil {
		return nil, err
	}
	locked := new(Booking)
	if err := tx.NewSelect().Model(locked).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "booking", id)
	}
	if locked.EventID != b.EventID {
		return nil, fmt.Errorf("booking %d moved meanwhile: %w", id, ErrConflict)
	}
	return locked, nil
}
