package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

type widgetManageItem struct {
	widget.ManageItem
	CanCancel                    bool
	CancelNote                   string
	GoogleURL, ICSURL, CancelURL string
	// RefundNote says what cancelling gives back of an online payment;
	// MoneyNote what was refunded or is on its way back.
	RefundNote, MoneyNote string
}

type widgetManagePage struct {
	Items                []widgetManageItem
	Active               int
	New                  bool
	AllICSURL, ManageURL string
	// PaidWith names the pass that paid and what is left on it ("" when
	// none did).
	PaidWith string
	// Online is the online payment's state (nil: the group had none).
	Online *widgetOnline
}

// openManage loads the manage page's group, answering 404 itself for an
// unknown token.
func (h *widgetHandlers) openManage(c *gin.Context) (*widget.Manage, *widgetView, bool) {
	m, err := h.flow.OpenManage(c.Request.Context(), c.Param("token"))
	if errors.Is(err, booking.ErrNotFound) {
		h.notFound(c)
		return nil, nil, false
	}
	if err != nil {
		h.serverError(c, err)
		return nil, nil, false
	}
	return m, h.newWidgetView(c, m.Link, m.Cat), true
}

// manage is the confirmation page and the client's way back to their
// bookings later, opened by the unguessable token in the link they got.
func (h *widgetHandlers) manage(c *gin.Context) {
	m, v, ok := h.openManage(c)
	if !ok {
		return
	}
	if c.Query("poll") == "1" {
		if isFragmentRequest(c) && m.Reservation.Group.State == booking.GroupPendingPayment {
			// Still waiting for the payment: nothing to swap.
			c.Header("Vary", "HX-Request")
			c.Header("Cache-Control", "no-store")
			c.Status(http.StatusNoContent)
			return
		}
		q := c.Request.URL.Query()
		q.Del("poll")
		v.relink(c.Request.URL.Path, q)
	}
	if c.Query("cancelled") != "" {
		v.alert("success", v.L.T("widget_cancel_done"))
	}
	h.showManage(c, v, m, http.StatusOK)
}

func (h *widgetHandlers) showManage(c *gin.Context, v *widgetView, m *widget.Manage, status int) {
	token := m.Reservation.Group.Token
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		v.relink("/m/"+token, nil) // a refused cancel reloads the page itself
	}
	p := &widgetManagePage{
		Active: m.Active(), New: c.Query("new") == "1",
		AllICSURL: v.URL("/m/" + token + "/ics"),
		ManageURL: h.manageURL(token, v.Lang),
	}
	if ps := m.Pass; ps != nil {
		if ps.Unlimited() {
			p.PaidWith = v.L.T("widget_paid_with_pass_unlimited", map[string]any{"Name": ps.Name})
		} else {
			p.PaidWith = v.L.T("widget_paid_with_pass", map[string]any{"Name": ps.Name, "Left": v.L.N("widget_pass_left", max(ps.Balance, 0))})
		}
	}
	h.onlineBlock(c, v, m, p)
	held := m.Reservation.Group.State != booking.GroupBooked
	for _, it := range m.Items {
		// Held bookings are not final: nothing to cancel or put in a
		// calendar until the payment confirms them.
		mi := widgetManageItem{ManageItem: it, CanCancel: it.CancelErr == nil && !held}
		if it.CancelErr != nil && errors.Is(it.CancelErr, booking.ErrCutoffPassed) {
			mi.CancelNote = bookingErrorText(v.L, it.CancelErr, 0)
		}
		mi.ICSURL = v.URL("/m/" + token + "/ics/" + strconv.FormatInt(it.Booking.ID, 10))
		mi.CancelURL = "/m/" + token + "/cancel"
		ci := m.Calendar(it.Booking.ID)[0]
		mi.GoogleURL = widget.GoogleCalendarURL(widget.Summary(ci), it.Event.StartsAt, it.Event.EndsAt(),
			h.calendarDescription(v, p.ManageURL)(ci), m.Cat.Location.Name+", "+m.Cat.Location.Address)
		p.Items = append(p.Items, mi)
	}
	h.refundNotes(c, v, m, p)
	v.Page, v.Title = p, v.L.T("widget_your_bookings")
	h.render(c, status, "widget_manage", v)
}

// cancel cancels one booking from the manage page and shows the page again.
func (h *widgetHandlers) cancel(c *gin.Context) {
	m, v, ok := h.openManage(c)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(c.PostForm("booking"), 10, 64)
	_, err := h.flow.Cancel(c.Request.Context(), m.Reservation.Group.Token, id, c.ClientIP())
	if err != nil {
		var code = http.StatusConflict
		if errors.Is(err, booking.ErrNotFound) {
			code = http.StatusNotFound
		} else if !isBookingRefusal(err) {
			h.serverError(c, err)
			return
		}
		v.alert("error", bookingErrorText(v.L, err, 0))
		h.showManage(c, v, m, code)
		return
	}
	c.Redirect(http.StatusSeeOther, v.URL("/m/"+m.Reservation.Group.Token, "cancelled", strconv.FormatInt(id, 10)))
}

// isBookingRefusal tells a rule's refusal from a failure.
func isBookingRefusal(err error) bool {
	for _, m := range bookingErrorIDs {
		if errors.Is(err, m.err) {
			return true
		}
	}
	return false
}

// manageURL is the absolute manage link, in the client's language.
func (h *widgetHandlers) manageURL(token, lang string) string {
	return h.baseURL + "/m/" + token + "?" + url.Values{"lang": {lang}}.Encode()
}
