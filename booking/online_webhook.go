package booking

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Stripe event types the core acts on.
const (
	StripeSessionCompleted      = "checkout.session.completed"
	StripeAsyncPaymentSucceeded = "checkout.session.async_payment_succeeded"
	StripeSessionExpired        = "checkout.session.expired"
)

// stripeEventRow makes the webhook idempotent per Stripe event id: it is
// written in the transaction that applies the event, so a crash before the
// commit leaves neither, and Stripe's redelivery applies it then.
type stripeEventRow struct {
	bun.BaseModel `bun:"table:stripe_events"`

	ID         string    `bun:"id,pk"`
	Type       string    `bun:"type"`
	ReceivedAt time.Time `bun:"received_at"`
}

// ApplyStripeEvent applies a verified webhook event once per event id, in
// one transaction: completed → confirm and mark paid (or refund when late,
// twice, or flag a mismatch); expired → mark the payment expired.
//
// Each payment is applied at most once whatever the events' order or
// ids: a payment already paid, late or flagged ignores further events, and
// only a payment still open (or creating) confirms its group.
func (s *Store) ApplyStripeEvent(ctx context.Context, ev StripeEvent) (*StripeOutcome, error) {
	if ev.ID == "" {
		return nil, fmt.Errorf("stripe event without id: %w", ErrNotFound)
	}
	var out *StripeOutcome
	err := s.inSeatsTx(ctx, func(tx bun.Tx) error {
		var err error
		out, err = s.applyStripeEvent(ctx, tx, ev)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) applyStripeEvent(ctx context.Context, tx bun.Tx, ev StripeEvent) (*StripeOutcome, error) {
	now := s.now()
	r, err := tx.NewInsert().Model(&stripeEventRow{ID: ev.ID, Type: truncate(ev.Type, 100), ReceivedAt: now}).
		On("CONFLICT (id) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("stripe event %s: %w", ev.ID, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return &StripeOutcome{Result: StripeDuplicate}, nil
	}
	paid := (ev.Type == StripeSessionCompleted && ev.PaymentStatus == "paid") || ev.Type == StripeAsyncPaymentSucceeded
	if !paid && ev.Type != StripeSessionExpired {
		return &StripeOutcome{Result: StripeIgnored}, nil
	}
	if ev.PaymentID == 0 {
		// Not a session of ours (another tool on the same Stripe
		// account): never touched, never refunded.
		slog.Info("stripe: session without our metadata ignored", "event", ev.ID, "session", ev.SessionID)
		return &StripeOutcome{Result: StripeIgnored}, nil
	}
	groupID, err := s.paymentGroup(ctx, tx, ev.PaymentID)
	if err != nil {
		slog.Warn("stripe: event for an unknown payment ignored", "event", ev.ID, "session", ev.SessionID, "payment", ev.PaymentID)
		return &StripeOutcome{Result: StripeIgnored}, nil
	}
	g, err := s.lockGroup(ctx, tx, "id = ?", groupID)
	if err != nil {
		return nil, err
	}
	p, err := s.lockPayment(ctx, tx, ev.PaymentID)
	if err != nil {
		return nil, err
	}
	out := &StripeOutcome{GroupID: g.ID}
	if p.SessionID != "" && ev.SessionID != "" && p.SessionID != ev.SessionID {
		slog.Warn("stripe: event names another session than its payment's; ignored", "event", ev.ID, "session", ev.SessionID, "payment", p.ID)
		out.Result = StripeIgnored
		return out, nil
	}
	if p.SessionID == "" && ev.SessionID != "" {
		// CheckoutOpened never ran (the process died after Stripe
		// created the session): the event names it.
		p.SessionID = ev.SessionID
	}
	if !paid {
		out.Result = StripeIgnored
		if p.Status == OnlineCreating || p.Status == OnlineOpen {
			p.Status, out.Result = OnlineExpired, StripeExpired
		}
		p.UpdatedAt = now
		if _, err := tx.NewUpdate().Model(p).WherePK().Column("status", "session_id", "updated_at").Exec(ctx); err != nil {
			return nil, fmt.Errorf("payment %d expired: %w", p.ID, err)
		}
		return out, nil
	}
	switch p.Status {
	case OnlinePaid, OnlineLate, OnlineMismatch:
		// Applied before under another event id (completed, then the
		// async success of the same session).
		out.Result = StripeIgnored
		return out, nil
	}
	p.PaymentIntent, p.PaidAmountMinor, p.PaidCurrency, p.PaidAt, p.UpdatedAt = ev.PaymentIntent, ev.AmountTotal, strings.ToUpper(ev.Currency), &now, now
	charge := &PaymentEntry{LocationID: p.LocationID, OnlinePaymentID: p.ID, Kind: EntryCharge, AmountMinor: ev.AmountTotal,
		Currency: p.PaidCurrency, StripeID: ev.PaymentIntent, Status: EntrySucceeded, CreatedAt: now, UpdatedAt: now}
	if ev.AmountTotal > 0 {
		if _, err := tx.NewInsert().Model(charge).Exec(ctx); err != nil {
			return nil, fmt.Errorf("charge of payment %d: %w", p.ID, err)
		}
	}
	switch {
	case ev.AmountTotal != p.AmountMinor || !strings.EqualFold(ev.Currency, p.Currency):
		// Refused and flagged: staff decide (the Payments page lists it).
		slog.Warn("stripe: paid amount differs from the payment; flagged", "event", ev.ID, "payment", p.ID,
			"want", p.AmountMinor, "want_currency", p.Currency, "got", ev.AmountTotal, "got_currency", ev.Currency)
		p.Status, out.Result = OnlineMismatch, StripeMismatch
	case g.State == GroupPendingPayment && (p.Status == OnlineOpen || p.Status == OnlineCreating):
		p.Status, out.Result = OnlinePaid, StripeConfirmed
		if err := s.confirmGroup(ctx, tx, g, p, now); err != nil {
			return nil, err
		}
	default:
		// Too late (the hold was released) or twice (an older session of
		// the group, or the group is paid already): all of it goes back.
		reason := RefundDuplicate
		if g.State == GroupExpired {
			reason = RefundLate
		}
		slog.Warn("stripe: payment for a released or paid group; refunding", "event", ev.ID, "payment", p.ID, "group", g.ID, "reason", reason)
		p.Status, out.Result = OnlineLate, StripeRefunding
		if ev.AmountTotal > 0 {
			if _, err := queueRefund(ctx, tx, p, 0, ev.AmountTotal, p.PaidCurrency, reason, 0, now); err != nil {
				return nil, err
			}
			if err := queueRefundedSMS(ctx, tx, g, ev.AmountTotal, p.PaidCurrency, now); err != nil {
				return nil, err
			}
		}
	}
	if _, err := tx.NewUpdate().Model(p).WherePK().
		Column("status", "session_id", "payment_intent", "paid_amount_minor", "paid_currency", "paid_at", "pass_id", "updated_at").
		Exec(ctx); err != nil {
		return nil, fmt.Errorf("payment %d paid: %w", p.ID, err)
	}
	return out, nil
}

// confirmGroup books a held group its payment paid: each held booking is
// paid online with its share (price × seats), or, when the group bought a
// pass, the pass is created (a sale paid online) and pays every booking;
// then the "booked" SMS and the reminders are queued as Reserve does.
func (s *Store) confirmGroup(ctx context.Context, tx bun.Tx, g *Group, p *OnlinePayment, now time.Time) error {
	if _, err := tx.NewUpdate().Model((*Group)(nil)).Set("state = ?", GroupBooked).
		Where("id = ?", g.ID).Exec(ctx); err != nil {
		return fmt.Errorf("book group %d: %w", g.ID, err)
	}
	g.State = GroupBooked
	var eventIDs []int64
	if err := tx.NewSelect().Model((*Booking)(nil)).Column("event_id").
		Where("group_id = ? AND status <> ?", g.ID, StatusCancelled).Scan(ctx, &eventIDs); err != nil {
		return fmt.Errorf("held bookings of group %d: %w", g.ID, err)
	}
	ids := slices.Compact(slices.Sorted(slices.Values(eventIDs)))
	var events map[int64]*lockedEvent
	if len(ids) > 0 {
		var err error
		if events, err = s.lockAndLoadEvents(ctx, tx, ids, g.ClientID, ""); err != nil {
			return err
		}
	}
	var bookings []Booking
	if err := tx.NewSelect().Model(&bookings).Where("group_id = ? AND status <> ? AND payment = ?", g.ID, StatusCancelled, PaymentOnlinePending).
		Order("id").Scan(ctx); err != nil {
		return fmt.Errorf("held bookings of group %d: %w", g.ID, err)
	}
	loc := new(Location)
	if err := tx.NewSelect().Model(loc).Where("id = ?", g.LocationID).Scan(ctx); err != nil {
		return fmt.Errorf("location %d: %w", g.LocationID, err)
	}
	var pass *ClientPass
	if p.Purpose == PurposePass {
		var err error
		if pass, err = s.sellPassOnline(ctx, tx, g, p, loc, now); err != nil {
			return err
		}
		p.PassID = pass.ID
		if err := s.payWithBoughtPass(ctx, tx, pass, bookings, events, loc, now); err != nil {
			return err
		}
	} else {
		if err := payHeldBookings(ctx, tx, p, bookings, events, now); err != nil {
			return err
		}
		if err := refundUnheld(ctx, tx, g, p, bookings, now); err != nil {
			return err
		}
	}
	// The hold's job has nothing left to do.
	if _, err := tx.NewUpdate().Model((*Job)(nil)).Set("status = ?", JobDone).Set("done_at = ?", now).Set("updated_at = ?", now).
		Where("unique_key = ? AND status = ?", holdExpireKey(g.ID), JobPending).Exec(ctx); err != nil {
		return fmt.Errorf("hold job of group %d: %w", g.ID, err)
	}
	if len(bookings) == 0 {
		return nil
	}
	st, err := smsSettings(ctx, tx, g.LocationID)
	if err != nil {
		return err
	}
	w := outboxWriterFor(tx, loc, st, now)
	if !w.on() && !loc.StaffEmailNotify {
		return nil
	}
	client := new(Client)
	if err := tx.NewSelect().Model(client).Where("id = ?", g.ClientID).Scan(ctx); err != nil {
		return fmt.Errorf("client %d: %w", g.ClientID, err)
	}
	if w.on() {
		if err := queueBooked(ctx, w, g, client, bookings, events, pass); err != nil {
			return err
		}
	}
	// A held booking is always an online one: staff hear of it once paid.
	return queueStaffNotice(ctx, w, MsgStaffBooked, client, bookings, staffEvents(events))
}

// payHeldBookings marks held bookings paid online, each with its share.
func payHeldBookings(ctx context.Context, tx bun.Tx, p *OnlinePayment, bookings []Booking, events map[int64]*lockedEvent, now time.Time) error {
	prices := map[int64]int64{}
	for i := range bookings {
		b := &bookings[i]
		svcID := events[b.EventID].ServiceID
		price, ok := prices[svcID]
		if !ok {
			if err := tx.NewSelect().Model((*Service)(nil)).Column("price_minor").Where("id = ?", svcID).Scan(ctx, &price); err != nil {
				return fmt.Errorf("service %d price: %w", svcID, err)
			}
			prices[svcID] = price
		}
		b.Payment, b.PaidAmountMinor, b.PaidCurrency, b.PaidAt = PaymentOnline, price*int64(b.Seats), p.Currency, &now
		b.OnlinePaymentID, b.UpdatedAt = p.ID, now
		if _, err := tx.NewUpdate().Model(b).WherePK().
			Column("payment", "paid_amount_minor", "paid_currency", "paid_at", "online_payment_id", "updated_at").Exec(ctx); err != nil {
			return fmt.Errorf("pay booking %d online: %w", b.ID, err)
		}
	}
	return nil
}

// sellPassOnline creates the pass an online payment bought: its sale
// entry records the amount paid, method online.
func (s *Store) sellPassOnline(ctx context.Context, tx bun.Tx, g *Group, p *OnlinePayment, loc *Location, now time.Time) (*ClientPass, error) {
	pt := new(PassType)
	if err := tx.NewSelect().Model(pt).Where("id = ?", p.PassTypeID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("pass type %d: %w", p.PassTypeID, err)
	}
	if err := tx.NewSelect().Model((*passTypeService)(nil)).Column("service_id").
		Where("pass_type_id = ?", pt.ID).Scan(ctx, &pt.ServiceIDs); err != nil {
		return nil, fmt.Errorf("pass type %d services: %w", pt.ID, err)
	}
	cp := newPassOfType(pt, localToday(now, loc))
	cp.ClientID, cp.CreatedAt = g.ClientID, now
	if _, err := tx.NewInsert().Model(cp).Exec(ctx); err != nil {
		return nil, fmt.Errorf("sell pass online: %w", err)
	}
	rows := make([]clientPassService, len(pt.ServiceIDs))
	for i, id := range pt.ServiceIDs {
		rows[i] = clientPassService{PassID: cp.ID, ServiceID: id}
	}
	if len(rows) > 0 {
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return nil, fmt.Errorf("pass services: %w", err)
		}
	}
	e := &PassEntry{PassID: cp.ID, LocationID: cp.LocationID, Kind: EntrySale, Visits: pt.Visits, Currency: p.PaidCurrency,
		Method: "online", AmountMinor: p.PaidAmountMinor, CreatedAt: now}
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return nil, fmt.Errorf("pass sale entry: %w", err)
	}
	cp.Balance, cp.Entries = e.Visits, []PassEntry{*e}
	cp.fillValidity()
	return cp, nil
}

// payWithBoughtPass spends the pass just bought on the held bookings. A
// pass that can no longer pay (a date moved out of its validity while the
// client paid) leaves the bookings booked and unpaid, for the desk: the
// client has the pass and the seats either way.
func (s *Store) payWithBoughtPass(ctx context.Context, tx bun.Tx, pass *ClientPass, bookings []Booking, events map[int64]*lockedEvent, loc *Location, now time.Time) error {
	uses := make([]passUse, len(bookings))
	for i, b := range bookings {
		uses[i] = passUse{BookingID: b.ID, EventID: b.EventID, Date: eventDate(&events[b.EventID].Event, loc.Zone()), Seats: b.Seats}
	}
	payment, passID := PaymentPass, pass.ID
	start, err := checkPassUses(pass, true, uses)
	if err != nil {
		slog.Warn("stripe: the pass bought cannot pay its bookings; left unpaid", "pass", pass.ID, "err", err)
		payment, passID = PaymentUnpaid, 0
	} else if err := spendPass(ctx, tx, pass, start, uses, 0, now); err != nil {
		return err
	}
	for i := range bookings {
		b := &bookings[i]
		b.Payment, b.PassID, b.UpdatedAt = payment, passID, now
		if _, err := tx.NewUpdate().Model(b).WherePK().Column("payment", "pass_id", "updated_at").Exec(ctx); err != nil {
			return fmt.Errorf("pay booking %d with pass: %w", b.ID, err)
		}
	}
	return nil
}

// queueRefundedSMS tells the client a payment is being refunded.
func queueRefundedSMS(ctx context.Context, tx bun.Tx, g *Group, amount int64, currency string, now time.Time) error {
	w, err := newOutboxWriter(ctx, tx, g.LocationID, now)
	if err != nil || !w.on() {
		return err
	}
	to, err := clientContact(ctx, tx, g.ClientID)
	if err != nil {
		return err
	}
	p := MessagePayload{Token: g.Token, Refund: &MessageRefund{AmountMinor: amount, Currency: currency}}
	return w.add(ctx, SMSRefunded, to, g.Lang, g.ID, 0, p, now)
}

// refundUnheld refunds the part of a group's payment that paid for no
// booking: a held booking staff cancelled, or whose event was deleted,
// while the client was paying. The paid bookings' shares are what is
// kept.
func refundUnheld(ctx context.Context, tx bun.Tx, g *Group, p *OnlinePayment, paid []Booking, now time.Time) error {
	kept := int64(0)
	for _, b := range paid {
		kept += b.PaidAmountMinor
	}
	rest := p.PaidAmountMinor - kept
	if rest <= 0 {
		return nil
	}
	reason := RefundStaff
	deleted, err := tx.NewSelect().Model((*Booking)(nil)).
		Where("group_id = ? AND status = ? AND cancelled_by IN (?)", g.ID, StatusCancelled, bun.List(studioCancels)).Exists(ctx)
	if err != nil {
		return fmt.Errorf("cancelled bookings of group %d: %w", g.ID, err)
	}
	if deleted {
		reason = RefundEventDeleted
	}
	slog.Info("stripe: part of a payment paid for no booking; refunding it", "payment", p.ID, "group", g.ID, "amount", rest)
	_, err = queueRefund(ctx, tx, p, 0, rest, p.PaidCurrency, reason, 0, now)
	return err
}
