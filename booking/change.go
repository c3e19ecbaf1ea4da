package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

func sortIDs(ids []int64) { slices.Sort(ids) }

// MoveBooking moves a booking to another event of the same service, freeing
// the old seats and taking the new ones in one transaction.
func (s *Store) MoveBooking(ctx context.Context, bookingID, toEventID int64) (*Booking, error) {
	var out *Booking
	err := s.inSeatsTx(ctx, func(tx bun.Tx) error {
		b, err := s.lockBooking(ctx, tx, bookingID, toEventID)
		if err != nil {
			return err
		}
		if !b.Active() {
			return fmt.Errorf("booking %d: %w", bookingID, ErrAlreadyCancelled)
		}
		if b.EventID == toEventID {
			out = b
			return nil
		}
		events, err := loadEvents(ctx, tx, []int64{b.EventID, toEventID})
		if err != nil {
			return err
		}
		from, to := events[b.EventID], events[toEventID]
		if to == nil || to.LocationID != b.LocationID || to.DeletedAt != nil {
			return fmt.Errorf("target event %d: %w", toEventID, ErrNotFound)
		}
		if to.ServiceID != from.ServiceID {
			return fmt.Errorf("target event %d: %w", toEventID, ErrDifferentService)
		}
		if err := s.move(ctx, tx, b, from, to, nil); err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, err
}

// move does the part of a move both staff (MoveBooking) and clients
// (RescheduleByClient) share, once the caller has locked both events and
// checked its own rules: the client not already in the target, the pass
// still paying, the seats taken in to and given back in from, the booking's
// Sequence raised (so calendars replace the old entry), the client told
// with its reminder moved, and the freed seats offered to the waitlist.
// origin is the widget client who moved it (counted by the SMS limits),
// nil for staff. Payment fields stay as they are: a paid booking stays paid.
func (s *Store) move(ctx context.Context, tx bun.Tx, b *Booking, from, to *Event, origin *smsOrigin) error {
	dup, err := tx.NewSelect().Model((*Booking)(nil)).
		Where("event_id = ? AND client_id = ? AND visitor_name = ? AND status <> ?", to.ID, b.ClientID, b.VisitorName, StatusCancelled).
		Exists(ctx)
	if err != nil {
		return fmt.Errorf("check target bookings: %w", err)
	}
	if dup {
		return fmt.Errorf("target event %d: %w", to.ID, ErrAlreadyBooked)
	}
	if err := s.checkPassMove(ctx, tx, b, to); err != nil {
		return err
	}
	if err := s.takeSeatsIn(ctx, tx, to.ID, b.Seats); err != nil {
		return err
	}
	if err := releaseSeats(ctx, tx, from.ID, b.Seats); err != nil {
		return err
	}
	b.EventID, b.UpdatedAt = to.ID, s.now()
	b.Sequence++
	if _, err := tx.NewUpdate().Model(b).WherePK().Column("event_id", "updated_at", "sequence").Exec(ctx); err != nil {
		return fmt.Errorf("move booking %d: %w", b.ID, err)
	}
	if err := queueMoved(ctx, tx, b, from, to, origin, b.UpdatedAt); err != nil {
		return err
	}
	return s.offerFreed(ctx, tx, from.ID, b.UpdatedAt)
}

// ChangeSeats sets a booking's seat count; more seats are taken only if free.
func (s *Store) ChangeSeats(ctx context.Context, bookingID int64, seats int) (*Booking, error) {
	if seats < 1 || seats > MaxSeatsLimit {
		return nil, FieldErrors{"seats": MsgSeatsOutOfRange}
	}
	var out *Booking
	err := s.inSeatsTx(ctx, func(tx bun.Tx) error {
		b, err := s.lockBooking(ctx, tx, bookingID)
		if err != nil {
			return err
		}
		if !b.Active() {
			return fmt.Errorf("booking %d: %w", bookingID, ErrAlreadyCancelled)
		}
		if b.Payment == PaymentOnlinePending {
			// The client is paying for these seats: the amount is fixed.
			return fmt.Errorf("booking %d: %w", bookingID, ErrPaymentPending)
		}
		if err := s.adjustPassSeats(ctx, tx, b, seats, s.now()); err != nil {
			return err
		}
		switch delta := seats - b.Seats; {
		case delta > 0:
			if err := s.takeSeatsIn(ctx, tx, b.EventID, delta); err != nil {
				return err
			}
		case delta < 0:
			if err := releaseSeats(ctx, tx, b.EventID, -delta); err != nil {
				return err
			}
		}
		freed := seats < b.Seats
		b.Seats, b.UpdatedAt = seats, s.now()
		if _, err := tx.NewUpdate().Model(b).WherePK().Column("seats", "updated_at").Exec(ctx); err != nil {
			return fmt.Errorf("change seats of booking %d: %w", bookingID, err)
		}
		if freed {
			if err := s.offerFreed(ctx, tx, b.EventID, b.UpdatedAt); err != nil {
				return err
			}
		}
		out = b
		return nil
	})
	return out, err
}

// SetStatus marks an active booking expected, confirmed, arrived or no-show.
// Cancelling goes through CancelByAdmin, which also frees the seats.
func (s *Store) SetStatus(ctx context.Context, bookingID int64, st Status) (*Booking, error) {
	if !st.Valid() || st == StatusCancelled {
		return nil, FieldErrors{"status": MsgInvalidStatus}
	}
	return s.updateActive(ctx, bookingID, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", st)
	})
}

// SetComment changes a booking's comment (at most 200 characters).
func (s *Store) SetComment(ctx context.Context, bookingID int64, comment string) (*Booking, error) {
	comment = strings.TrimSpace(comment)
	c := newChecker()
	c.text("comment", comment, false, MaxCommentLen)
	if err := c.err(); err != nil {
		return nil, err
	}
	return s.updateActive(ctx, bookingID, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("comment = ?", comment)
	})
}

// updateActive applies a change that does not touch seats to a live booking.
func (s *Store) updateActive(ctx context.Context, bookingID int64, set func(*bun.UpdateQuery) *bun.UpdateQuery) (*Booking, error) {
	b := new(Booking)
	defer s.writeTurn(ctx)()
	q := s.db.NewUpdate().Model(b).
		Set("updated_at = ?", s.now()).
		Where("id = ? AND status <> ?", bookingID, StatusCancelled).
		Returning("*")
	err := set(q).Scan(ctx)
	switch {
	case err == nil:
		return b, nil
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("update booking %d: %w", bookingID, err)
	}
	if _, err := s.Booking(ctx, bookingID); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("booking %d: %w", bookingID, ErrAlreadyCancelled)
}

// Booking loads one booking.
func (s *Store) Booking(ctx context.Context, id int64) (*Booking, error) {
	b := new(Booking)
	if err := s.db.NewSelect().Model(b).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "booking", id)
	}
	return b, nil
}

// EventBookings lists an event's bookings, active first, oldest first.
func (s *Store) EventBookings(ctx context.Context, eventID int64) ([]Booking, error) {
	var out []Booking
	err := s.db.NewSelect().Model(&out).Where("event_id = ?", eventID).
		OrderExpr("CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END, id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("event %d bookings: %w", eventID, err)
	}
	return out, nil
}

// queueMoved tells the client the booking's new time and moves its reminder.
// The item carries the old start too, and both team members' names when
// the move changed the team member. origin is the widget client who moved
// it, nil for staff.
func queueMoved(ctx context.Context, tx bun.Tx, b *Booking, from, to *Event, origin *smsOrigin, now time.Time) error {
	return queueAboutBooking(ctx, tx, b, to, now, func(w *outboxWriter, rc recipient, p MessagePayload) error {
		w.origin = origin
		old := from.StartsAt.UTC()
		p.From = &old
		p.Items[0].From = &old
		if from.TeamMemberID != to.TeamMemberID {
			names, err := memberNames(ctx, tx, from.TeamMemberID, to.TeamMemberID)
			if err != nil {
				return err
			}
			p.Items[0].FromMember, p.Items[0].Member = names[from.TeamMemberID], names[to.TeamMemberID]
		}
		if err := w.add(ctx, SMSMoved, rc, b.Lang, b.GroupID, b.ID, p, now); err != nil {
			return err
		}
		return w.reminder(ctx, rc, b, to)
	})
}

// memberNames reads team members' names by id.
func memberNames(ctx context.Context, db bun.IDB, ids ...int64) (map[int64]string, error) {
	var list []TeamMember
	if err := db.NewSelect().Model(&list).Column("id", "name").Where("id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("team member names: %w", err)
	}
	out := make(map[int64]string, len(list))
	for _, m := range list {
		out[m.ID] = m.Name
	}
	return out, nil
}
