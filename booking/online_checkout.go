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

// Lock order of online payment: the group's row, then its payments, then
// its events (by id), then a pass. Reserve inserts the group before it
// locks events, cancel and move lock events only, so no path waits in the
// other direction.

// lockGroup locks a group's row (PostgreSQL) and reads it.
func (s *Store) lockGroup(ctx context.Context, tx bun.Tx, where string, arg any) (*Group, error) {
	g := new(Group)
	q := tx.NewSelect().Model(g).Where(where, arg)
	if s.isPG() {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "group", arg)
	}
	return g, nil
}

// lockPayment locks a payment's row (PostgreSQL) and reads it.
func (s *Store) lockPayment(ctx context.Context, tx bun.Tx, id int64) (*OnlinePayment, error) {
	p := new(OnlinePayment)
	q := tx.NewSelect().Model(p).Where("id = ?", id)
	if s.isPG() {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "online payment", id)
	}
	return p, nil
}

// paymentGroup reads which group a payment belongs to, without a lock:
// the group's lock comes first.
func (s *Store) paymentGroup(ctx context.Context, tx bun.Tx, paymentID int64) (int64, error) {
	var groupID int64
	if err := tx.NewSelect().Model((*OnlinePayment)(nil)).Column("group_id").Where("id = ?", paymentID).Scan(ctx, &groupID); err != nil {
		return 0, notFound(err, "online payment", paymentID)
	}
	return groupID, nil
}

// NewCheckout opens a new payment for the held group the token opens:
// the group must be pending and its hold not run out. Any open payment of
// the group is marked expired and a job expires its session at Stripe, so
// a client opening Checkout twice pays once. The amount is dates × seats ×
// price (or the pass's price), in the service's (pass type's) currency.
func (s *Store) NewCheckout(ctx context.Context, token string) (*Checkout, error) {
	if token == "" {
		return nil, fmt.Errorf("group token: %w", ErrNotFound)
	}
	var out *Checkout
	err := s.inQuietTx(ctx, func(tx bun.Tx) error {
		g, err := s.lockGroup(ctx, tx, "token = ?", token)
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case g.State == GroupExpired:
			return fmt.Errorf("group %d: %w", g.ID, ErrHoldExpired)
		case g.State != GroupPendingPayment:
			return fmt.Errorf("group %d: %w", g.ID, ErrNotPending)
		case g.HoldUntil != nil && !now.Before(*g.HoldUntil):
			return fmt.Errorf("group %d: %w", g.ID, ErrHoldExpired)
		}
		if err := s.supersedePayments(ctx, tx, g.ID, now); err != nil {
			return err
		}
		c, err := s.checkoutOf(ctx, tx, g)
		if err != nil {
			return err
		}
		c.Payment = OnlinePayment{
			LocationID: g.LocationID, GroupID: g.ID, ClientID: g.ClientID, Purpose: PurposeBooking,
			IdempotencyKey: "groupbook-checkout-" + newToken(), Currency: c.Payment.Currency,
			AmountMinor: c.Payment.AmountMinor, Status: OnlineCreating, CreatedAt: now, UpdatedAt: now,
		}
		if g.BuyPassTypeID != 0 {
			c.Payment.Purpose, c.Payment.PassTypeID = PurposePass, g.BuyPassTypeID
		}
		if _, err := tx.NewInsert().Model(&c.Payment).Exec(ctx); err != nil {
			return fmt.Errorf("new payment of group %d: %w", g.ID, err)
		}
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// supersedePayments marks the group's payments still creating or open
// expired, queueing a job to expire each session Stripe knows, so only
// the newest one can confirm the group.
func (s *Store) supersedePayments(ctx context.Context, tx bun.Tx, groupID int64, now time.Time) error {
	var old []OnlinePayment
	err := tx.NewUpdate().Model((*OnlinePayment)(nil)).
		Set("status = ?", OnlineExpired).Set("updated_at = ?", now).
		Where("group_id = ? AND status IN (?)", groupID, bun.List([]string{OnlineCreating, OnlineOpen})).
		Returning("*").Scan(ctx, &old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("expire payments of group %d: %w", groupID, err)
	}
	for _, p := range old {
		if p.SessionID == "" {
			// Not created at Stripe yet: CheckoutOpened queues its expiry
			// when the session arrives.
			continue
		}
		if err := enqueueJob(ctx, tx, JobCheckoutExpire, p.LocationID, p.ID, checkoutExpireKey(p.ID), now, now); err != nil {
			return err
		}
	}
	return nil
}

// checkoutOf builds the lines and amount of a held group's Checkout: a
// line per active booking (price × seats) or the pass bought.
func (s *Store) checkoutOf(ctx context.Context, tx bun.Tx, g *Group) (*Checkout, error) {
	c := &Checkout{Group: *g}
	if err := tx.NewSelect().Model(&c.Location).Where("id = ?", g.LocationID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("checkout location: %w", err)
	}
	c.TimeZone = c.Location.TimeZone
	if err := tx.NewSelect().Model(&c.Client).Where("id = ?", g.ClientID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("checkout client: %w", err)
	}
	var bookings []Booking
	if err := tx.NewSelect().Model(&bookings).Where("group_id = ? AND status <> ?", g.ID, StatusCancelled).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("checkout bookings: %w", err)
	}
	if len(bookings) == 0 {
		return nil, fmt.Errorf("group %d has no active booking: %w", g.ID, ErrNotPending)
	}
	if g.BuyPassTypeID != 0 {
		pt := new(PassType)
		if err := tx.NewSelect().Model(pt).Where("id = ?", g.BuyPassTypeID).Scan(ctx); err != nil {
			return nil, fmt.Errorf("checkout pass type: %w", err)
		}
		c.Lines = []CheckoutLine{{Service: pt.Name, UnitMinor: pt.PriceMinor, Quantity: 1}}
		c.Payment.AmountMinor, c.Payment.Currency = pt.PriceMinor, pt.Currency
		return c, nil
	}
	ids := make([]int64, 0, len(bookings))
	for _, b := range bookings {
		ids = append(ids, b.EventID)
	}
	events, err := loadEvents(ctx, tx, slices.Compact(slices.Sorted(slices.Values(ids))))
	if err != nil {
		return nil, err
	}
	svcs := map[int64]*Service{}
	for _, b := range bookings {
		ev := events[b.EventID]
		svc, ok := svcs[ev.ServiceID]
		if !ok {
			svc = new(Service)
			if err := tx.NewSelect().Model(svc).Where("id = ?", ev.ServiceID).Scan(ctx); err != nil {
				return nil, fmt.Errorf("checkout service: %w", err)
			}
			svcs[ev.ServiceID] = svc
		}
		c.Lines = append(c.Lines, CheckoutLine{BookingID: b.ID, Service: svc.Name, Start: ev.StartsAt.UTC(), UnitMinor: svc.PriceMinor, Quantity: b.Seats})
		c.Payment.AmountMinor += svc.PriceMinor * int64(b.Seats)
		c.Payment.Currency = svc.Currency
	}
	return c, nil
}

// CheckoutOpened records the session Stripe created for a payment. A
// payment superseded or released meanwhile keeps its status, and a job
// expires the session at Stripe so it cannot be paid.
func (s *Store) CheckoutOpened(ctx context.Context, paymentID int64, sessionID, url string) error {
	return s.inQuietTx(ctx, func(tx bun.Tx) error {
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
		now := s.now()
		p.SessionID, p.SessionURL, p.UpdatedAt = sessionID, url, now
		if p.Status == OnlineCreating {
			p.Status = OnlineOpen
		}
		if _, err := tx.NewUpdate().Model(p).WherePK().Column("session_id", "session_url", "status", "updated_at").Exec(ctx); err != nil {
			return fmt.Errorf("payment %d opened: %w", paymentID, err)
		}
		if p.Status == OnlineExpired || p.Status == OnlineFailed {
			return enqueueJob(ctx, tx, JobCheckoutExpire, p.LocationID, p.ID, checkoutExpireKey(p.ID), now, now)
		}
		return nil
	})
}

// CheckoutFailed records that the session could not be created and
// releases the group's hold at once (seats back, group expired), so no
// seats stay taken by a client who cannot pay.
func (s *Store) CheckoutFailed(ctx context.Context, paymentID int64, reason string) error {
	return s.inSeatsTx(ctx, func(tx bun.Tx) error {
		groupID, err := s.paymentGroup(ctx, tx, paymentID)
		if err != nil {
			return err
		}
		if _, err := s.lockGroup(ctx, tx, "id = ?", groupID); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.NewUpdate().Model((*OnlinePayment)(nil)).
			Set("status = ?", OnlineFailed).Set("last_error = ?", truncate(reason, 500)).Set("updated_at = ?", now).
			Where("id = ? AND status IN (?)", paymentID, bun.List([]string{OnlineCreating, OnlineOpen})).
			Exec(ctx); err != nil {
			return fmt.Errorf("payment %d failed: %w", paymentID, err)
		}
		_, err = s.releaseHold(ctx, tx, groupID, now)
		return err
	})
}

// OnlinePaymentByID reads a payment.
func (s *Store) OnlinePaymentByID(ctx context.Context, id int64) (*OnlinePayment, error) {
	p := new(OnlinePayment)
	if err := s.db.NewSelect().Model(p).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "online payment", id)
	}
	return p, nil
}

// CheckoutExpired marks a payment's session expired at Stripe (a paid or
// flagged payment keeps its status).
func (s *Store) CheckoutExpired(ctx context.Context, paymentID int64) error {
	defer s.quietTurn(ctx)()
	_, err := s.db.NewUpdate().Model((*OnlinePayment)(nil)).
		Set("status = ?", OnlineExpired).Set("updated_at = ?", s.now()).
		Where("id = ? AND status IN (?)", paymentID, bun.List([]string{OnlineCreating, OnlineOpen})).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("payment %d expired: %w", paymentID, err)
	}
	return nil
}

// GroupPayments lists a group's payments, newest first.
func (s *Store) GroupPayments(ctx context.Context, groupID int64) ([]OnlinePayment, error) {
	var out []OnlinePayment
	if err := s.db.NewSelect().Model(&out).Where("group_id = ?", groupID).OrderExpr("id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("payments of group %d: %w", groupID, err)
	}
	return out, nil
}
