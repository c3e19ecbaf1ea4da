package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

type widgetManageItem struct {
	widget.ManageItem
	CanCancel                    bool
	CancelNote                   string
	GoogleURL, ICSURL, CancelURL string
	// CanReschedule: the Change menu offers Reschedule (RescheduleURL);
	// RescheduleNote says why not once it was possible and no longer is.
	CanReschedule  bool
	RescheduleURL  string
	RescheduleNote string
	// Change: the booking has a Change menu (active and not held for a
	// payment).
	Change bool
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

// bookingParam reads the :booking id of a manage-page route, answering
// 404 itself for anything that is not a positive number.
func (h *widgetHandlers) bookingParam(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("booking"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(c)
		return 0, false
	}
	return id, true
}

// openManageBooking is openManage for the routes about one booking of the
// group (/m/:token/…/:booking); whether the id is the group's is the
// caller's check.
func (h *widgetHandlers) openManageBooking(c *gin.Context) (*widget.Manage, *widgetView, int64, bool) {
	id, ok := h.bookingParam(c)
	if !ok {
		return nil, nil, 0, false
	}
	m, v, ok := h.openManage(c)
	return m, v, id, ok
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
	if id, err := strconv.ParseInt(c.Query("moved"), 10, 64); err == nil {
		// The alert names the booking's time now, read from the database,
		// not anything the URL says.
		if it, ok := m.Item(id); ok && it.Booking.Active() {
			v.alert("success", v.L.T("widget_manage_moved", map[string]any{"When": whenText(v, it.Event)}))
		}
	}
	h.showManage(c, v, m, http.StatusOK)
}

func (h *widgetHandlers) showManage(c *gin.Context, v *widgetView, m *widget.Manage, status int) {
	token := m.Reservation.Group.Token
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		v.relink("/m/"+token, nil) // a refused cancel reloads the page itself
	}
	v.Page, v.Title = h.managePage(c, v, m), v.L.T("widget_your_bookings")
	h.render(c, status, "widget_manage", v)
}

// managePage works out what the manage page shows of each booking: its
// calendar links and its Change menu (reschedule, cancel) or why not.
func (h *widgetHandlers) managePage(c *gin.Context, v *widgetView, m *widget.Manage) *widgetManagePage {
	token := m.Reservation.Group.Token
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
		// Held bookings are not final: nothing to cancel, move or put in a
		// calendar until the payment confirms them.
		id := strconv.FormatInt(it.Booking.ID, 10)
		mi := widgetManageItem{ManageItem: it, CanCancel: it.CancelErr == nil && !held,
			CanReschedule: it.RescheduleErr == nil && !held}
		mi.Change = it.Booking.Active() && !held
		if mi.Change && errors.Is(it.CancelErr, booking.ErrCutoffPassed) {
			mi.CancelNote = v.L.T("widget_manage_cancel_until", map[string]any{"When": untilText(v, it.Event, m.Link.CancelCutoff())})
		}
		if mi.Change && errors.Is(it.RescheduleErr, booking.ErrRescheduleCutoff) {
			mi.RescheduleNote = v.L.T("widget_manage_reschedule_until", map[string]any{"When": untilText(v, it.Event, m.Link.RescheduleCutoff())})
		}
		mi.ICSURL = v.URL("/m/" + token + "/ics/" + id)
		mi.CancelURL = v.URL("/m/" + token + "/cancel/" + id)
		mi.RescheduleURL = v.URL("/m/" + token + "/move/" + id)
		ci := m.Calendar(it.Booking.ID)[0]
		mi.GoogleURL = widget.GoogleCalendarURL(widget.Summary(ci), it.Event.StartsAt, it.Event.EndsAt(),
			h.calendarDescription(v, p.ManageURL)(ci), m.Cat.Location.Name+", "+m.Cat.Location.Address)
		p.Items = append(p.Items, mi)
	}
	h.refundNotes(c, v, m, p)
	return p
}

// whenText is an event's local date and time as a client reads it ("Tue 8
// Dec 18:00").
func whenText(v *widgetView, ev booking.Event) string {
	lt := v.Cat.Local(ev.StartsAt)
	return v.L.DateShort(lt) + " " + v.L.Clock(lt)
}

// untilText is when a cutoff before the event passed, as a client reads it.
func untilText(v *widgetView, ev booking.Event, cutoff time.Duration) string {
	lt := v.Cat.Local(ev.StartsAt.Add(-cutoff))
	return v.L.DateShort(lt) + " " + v.L.Clock(lt)
}

// cancel cancels one booking from the manage page and shows the page
// again. Only the confirmation page's form (confirm=1) cancels: any other
// post asks first, so a stray or replayed click never cancels.
func (h *widgetHandlers) cancel(c *gin.Context) {
	m, v, ok := h.openManage(c)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(c.PostForm("booking"), 10, 64)
	if c.PostForm("confirm") != "1" {
		h.showCancelConfirm(c, v, m, id)
		return
	}
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
