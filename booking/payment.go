package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Payment is how a booking is paid. This issue takes no money online: a
// booking is paid at the desk, by a pass, or not at all (free).
type Payment string

// Payment statuses.
const (
	PaymentUnpaid Payment = "unpaid"
	PaymentDesk   Payment = "desk"
	PaymentPass   Payment = "pass"
	PaymentFree   Payment = "free"
	// PaymentOnline: paid through Stripe Checkout (OnlinePaymentID).
	PaymentOnline Payment = "online"
	// PaymentOnlinePending: the seats are held until the online payment
	// arrives or the hold expires.
	PaymentOnlinePending Payment = "online_pending"
)

// Paid tells whether nothing is owed on the booking.
func (p Payment) Paid() bool {
	return p == PaymentDesk || p == PaymentPass || p == PaymentFree || p == PaymentOnline
}

// Desk payment methods.
const (
	MethodCash  = "cash"
	MethodCard  = "card"
	MethodOther = "other"
)

// ValidPayMethod tells whether m is a desk payment method.
func ValidPayMethod(m string) bool { return m == MethodCash || m == MethodCard || m == MethodOther }

// DeskPayment marks a booking paid at the desk (Method, AmountMinor in the
// service's currency) or, Free, as owing nothing.
type DeskPayment struct {
	LocationID  int64
	BookingID   int64
	Free        bool
	Method      string
	AmountMinor int64
	StaffUserID int64
}

// MarkPaidAtDesk records a desk payment (or Free) on an active, unpaid
// booking of the location. Another location's booking is ErrNotFound; a
// paid one ErrAlreadyPaid.
func (s *Store) MarkPaidAtDesk(ctx context.Context, in DeskPayment) (*Booking, error) {
	if !in.Free {
		c := newChecker()
		c.deskPayment(in.Method, in.AmountMinor)
		if err := c.err(); err != nil {
			return nil, err
		}
	}
	return s.payBooking(ctx, in.LocationID, in.BookingID, func(tx bun.Tx, b *Booking, ev *Event, now time.Time) error {
		if in.Free {
			b.Payment = PaymentFree
			return nil
		}
		var currency string
		if err := tx.NewSelect().Model((*Service)(nil)).Column("currency").Where("id = ?", ev.ServiceID).Scan(ctx, &currency); err != nil {
			return fmt.Errorf("service %d currency: %w", ev.ServiceID, err)
		}
		b.Payment, b.PaidMethod, b.PaidAmountMinor, b.PaidCurrency = PaymentDesk, in.Method, in.AmountMinor, currency
		return nil
	}, in.StaffUserID)
}

// PayWithPassInput pays an existing booking with one of its client's passes.
type PayWithPassInput struct {
	LocationID  int64
	BookingID   int64
	PassID      int64
	StaffUserID int64
}

// PayWithPass pays an active, unpaid booking of the location with a pass of
// the booking's client, under the rules of Reserve: the pass covers the
// event's service, is valid on its date, and has visits for its seats.
// The pass with its new balance comes back too.
func (s *Store) PayWithPass(ctx context.Context, in PayWithPassInput) (*Booking, *ClientPass, error) {
	loc, err := s.Location(ctx, in.LocationID)
	if err != nil {
		return nil, nil, err
	}
	var pass *ClientPass
	b, err := s.payBooking(ctx, in.LocationID, in.BookingID, func(tx bun.Tx, b *Booking, ev *Event, now time.Time) error {
		p, covers, err := s.lockPass(ctx, tx, PassRef{LocationID: in.LocationID, ClientID: b.ClientID, PassID: in.PassID}, ev.ServiceID)
		if err != nil {
			return err
		}
		uses := []passUse{{BookingID: b.ID, EventID: ev.ID, Date: eventDate(ev, loc.Zone()), Seats: b.Seats}}
		start, err := checkPassUses(p, covers, uses)
		if err != nil {
			return err
		}
		if err := spendPass(ctx, tx, p, start, uses, in.StaffUserID, now); err != nil {
			return err
		}
		b.Payment, b.PassID, pass = PaymentPass, p.ID, p
		return nil
	}, in.StaffUserID)
	if err != nil {
		return nil, nil, err
	}
	return b, pass, nil
}

// payBooking locks an active, unpaid booking of the location (its event
// first, then whatever pay locks), lets pay set its payment, and saves it.
func (s *Store) payBooking(ctx context.Context, locationID, bookingID int64, pay func(bun.Tx, *Booking, *Event, time.Time) error, staffUserID int64) (*Booking, error) {
	var out *Booking
	err := s.inQuietTx(ctx, func(tx bun.Tx) error {
		b, err := s.lockBooking(ctx, tx, bookingID)
		if err != nil {
			return err
		}
		switch {
		case b.LocationID != locationID:
			return fmt.Errorf("booking %d: %w", bookingID, ErrNotFound)
		case !b.Active():
			return fmt.Errorf("booking %d: %w", bookingID, ErrAlreadyCancelled)
		case b.Payment.Paid():
			return fmt.Errorf("booking %d: %w", bookingID, ErrAlreadyPaid)
		}
		ev := new(Event)
		if err := tx.NewSelect().Model(ev).Where("id = ?", b.EventID).Scan(ctx); err != nil {
			return fmt.Errorf("event %d: %w", b.EventID, err)
		}
		now := s.now()
		if err := pay(tx, b, ev, now); err != nil {
			return err
		}
		b.PaidByUserID, b.PaidAt, b.UpdatedAt = staffUserID, &now, now
		if _, err := tx.NewUpdate().Model(b).WherePK().
			Column("payment", "pass_id", "paid_method", "paid_amount_minor", "paid_currency", "paid_by_user_id", "paid_at", "updated_at").
			Exec(ctx); err != nil {
			return fmt.Errorf("pay booking %d: %w", bookingID, err)
		}
		out = b
		return nil
	})
	return out, err
}

// ClearPayment marks a paid booking of the location unpaid again (a
// payment recorded by mistake). A pass gets the booking's visits back, as
// a return entry.
func (s *Store) ClearPayment(ctx context.Context, locationID, bookingID, staffUserID int64) (*Booking, error) {
	var out *Booking
	err := s.inQuietTx(ctx, func(tx bun.Tx) error {
		b, err := s.lockBooking(ctx, tx, bookingID)
		if err != nil {
			return err
		}
		if b.LocationID != locationID {
			return fmt.Errorf("booking %d: %w", bookingID, ErrNotFound)
		}
		if !b.Payment.Paid() {
			return nil
		}
		if b.Payment == PaymentOnline {
			// Money taken online goes back by a refund (RefundBooking),
			// which the ledger records; clearing would hide it.
			return fmt.Errorf("booking %d: %w", bookingID, ErrPaidOnline)
		}
		now := s.now()
		if b.Payment == PaymentPass && b.PassID != 0 && b.Active() {
			if err := s.returnVisits(ctx, tx, b, now); err != nil {
				return err
			}
		}
		b.Payment, b.PassID, b.PaidMethod, b.PaidAmountMinor, b.PaidCurrency = PaymentUnpaid, 0, "", 0, ""
		b.PaidByUserID, b.PaidAt, b.UpdatedAt = 0, nil, now
		if _, err := tx.NewUpdate().Model(b).WherePK().
			Column("payment", "pass_id", "paid_method", "paid_amount_minor", "paid_currency", "paid_by_user_id", "paid_at", "updated_at").
			Exec(ctx); err != nil {
			return fmt.Errorf("clear payment of booking %d: %w", bookingID, err)
		}
		out = b
		return nil
	})
	return out, err
}

// deskPayment checks a payment taken at the desk, for a booking or a pass
// sale alike: a known method and an amount within the price bounds.
func (c *checker) deskPayment(method string, amountMinor int64) {
	if !ValidPayMethod(method) {
		c.add("method", MsgInvalidPayMethod)
	}
	if amountMinor < 0 || amountMinor > MaxPriceMinor {
		c.add("amount", MsgOutOfRange)
	}
}
