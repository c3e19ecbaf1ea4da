package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// paymentsSettingsSave saves how long seats are held for an online payment
// and whether a client's cancel before the cutoff refunds them. A number
// out of range is shown at its field (422, nothing saved).
func (h *adminHandlers) paymentsSettingsSave(c *gin.Context) {
	v := h.paymentsView(c)
	if !settingsNeedLocation(c, v) {
		return
	}
	raw := strings.TrimSpace(c.PostForm("payment_hold_min"))
	refund := c.PostForm("refund_on_client_cancel") != ""
	hold, err := strconv.Atoi(raw)
	if err != nil || hold < booking.MinPaymentHoldMin || hold > booking.MaxPaymentHoldMin {
		h.paymentsSettingsRefused(c, v, raw, refund, booking.FieldErrors{"payment_hold_min": "admin_payments_hold_range"})
		return
	}
	err = h.store.SetPaymentSettings(c.Request.Context(), v.Location.ID, hold, refund)
	var fe booking.FieldErrors
	if errors.As(err, &fe) {
		h.paymentsSettingsRefused(c, v, raw, refund, fe)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	settingsRedirect(c, "/admin/payments", "saved")
}

// paymentsSettingsRefused shows the page again with what was typed and the
// message at the field.
func (h *adminHandlers) paymentsSettingsRefused(c *gin.Context, v *adminView, raw string, refund bool, fe booking.FieldErrors) {
	// Every refusal of the hold is about its range, whoever found it: the
	// message names the limits.
	if _, ok := fe["payment_hold_min"]; ok {
		fe = booking.FieldErrors{"payment_hold_min": "admin_fix_errors"}
	}
	v.fieldErrors(fe)
	if _, ok := v.Errors["payment_hold_min"]; ok {
		v.Errors["payment_hold_min"] = v.L.T("admin_payments_hold_range", map[string]any{"Min": booking.MinPaymentHoldMin, "Max": booking.MaxPaymentHoldMin})
	}
	p := h.newPaymentsPage(v)
	p.HoldMin, p.RefundOnCancel = raw, refund
	if err := h.loadPayments(c.Request.Context(), v, p, readPaymentsFilter(c, h.today(v))); err != nil {
		h.serverError(c, err)
		return
	}
	h.settingsRender(c, http.StatusUnprocessableEntity, "admin_payments", v)
}

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
	if err := h.loadPayments(c.Request.Context(), v, p, readPaymentsFilter(c, h.today(v))); err != nil {
		h.serverError(c, err)
		return false
	}
	h.settingsRender(c, http.StatusConflict, "admin_payments", v)
	return false
}
