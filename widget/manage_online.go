package widget

import (
	"net/url"
	"time"

	"groupbook/booking"
)

// heldOnline tells whether the group was held for an online payment: it
// is (or was) pending, or a booking of it was paid online.
func (m *Manage) heldOnline() bool {
	g := &m.Reservation.Group
	if g.State == booking.GroupPendingPayment || g.State == booking.GroupExpired || g.BuyPassTypeID != 0 {
		return true
	}
	for _, b := range m.Reservation.Bookings {
		if b.Payment == booking.PaymentOnline || b.Payment == booking.PaymentOnlinePending || b.OnlinePaymentID != 0 {
			return true
		}
	}
	return false
}

// OnlineState is where the manage page's group stands with its online
// payment.
type OnlineState struct {
	// Pending: the seats are held until HoldUntil for a payment not made
	// yet. Expired: the hold ran out and the seats went back.
	Pending, Expired bool
	HoldUntil        time.Time
	// Overdue: pending, but the hold's time is up (the release job has
	// not run yet); it can no longer be paid.
	Overdue bool
	// AmountMinor, Currency: what the payment asks (pending) or what was
	// paid online (booked); 0 when nothing.
	AmountMinor int64
	Currency    string
	// OpenURL is the newest open Checkout Session's address ("" when none
	// is open: the client asks for a new one).
	OpenURL string
	// BuyPassTypeID is the pass type being bought (0: the bookings
	// themselves are paid).
	BuyPassTypeID int64
	// CheckoutOrigins are the origins of the group's Checkout Sessions
	// (the page's form-action must allow a redirect there).
	CheckoutOrigins []string
}

// Online describes the group's online payment; ok is false for a group
// that never had one.
func (m *Manage) Online(now time.Time) (st OnlineState, ok bool) {
	if !m.heldOnline() {
		return st, false
	}
	g := &m.Reservation.Group
	st.BuyPassTypeID = g.BuyPassTypeID
	st.Expired = g.State == booking.GroupExpired
	if g.State == booking.GroupPendingPayment {
		st.Pending = true
		if g.HoldUntil != nil {
			st.HoldUntil = *g.HoldUntil
			// The job releases the seats; until it has, the time to pay
			// is over all the same.
			st.Overdue = !now.Before(*g.HoldUntil)
		}
	}
	seen := map[string]bool{}
	for _, p := range m.Payments {
		if u, err := url.Parse(p.SessionURL); err == nil && p.SessionURL != "" && u.Host != "" {
			o := u.Scheme + "://" + u.Host
			if !seen[o] {
				seen[o] = true
				st.CheckoutOrigins = append(st.CheckoutOrigins, o)
			}
		}
	}
	if st.Pending {
		for _, p := range m.Payments { // newest first
			if p.Status == booking.OnlineOpen && st.OpenURL == "" {
				st.OpenURL = p.SessionURL
			}
			if st.AmountMinor == 0 && p.AmountMinor > 0 {
				st.AmountMinor, st.Currency = p.AmountMinor, p.Currency
			}
		}
		if st.AmountMinor == 0 && st.BuyPassTypeID == 0 {
			// No payment opened yet: the bookings' price, as the core
			// will ask it (seats × the service's price, each date).
			for _, it := range m.Items {
				st.AmountMinor += it.Service.PriceMinor * int64(it.Booking.Seats)
				st.Currency = it.Service.Currency
			}
		}
		return st, true
	}
	for _, p := range m.Payments {
		if p.Status == booking.OnlinePaid {
			st.AmountMinor += p.PaidAmountMinor
			st.Currency = p.PaidCurrency
		}
	}
	if st.AmountMinor == 0 {
		for _, b := range m.Reservation.Bookings {
			if b.Payment == booking.PaymentOnline {
				st.AmountMinor += b.PaidAmountMinor
				st.Currency = b.PaidCurrency
			}
		}
	}
	return st, true
}
