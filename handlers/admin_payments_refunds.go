package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// paymentsRetry sends a failed refund again: back to pending with a new
// job. An id of another location, or a refund not failed, is not found.
func (h *adminHandlers) paymentsRetry(c *gin.Context) {
	v := h.paymentsView(c)
	if !settingsNeedLocation(c, v) {
		return
	}
	id, ok := settingsID(c)
	if !ok {
		h.settingsMissing(c, v, nil)
		return
	}
	if !h.paymentsOnline(c, v) {
		return
	}
	if err := h.store.RetryRefund(c.Request.Context(), v.Location.ID, id); err != nil {
		h.settingsMissing(c, v, err)
		return
	}
	settingsRedirect(c, "/admin/payments", "retried")
}

// paymentsRefundFlagged refunds in full a payment flagged for a wrong
// amount or currency, which booked nothing: staff checked it in Stripe and
// give the money back. The id is the flagged charge's ledger row; a row of
// another location, or one not flagged, is not found; one refunded already
// is said so.
func (h *adminHandlers) paymentsRefundFlagged(c *gin.Context) {
	v := h.paymentsView(c)
	if !settingsNeedLocation(c, v) {
		return
	}
	id, ok := settingsID(c)
	if !ok {
		h.settingsMissing(c, v, nil)
		return
	}
	if !h.paymentsOnline(c, v) {
		return
	}
	ctx := c.Request.Context()
	e, err := h.store.PaymentEntryByID(ctx, v.Location.ID, id)
	if err == nil && e.Kind != booking.EntryCharge {
		err = booking.ErrNotFound
	}
	if err == nil {
		_, err = h.store.RefundFlagged(ctx, v.Location.ID, e.OnlinePaymentID, v.User.ID)
	}
	switch {
	case errors.Is(err, booking.ErrRefundTooMuch):
		settingsRedirect(c, "/admin/payments", "flagged_refunded_before")
	case errors.Is(err, booking.ErrNotPaidOnline):
		h.settingsMissing(c, v, nil)
	case err != nil:
		h.settingsMissing(c, v, err)
	default:
		settingsRedirect(c, "/admin/payments", "flagged_refunded")
	}
}

// paymentsOnline refuses a refund action while Stripe is not configured:
// no worker would send it, so it would sit pending. It has answered (409,
// the page with the reason) when it reports false.
func (h *adminHandlers) paymentsOnline(c *gin.Context, v *adminView) bool {
	if h.onlineOn() {
		return true
	}
	v.alert("error", v.L.T("admin_payments_refund_off"))
	p := h.newPaymentsPage(v)
	if err := h.loadPayments(c.Request.Context(), v, p, readPaymentsFilter(c, h.paymentsToday(v))); err != nil {
		h.serverError(c, err)
		return false
	}
	h.settingsRender(c, http.StatusConflict, "admin_payments", v)
	return false
}
