package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// ExpireHold releases a held group whose hold ran out: seats back, the
// bookings cancelled (CancelledByPaymentExpired), the group expired, and a
// job per open session to expire it at Stripe. It is a conditional update:
// two workers releasing at once release once (released is false for the
// second). The job runs at the hold's end; the time is not checked again
// here, so a payment arriving a moment later is refunded as late.
func (s *Store) ExpireHold(ctx context.Context, groupID int64) (released bool, err error) {
	err = s.inSeatsTx(ctx, func(tx bun.Tx) error {
		released, err = s.releaseHold(ctx, tx, groupID, s.now())
		return err
	})
	return released, err
}

// releaseHold is ExpireHold inside a transaction. The state change is the
// guard: on PostgreSQL a second releaser waits for the first's row lock,
// then finds the state changed and updates nothing; on SQLite writers run
// one at a time.
func (s *Store) releaseHold(ctx context.Context, tx bun.Tx, groupID int64, now time.Time) (bool, error) {
	r, err := tx.NewUpdate().Model((*Group)(nil)).
		Set("state = ?", GroupExpired).
		Where("id = ? AND state = ?", groupID, GroupPendingPayment).
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("expire group %d: %w", groupID, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return false, nil
	}
	var eventIDs []int64
	if err := tx.NewSelect().Model((*Booking)(nil)).Column("event_id").
		Where("group_id = ? AND status <> ?", groupID, StatusCancelled).Scan(ctx, &eventIDs); err != nil {
		return false, fmt.Errorf("held bookings of group %d: %w", groupID, err)
	}
	if err := s.lockEvents(ctx, tx, slices.Compact(slices.Sorted(slices.Values(eventIDs)))...); err != nil {
		return false, err
	}
	// Read again under the events' locks: what is cancelled is what holds
	// seats now.
	var held []Booking
	err = tx.NewUpdate().Model((*Booking)(nil)).
		Set("status = ?", StatusCancelled).
		Set("cancelled_by = ?", CancelledByPaymentExpired).
		Set("cancelled_at = ?", now).
		Set("updated_at = ?", now).
		Set("sequence = sequence + 1").
		Set("payment = ?", PaymentUnpaid).
		Where("group_id = ? AND status <> ? AND payment = ?", groupID, StatusCancelled, PaymentOnlinePending).
		Returning("*").Scan(ctx, &held)
	if err != nil && !isNoRows(err) {
		return false, fmt.Errorf("release bookings of group %d: %w", groupID, err)
	}
	for _, b := range held {
		if err := releaseSeats(ctx, tx, b.EventID, b.Seats); err != nil {
			return false, err
		}
	}
	for _, b := range held {
		if err := s.offerFreed(ctx, tx, b.EventID, now); err != nil {
			return false, err
		}
	}
	if err := s.supersedePayments(ctx, tx, groupID, now); err != nil {
		return false, err
	}
	return true, nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
