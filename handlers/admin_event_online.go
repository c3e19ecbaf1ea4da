package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"groupbook/booking"
	"groupbook/locales"
)

// eventOnline is a row's online money: what was paid, given back, on its
// way back or stuck, and the refund form while something is left.
type eventOnline struct {
	Refunded, Pending string // "" when nothing
	Failed            []eventFailedRefund
	// Refundable is what staff may still refund; RefundValue the form's
	// default (all of it, as a decimal), RefundMax its text.
	Refundable  int64
	RefundValue string
	RefundMax   string
	Currency    string
	CanRefund   bool // online payment is configured, so a refund can be sent
}

// eventFailedRefund is a refund that kept failing, with its Retry action.
type eventFailedRefund struct {
	ID   int64
	Text string
}

// attachOnline words, for the rows paid or to be paid online, the money
// the core loaded with the window (refunds included) and, while a row
// awaits payment, when its hold runs out or that its payment was flagged.
// Cancelled rows get their refunds too: a client's cancel refunds them.
func (h *adminHandlers) attachOnline(ctx context.Context, v *adminView, p *eventPage) error {
	L, zone := v.L, v.Location.Zone()
	flagged := map[int64]bool{} // by group: a group's payments are read once
	for _, list := range [][]eventRow{p.Rows, p.Cancelled} {
		for i := range list {
			r := &list[i]
			if r.Booking.Payment == booking.PaymentOnlinePending {
				if r.HoldUntil != nil {
					r.Pay.Text = L.T("admin_payments_pay_pending", map[string]any{"Time": L.Clock(r.HoldUntil.In(zone))})
				}
				f, seen := flagged[r.GroupID]
				if !seen {
					var err error
					if f, err = h.groupFlagged(ctx, r.GroupID); err != nil {
						return err
					}
					flagged[r.GroupID] = f
				}
				if f {
					r.Pay.Flagged, r.Pay.Text = true, L.T("admin_payments_pay_flagged")
				}
			}
			if m := r.Money; m.PaidMinor > 0 || m.RefundedMinor > 0 || m.PendingMinor > 0 || len(m.FailedRefunds) > 0 {
				r.Pay.Online = newEventOnline(L, m, h.onlineOn())
			}
		}
	}
	return nil
}

// newEventOnline words a booking's online money.
func newEventOnline(L *locales.Localizer, m booking.BookingMoney, canRefund bool) *eventOnline {
	o := &eventOnline{Currency: m.Currency, Refundable: m.Refundable(), CanRefund: canRefund}
	if m.RefundedMinor > 0 {
		o.Refunded = L.T("admin_payments_refunded", map[string]any{"Amount": L.Money(m.RefundedMinor, m.Currency)})
	}
	if m.PendingMinor > 0 {
		o.Pending = L.T("admin_payments_refund_pending", map[string]any{"Amount": L.Money(m.PendingMinor, m.Currency)})
	}
	for _, f := range m.FailedRefunds {
		o.Failed = append(o.Failed, eventFailedRefund{ID: f.ID, Text: L.T("admin_payments_refund_failed", map[string]any{"Amount": L.Money(f.AmountMinor, f.Currency)})})
	}
	if o.Refundable > 0 {
		o.RefundValue, o.RefundMax = csvAmount(o.Refundable), L.Money(o.Refundable, m.Currency)
	}
	return o
}

// groupFlagged tells whether a group's payment arrived with an amount or
// currency that differ from the hold: it stays unconfirmed for staff.
func (h *adminHandlers) groupFlagged(ctx context.Context, groupID int64) (bool, error) {
	if groupID == 0 {
		return false, nil
	}
	pays, err := h.store.GroupPayments(ctx, groupID)
	if err != nil {
		return false, fmt.Errorf("event window payments of group %d: %w", groupID, err)
	}
	for _, op := range pays {
		if op.Status == booking.OnlineMismatch {
			return true, nil
		}
	}
	return false, nil
}

// parseRefundAmount reads "12.50", "12,50" or "12" as minor units (two
// decimals, like every amount the admin shows). Empty is 0: everything
// still refundable. ok is false for anything else, and for 0 or less.
func parseRefundAmount(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" {
		return 0, true
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 9 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w < 0 || f < 0 || strings.ContainsAny(whole+frac, "+-") {
		return 0, false
	}
	n := w*100 + f
	return n, n > 0
}

// errRefundAmount marks a refund amount that did not parse; errRefundOff
// a refund asked while Stripe is not configured.
var (
	errRefundAmount = errors.New("refund amount not a positive number")
	errRefundOff    = errors.New("refund asked with online payment off")
)

// refundRefusal translates a refused refund for its row.
func refundRefusal(v *adminView, p *eventPage, b *booking.Booking, err error) (int, string, bool) {
	switch {
	case errors.Is(err, errRefundAmount):
		return http.StatusUnprocessableEntity, v.L.T("admin_payments_error_refund_amount"), true
	case errors.Is(err, booking.ErrRefundTooMuch):
		left := "0"
		if r := p.row(b.ID); r != nil && r.Pay.Online != nil && r.Pay.Online.RefundMax != "" {
			left = r.Pay.Online.RefundMax
		}
		return http.StatusUnprocessableEntity, v.L.T("admin_payments_error_refund_too_much", map[string]any{"Amount": left}), true
	case errors.Is(err, errRefundOff):
		return http.StatusConflict, v.L.T("admin_payments_refund_off"), true
	case errors.Is(err, booking.ErrNotPaidOnline):
		return http.StatusConflict, v.L.T("admin_payments_error_not_online"), true
	}
	return 0, "", false
}
