package handlers

import (
	"context"
	"time"

	"groupbook/booking"
	"groupbook/locales"
)

// clientsPayText is a booking's payment as the client page's column shows
// it. A pass's name is on the pass's own history, above.
func clientsPayText(L *locales.Localizer, b *booking.Booking) string {
	switch b.Payment {
	case booking.PaymentDesk:
		return L.T("admin_passes_pay_desk")
	case booking.PaymentPass:
		return L.T("admin_payments_pay_by_pass")
	case booking.PaymentFree:
		return L.T("admin_passes_pay_free")
	case booking.PaymentOnline:
		return L.T("admin_payments_pay_online", map[string]any{"Amount": L.Money(b.PaidAmountMinor, b.PaidCurrency)})
	case booking.PaymentOnlinePending:
		return L.T("admin_payments_pay_awaiting")
	}
	return L.T("admin_passes_pay_unpaid")
}

// attachClientMoney words each booking's refunds (the core loaded its
// online money with it) and lists the client's online payments and
// refunds. Without Stripe and without a booking ever paid online there is
// nothing online to show, and nothing more is read.
func (h *adminHandlers) attachClientMoney(ctx context.Context, v *adminView, p *clientsShowPage) error {
	L, zone := v.L, v.Location.Zone()
	online := false
	for _, list := range [][]clientsBookingRow{p.Upcoming, p.Past} {
		for i := range list {
			r := &list[i]
			if r.Booking.Payment == booking.PaymentOnlinePending && r.HoldUntil != nil {
				r.PayText = L.T("admin_payments_pay_pending", map[string]any{"Time": L.Clock(r.HoldUntil.In(zone))})
			}
			m := r.Money
			if m.PaidMinor == 0 && m.RefundedMinor == 0 && m.PendingMinor == 0 && len(m.FailedRefunds) == 0 {
				continue
			}
			online = true
			if m.RefundedMinor > 0 {
				r.MoneyNotes = append(r.MoneyNotes, L.T("admin_payments_refunded", map[string]any{"Amount": L.Money(m.RefundedMinor, m.Currency)}))
			}
			if m.PendingMinor > 0 {
				r.MoneyNotes = append(r.MoneyNotes, L.T("admin_payments_refund_pending", map[string]any{"Amount": L.Money(m.PendingMinor, m.Currency)}))
			}
			for _, f := range m.FailedRefunds {
				r.MoneyNotes = append(r.MoneyNotes, L.T("admin_payments_refund_failed", map[string]any{"Amount": L.Money(f.AmountMinor, f.Currency)}))
			}
		}
	}
	if !online && !h.onlineOn() {
		return nil
	}
	// All of the client's time at the studio: from their first day.
	all, err := h.store.Payments(ctx, booking.PaymentFilter{
		LocationID: v.Location.ID, ClientID: p.Client.ID, Method: paymentsOnline,
		From: p.Client.CreatedAt.Add(-24 * time.Hour), To: h.store.Clock().AddDate(0, 0, 1),
	})
	if err != nil {
		return err
	}
	for _, r := range all {
		p.Online = append(p.Online, newPaymentsRow(L, r, zone))
	}
	return nil
}
