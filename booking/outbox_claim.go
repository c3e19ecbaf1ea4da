package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// outboxQueue is the outbox as leased work (lease.go).
var outboxQueue = leaseQueue{name: "outbox", pending: OutboxPending, due: "next_attempt_at"}

// ClaimDue leases up to limit due messages to owner until now+lease (see
// claimLeased), so a worker that dies mid-send only delays its messages.
func (s *Store) ClaimDue(ctx context.Context, owner string, limit int, lease time.Duration) ([]OutboxMessage, error) {
	return claimLeased[OutboxMessage](ctx, s, outboxQueue, owner, limit, lease)
}

// finish updates a message the owner still holds; a worker whose lease ran
// out (and whose message another worker took) changes nothing.
func (s *Store) finish(ctx context.Context, m *OutboxMessage, owner string, set func(*bun.UpdateQuery) *bun.UpdateQuery) error {
	return finishLeased[OutboxMessage](ctx, s, outboxQueue, m.ID, owner, set)
}

// MarkSent records a message the provider accepted, with its id there.
func (s *Store) MarkSent(ctx context.Context, m *OutboxMessage, owner, sid string) error {
	return s.finish(ctx, m, owner, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", OutboxSent).Set("provider_sid = ?", sid).Set("sent_at = ?", s.now()).Set("last_error = ''")
	})
}

// MarkRetry schedules another attempt after a passing failure.
func (s *Store) MarkRetry(ctx context.Context, m *OutboxMessage, owner string, at time.Time, reason string) error {
	return s.finish(ctx, m, owner, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("next_attempt_at = ?", at.UTC()).Set("last_error = ?", truncate(reason, 500))
	})
}

// MarkFailed gives up on a message for good, keeping the reason for staff.
func (s *Store) MarkFailed(ctx context.Context, m *OutboxMessage, owner, reason string) error {
	return s.finish(ctx, m, owner, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", OutboxFailed).Set("last_error = ?", truncate(reason, 500))
	})
}

// MarkSkipped drops a message that no longer makes sense to send.
func (s *Store) MarkSkipped(ctx context.Context, m *OutboxMessage, owner, reason string) error {
	return s.finish(ctx, m, owner, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", OutboxSkipped).Set("last_error = ?", truncate(reason, 500))
	})
}

// MarkSuppressed keeps a message from ever being sent, by rule (its
// country is no longer among the location's), with the reason for staff.
func (s *Store) MarkSuppressed(ctx context.Context, m *OutboxMessage, owner, reason string) error {
	return s.finish(ctx, m, owner, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", OutboxSuppressed).Set("last_error = ?", truncate(reason, 500))
	})
}

// SetDeliveryStatus records what the provider reported later (delivered,
// undelivered, failed) for the message it knows by sid.
func (s *Store) SetDeliveryStatus(ctx context.Context, sid, status, errorCode string) error {
	defer s.quietTurn(ctx)()
	q := s.db.NewUpdate().Model((*OutboxMessage)(nil)).
		Set("delivery_status = ?", truncate(status, 40)).Set("updated_at = ?", s.now()).
		Where("provider_sid = ? AND provider_sid <> ''", sid)
	// Reports can arrive out of order: a late "sent" must not hide a final
	// "undelivered".
	if !finalDelivery[status] {
		q = q.Where("delivery_status NOT IN (?)", bun.List(finalDeliveryList))
	}
	if errorCode != "" {
		q = q.Set("last_error = ?", "delivery error "+truncate(errorCode, 20))
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return fmt.Errorf("delivery status of %s: %w", sid, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		exists, err := s.db.NewSelect().Model((*OutboxMessage)(nil)).Where("provider_sid = ? AND provider_sid <> ''", sid).Exists(ctx)
		if err != nil {
			return fmt.Errorf("delivery status of %s: %w", sid, err)
		}
		if !exists {
			return fmt.Errorf("message %s: %w", sid, ErrNotFound)
		}
	}
	return nil
}

// Final delivery states: once one is stored, later reports of an earlier
// state are ignored.
var (
	finalDeliveryList = []string{"delivered", "undelivered", "failed", "read"}
	finalDelivery     = map[string]bool{"delivered": true, "undelivered": true, "failed": true, "read": true}
)

// BookingMessages lists the messages about a booking (and its group's
// "booked" message, and a "changed" message about several bookings that
// went with its group), newest first, for the event window.
func (s *Store) BookingMessages(ctx context.Context, b *Booking) ([]OutboxMessage, error) {
	var out []OutboxMessage
	q := s.db.NewSelect().Model(&out).Where("booking_id = ?", b.ID)
	if b.GroupID != 0 {
		q = q.WhereOr("group_id = ? AND (kind = ? OR (kind = ? AND booking_id IS NULL))", b.GroupID, SMSBooked, SMSChanged)
	}
	if err := q.OrderExpr("id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("messages of booking %d: %w", b.ID, err)
	}
	return out, nil
}

// FailedMessages lists a location's messages that could not be sent or
// were reported undelivered, newest first.
func (s *Store) FailedMessages(ctx context.Context, locationID int64, limit int) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := s.db.NewSelect().Model(&out).
		Where("location_id = ?", locationID).
		Where("(status = ? OR delivery_status IN ('undelivered', 'failed'))", OutboxFailed).
		OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("failed messages: %w", err)
	}
	return out, nil
}

// BookingActive tells the worker whether a reminder's booking still holds
// its seats in a live event.
func (s *Store) BookingActive(ctx context.Context, bookingID int64) (bool, error) {
	n, err := s.db.NewSelect().TableExpr("bookings AS b").Join("JOIN events AS e ON e.id = b.event_id").
		Where("b.id = ? AND b.status <> ? AND e.deleted_at IS NULL", bookingID, StatusCancelled).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("booking %d active: %w", bookingID, err)
	}
	return n > 0, nil
}
