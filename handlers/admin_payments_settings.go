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
	if err != nil {
		hold = -1 // refused by the core, at the field
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
	v.fieldErrors(fe)
	// The core says "out of range"; the form names the range, which also
	// answers a number that did not parse.
	if _, ok := v.Errors["payment_hold_min"]; ok {
		v.Errors["payment_hold_min"] = v.L.T("admin_payments_hold_range", map[string]any{"Min": booking.MinPaymentHoldMin, "Max": booking.MaxPaymentHoldMin})
	}
	p := h.newPaymentsPage(v)
	p.HoldMin, p.RefundOnCancel = raw, refund
	if err := h.loadPayments(c.Request.Context(), v, p, readPaymentsFilter(c, h.paymentsToday(v))); err != nil {
		h.serverError(c, err)
		return
	}
	h.settingsRender(c, http.StatusUnprocessableEntity, "admin_payments", v)
}
