package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

// stripeCheckoutOrigin is where Stripe's hosted Checkout lives.
const stripeCheckoutOrigin = "https://checkout.stripe.com"

// widgetOnline is the manage page's online payment block.
type widgetOnline struct {
	// Pending: seats held, payment not confirmed yet; Overdue: the time to
	// pay is up; Expired: the hold ran out and the seats went back.
	Pending, Overdue, Expired bool
	// Returned: the client is back from Checkout (?paid=1) and the
	// webhook has not confirmed yet.
	Returned bool
	Text     string // what the block says
	// PayURL is the open Checkout Session (a link out of the frame);
	// PayLabel its text. PayAction posts for a new session.
	PayURL, PayLabel, PayAction string
	// PollURL reloads the page's content while pending.
	PollURL string
	// Paid says what was paid online ("" when nothing).
	Paid string
}

// paidOnline tells whether b was paid online and still holds the money.
func paidOnline(b *booking.Booking) bool {
	return b.Payment == booking.PaymentOnline && b.PaidAmountMinor > 0
}

// onlineBlock fills in the manage page's online payment state, and tells
// the CSP where the Pay button's form may lead.
func (h *widgetHandlers) onlineBlock(c *gin.Context, v *widgetView, m *widget.Manage, p *widgetManagePage) {
	st, ok := m.Online(h.flow.Now())
	if !ok {
		return
	}
	token := m.Reservation.Group.Token
	o := &widgetOnline{Pending: st.Pending && !st.Overdue, Overdue: st.Overdue, Expired: st.Expired}
	amount := ""
	if st.AmountMinor > 0 {
		amount = v.L.Money(st.AmountMinor, st.Currency)
	}
	switch {
	case o.Pending:
		o.Returned = c.Query("paid") == "1"
		until := v.L.Clock(v.Cat.Local(st.HoldUntil))
		o.Text = v.L.T("widget_online_pending_text", map[string]any{"Until": until, "Amount": amount})
		o.PayLabel = v.L.T("widget_online_pay_now", map[string]any{"Amount": amount})
		if amount == "" { // a pass being bought, its payment not opened yet
			o.Text = v.L.T("widget_online_pending_text_plain", map[string]any{"Until": until})
			o.PayLabel = v.L.T("widget_online_pay_plain")
		}
		if st.BuyPassTypeID != 0 {
			o.Text += " " + v.L.T("widget_online_pass_after")
		}
		if o.Returned {
			o.Text = v.L.T("widget_online_returned")
		}
		o.PayURL = st.OpenURL
		o.PayAction = "/m/" + token + "/pay"
		paid := ""
		if o.Returned {
			paid = "1" // the page the poll brings keeps saying "payment received"
		}
		o.PollURL = v.URL("/m/"+token, "poll", "1", "paid", paid)
		v.formActions = append(v.formActions, stripeCheckoutOrigin)
		v.formActions = append(v.formActions, st.CheckoutOrigins...)
	case o.Overdue:
		o.Text = v.L.T("widget_online_overdue")
	case o.Expired:
		o.Text = v.L.T("widget_online_expired_text")
	case amount != "":
		o.Paid = v.L.T("widget_online_paid", map[string]any{"Amount": amount})
		if c.Query("paid") == "1" {
			v.alert("success", v.L.T("widget_online_confirmed"))
		}
	}
	p.Online = o
}

// refundNotes says beside each booking paid online what cancelling it
// gives back, and after a cancel what is being refunded.
func (h *widgetHandlers) refundNotes(c *gin.Context, v *widgetView, m *widget.Manage, p *widgetManagePage) {
	refunds := m.Cat.Location.RefundOnClientCancel
	cancelled, _ := strconv.ParseInt(c.Query("cancelled"), 10, 64)
	for i := range p.Items {
		it := &p.Items[i]
		b := &it.Booking
		if mo, ok := m.Money[b.ID]; ok {
			it.MoneyNote = moneyNote(v, mo)
		}
		if !paidOnline(b) {
			continue
		}
		amount := v.L.Money(b.PaidAmountMinor, b.PaidCurrency)
		switch {
		case b.ID == cancelled && !b.Active() && refunds:
			v.alert("info", v.L.T("widget_online_refund_started", map[string]any{"Amount": amount}))
		case b.Active() && it.CanCancel && refunds:
			it.RefundNote = v.L.T("widget_online_refund_on_cancel", map[string]any{"Amount": amount})
		case b.Active() && it.CanCancel:
			it.RefundNote = v.L.T("widget_online_no_refund_on_cancel")
		}
	}
}

// payNow opens a new Checkout Session for a held group (the manage page's
// Pay button, posted out of the frame) and sends the browser there. The
// group's older session is expired, so only this one can confirm.
func (h *widgetHandlers) payNow(c *gin.Context) {
	m, v, ok := h.openManage(c)
	if !ok {
		return
	}
	token := m.Reservation.Group.Token
	back := v.URL("/m/" + token)
	if m.Reservation.Group.State != booking.GroupPendingPayment {
		c.Redirect(http.StatusSeeOther, back) // paid or released meanwhile: the page says which
		return
	}
	if !h.onlineOn() {
		h.onlineUnavailable(c, v)
		return
	}
	s, err := h.startCheckout(c.Request.Context(), v, token)
	var ce *checkoutError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, s.URL)
	case errors.Is(err, booking.ErrHoldExpired), errors.Is(err, booking.ErrNotPending):
		c.Redirect(http.StatusSeeOther, back)
	case errors.As(err, &ce):
		h.log.Warn("checkout session not opened: hold released", "err", err, "request_id", RequestID(c))
		if m, err = h.flow.OpenManage(c.Request.Context(), token); err != nil {
			h.serverError(c, err)
			return
		}
		v.alert("error", v.L.T("widget_online_failed"))
		c.Header("Retry-After", strconv.Itoa(retryAfterSeconds))
		h.showManage(c, v, m, http.StatusServiceUnavailable)
	default:
		h.serverError(c, err)
	}
}

// moneyNote says what of a booking's online payment went back to the
// client: refunded, or on its way (a refund that failed is retried by
// staff, so for the client it is still on its way).
func moneyNote(v *widgetView, mo booking.BookingMoney) string {
	var failed int64
	for _, f := range mo.FailedRefunds {
		failed += f.AmountMinor
	}
	switch {
	case mo.PendingMinor+failed > 0:
		return v.L.T("widget_online_refund_pending", map[string]any{"Amount": v.L.Money(mo.PendingMinor+failed, mo.Currency)})
	case mo.RefundedMinor > 0:
		return v.L.T("widget_online_refunded", map[string]any{"Amount": v.L.Money(mo.RefundedMinor, mo.Currency)})
	}
	return ""
}
