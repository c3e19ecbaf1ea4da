package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// queueRefund writes a pending refund of amount from payment p (for a
// booking, or 0 for the whole payment) and the job that sends it.
func queueRefund(ctx context.Context, tx bun.Tx, p *OnlinePayment, bookingID, amount int64, currency, reason string, staffUserID int64, now time.Time) (*PaymentEntry, error) {
	e := &PaymentEntry{LocationID: p.LocationID, OnlinePaymentID: p.ID, BookingID: bookingID, Kind: EntryRefund,
		AmountMinor: amount, Currency: currency, Status: EntryPending, Reason: reason, StaffUserID: staffUserID,
		CreatedAt: now, UpdatedAt: now}
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return nil, fmt.Errorf("refund of payment %d: %w", p.ID, err)
	}
	if err := enqueueJob(ctx, tx, JobRefund, p.LocationID, e.ID, refundJobKey(e.ID), now, now); err != nil {
		return nil, err
	}
	return e, nil
}

// bookingMoney sums a booking's online money: what it paid (its share)
// and its refunds by status. Under the booking's event lock it is what a
// new refund may take from.
func bookingMoney(ctx context.Context, db bun.IDB, b *Booking) (BookingMoney, error) {
	m := BookingMoney{Currency: b.PaidCurrency}
	if b.Payment == PaymentOnline {
		m.PaidMinor = b.PaidAmountMinor
	}
	var entries []PaymentEntry
	if err := db.NewSelect().Model(&entries).Where("booking_id = ? AND kind = ?", b.ID, EntryRefund).Order("id").Scan(ctx); err != nil {
		return m, fmt.Errorf("refunds of booking %d: %w", b.ID, err)
	}
	for _, e := range entries {
		m.add(e)
	}
	return m, nil
}

func (m *BookingMoney) add(e PaymentEntry) {
	switch e.Status {
	case EntrySucceeded:
		m.RefundedMinor += e.AmountMinor
	case EntryPending:
		m.PendingMinor += e.AmountMinor
	case EntryFailed:
		m.FailedRefunds = append(m.FailedRefunds, e)
	}
}

// refundBookingTx refunds amount (0: all that is left) of a booking paid
// online whose event the caller has locked.
func refundBookingTx(ctx context.Context, tx bun.Tx, b *Booking, amount int64, reason string, staffUserID int64, now time.Time) (*PaymentEntry, error) {
	if b.Payment != PaymentOnline || b.OnlinePaymentID == 0 {
		return nil, fmt.Errorf("booking %d: %w", b.ID, ErrNotPaidOnline)
	}
	m, err := bookingMoney(ctx, tx, b)
	if err != nil {
		return nil, err
	}
	left := m.Refundable()
	if amount == 0 {
		amount = left
	}
	if amount <= 0 || amount > left {
		return nil, fmt.Errorf("refund %d of booking %d, %d left: %w", amount, b.ID, left, ErrRefundTooMuch)
	}
	p := new(OnlinePayment)
	if err := tx.NewSelect().Model(p).Where("id = ?", b.OnlinePaymentID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("payment of booking %d: %w", b.ID, err)
	}
	return queueRefund(ctx, tx, p, b.ID, amount, b.PaidCurrency, reason, staffUserID, now)
}

// refundOnCancel refunds what is left of a booking paid online that was
// just cancelled, when the cancel calls for it: the studio calling the
// event off (deleted, or below its minimum attendees) always, a client
// cancelling (before the cutoff, which CancelByClient enforces) when the
// location refunds client cancels.
// Staff cancels and late cancels keep the money: staff refund by hand.
func refundOnCancel(ctx context.Context, tx bun.Tx, b *Booking, by string, now time.Time) error {
	if b.Payment != PaymentOnline || b.OnlinePaymentID == 0 {
		return nil
	}
	reason := RefundEventDeleted
	switch {
	case studioCancelled(by):
	case by == CancelledByClient:
		var on bool
		if err := tx.NewSelect().Model((*Location)(nil)).Column("refund_on_client_cancel").Where("id = ?", b.LocationID).Scan(ctx, &on); err != nil {
			return fmt.Errorf("location %d refund setting: %w", b.LocationID, err)
		}
		if !on {
			return nil
		}
		reason = RefundClientCancel
	default:
		return nil
	}
	m, err := bookingMoney(ctx, tx, b)
	if err != nil || m.Refundable() <= 0 {
		return err
	}
	_, err = refundBookingTx(ctx, tx, b, 0, reason, 0, now)
	return err
}

// RefundBooking queues a staff refund (a pending ledger row and its job).
// The booking's event lock serialises refunds of one booking, so
// concurrent refunds never exceed what it paid.
func (s *Store) RefundBooking(ctx context.Context, in StaffRefund) (*PaymentEntry, error) {
	if in.AmountMinor < 0 {
		return nil, FieldErrors{"amount": MsgOutOfRange}
	}
	var out *PaymentEntry
	err := s.inQuietTx(ctx, func(tx bun.Tx) error {
		b, err := s.lockBooking(ctx, tx, in.BookingID)
		if err != nil {
			return err
		}
		if b.LocationID != in.LocationID {
			return fmt.Errorf("booking %d: %w", in.BookingID, ErrNotFound)
		}
		out, err = refundBookingTx(ctx, tx, b, in.AmountMinor, RefundStaff, in.StaffUserID, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RefundToSendByID reads a refund for the worker, with the PaymentIntent
// it refunds and its idempotency key. The worker sends it only while
// Entry.Status is EntryPending (a refund recorded already is done).
func (s *Store) RefundToSendByID(ctx context.Context, entryID int64) (*RefundToSend, error) {
	e := new(PaymentEntry)
	if err := s.db.NewSelect().Model(e).Where("id = ? AND kind = ?", entryID, EntryRefund).Scan(ctx); err != nil {
		return nil, notFound(err, "refund", entryID)
	}
	p, err := s.OnlinePaymentByID(ctx, e.OnlinePaymentID)
	if err != nil {
		return nil, err
	}
	return &RefundToSend{Entry: *e, PaymentIntent: p.PaymentIntent, IdempotencyKey: RefundIdempotencyKey(e.ID)}, nil
}

// RefundIdempotencyKey is the key a refund is sent to Stripe with: the
// same for every attempt, so a retry after a crash refunds once.
func RefundIdempotencyKey(entryID int64) string { return fmt.Sprintf("groupbook-refund-%d", entryID) }

// RefundSucceeded records Stripe's refund id on a pending refund (or a
// failed one a late answer proves done). Recording it twice is harmless.
func (s *Store) RefundSucceeded(ctx context.Context, entryID int64, refundID string) error {
	defer s.quietTurn(ctx)()
	_, err := s.db.NewUpdate().Model((*PaymentEntry)(nil)).
		Set("status = ?", EntrySucceeded).Set("stripe_id = ?", refundID).Set("last_error = ''").Set("updated_at = ?", s.now()).
		Where("id = ? AND kind = ? AND status IN (?)", entryID, EntryRefund, bun.List([]string{EntryPending, EntryFailed})).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("refund %d succeeded: %w", entryID, err)
	}
	return nil
}

// RefundFailed marks a refund failed (shown to staff, who may retry).
func (s *Store) RefundFailed(ctx context.Context, entryID int64, reason string) error {
	defer s.quietTurn(ctx)()
	_, err := s.db.NewUpdate().Model((*PaymentEntry)(nil)).
		Set("status = ?", EntryFailed).Set("last_error = ?", truncate(reason, 500)).Set("updated_at = ?", s.now()).
		Where("id = ? AND kind = ? AND status = ?", entryID, EntryRefund, EntryPending).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("refund %d failed: %w", entryID, err)
	}
	return nil
}

// RetryRefund puts a failed refund of the location back to pending with a
// new job (its attempts start again). Another location's refund, or one
// not failed, is ErrNotFound.
func (s *Store) RetryRefund(ctx context.Context, locationID, entryID int64) error {
	return s.inQuietTx(ctx, func(tx bun.Tx) error {
		now := s.now()
		r, err := tx.NewUpdate().Model((*PaymentEntry)(nil)).
			Set("status = ?", EntryPending).Set("updated_at = ?", now).
			Where("id = ? AND location_id = ? AND kind = ? AND status = ?", entryID, locationID, EntryRefund, EntryFailed).
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("retry refund %d: %w", entryID, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return fmt.Errorf("failed refund %d: %w", entryID, ErrNotFound)
		}
		return requeueJob(ctx, tx, JobRefund, locationID, entryID, refundJobKey(entryID), now, now)
	})
}

// BookingsMoney returns the online money of bookings (by booking id);
// bookings not paid online and without refunds are absent.
func (s *Store) BookingsMoney(ctx context.Context, bookingIDs []int64) (map[int64]BookingMoney, error) {
	out := map[int64]BookingMoney{}
	if len(bookingIDs) == 0 {
		return out, nil
	}
	var bookings []Booking
	if err := s.db.NewSelect().Model(&bookings).Column("id", "payment", "paid_amount_minor", "paid_currency").
		Where("id IN (?) AND payment = ?", bun.List(bookingIDs), PaymentOnline).Scan(ctx); err != nil {
		return nil, fmt.Errorf("bookings money: %w", err)
	}
	for _, b := range bookings {
		out[b.ID] = BookingMoney{PaidMinor: b.PaidAmountMinor, Currency: b.PaidCurrency}
	}
	var entries []PaymentEntry
	if err := s.db.NewSelect().Model(&entries).Where("booking_id IN (?) AND kind = ?", bun.List(bookingIDs), EntryRefund).
		Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("bookings refunds: %w", err)
	}
	for _, e := range entries {
		m := out[e.BookingID]
		if m.Currency == "" {
			m.Currency = e.Currency
		}
		m.add(e)
		out[e.BookingID] = m
	}
	return out, nil
}

// SetPaymentSettings saves the location's hold minutes and refund choice.
func (s *Store) SetPaymentSettings(ctx context.Context, locationID int64, holdMin int, refundOnClientCancel bool) error {
	if holdMin < MinPaymentHoldMin || holdMin > MaxPaymentHoldMin {
		return FieldErrors{"payment_hold_min": MsgOutOfRange}
	}
	defer s.writeTurn(ctx)()
	r, err := s.db.NewUpdate().Model((*Location)(nil)).
		Set("payment_hold_min = ?", holdMin).Set("refund_on_client_cancel = ?", refundOnClientCancel).
		Where("id = ?", locationID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("payment settings of location %d: %w", locationID, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("location %d: %w", locationID, ErrNotFound)
	}
	return nil
}

// RefundFlagged refunds in full a payment flagged as a mismatch (paid an
// amount or currency other than asked), which never booked anything:
// staff decide it from the Payments page. What a refund already took (or
// is taking) is not refunded again.
func (s *Store) RefundFlagged(ctx context.Context, locationID, paymentID, staffUserID int64) (*PaymentEntry, error) {
	var out *PaymentEntry
	err := s.inQuietTx(ctx, func(tx bun.Tx) error {
		groupID, err := s.paymentGroup(ctx, tx, paymentID)
		if err != nil {
			return err
		}
		if _, err := s.lockGroup(ctx, tx, "id = ?", groupID); err != nil {
			return err
		}
		p, err := s.lockPayment(ctx, tx, paymentID)
		if err != nil {
			return err
		}
		if p.LocationID != locationID {
			return fmt.Errorf("online payment %d: %w", paymentID, ErrNotFound)
		}
		if p.Status != OnlineMismatch {
			return fmt.Errorf("online payment %d is %s: %w", paymentID, p.Status, ErrNotPaidOnline)
		}
		var taken int64
		if err := tx.NewSelect().Model((*PaymentEntry)(nil)).ColumnExpr("COALESCE(SUM(amount_minor), 0)").
			Where("online_payment_id = ? AND kind = ? AND status <> ?", p.ID, EntryRefund, EntryFailed).Scan(ctx, &taken); err != nil {
			return fmt.Errorf("refunds of payment %d: %w", p.ID, err)
		}
		left := p.PaidAmountMinor - taken
		if left <= 0 {
			return fmt.Errorf("online payment %d: %w", paymentID, ErrRefundTooMuch)
		}
		out, err = queueRefund(ctx, tx, p, 0, left, p.PaidCurrency, RefundStaff, staffUserID, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
