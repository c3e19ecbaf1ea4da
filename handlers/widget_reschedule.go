package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

// rescheduleTargetLimit bounds the dates the reschedule page lists: enough
// for weeks of a daily class, and one page to read.
const rescheduleTargetLimit = 60

// rescheduleErrors maps the reschedule refusals to the client's message and
// the status: 409 when the state changed under the client (full, started,
// moved meanwhile, too late), 422 when the chosen date was never one the
// booking could move to. Other refusals fall back to bookingErrorText.
var rescheduleErrors = []struct {
	err    error
	id     string
	status int
}{
	{booking.ErrRescheduleStale, "widget_manage_error_stale", http.StatusConflict},
	{booking.ErrRescheduleCutoff, "widget_manage_error_cutoff", http.StatusConflict},
	{booking.ErrRescheduleNotAllowed, "widget_manage_error_not_allowed", http.StatusConflict},
	{booking.ErrPaymentPending, "widget_manage_error_payment_pending", http.StatusConflict},
	{booking.ErrAlreadyCancelled, "widget_manage_error_cancelled", http.StatusConflict},
	{booking.ErrOtherMember, "widget_manage_error_other_member", http.StatusUnprocessableEntity},
	{booking.ErrDifferentService, "widget_manage_error_other_service", http.StatusUnprocessableEntity},
	{booking.ErrNotOnLink, "widget_manage_error_other_service", http.StatusUnprocessableEntity},
	{booking.ErrOnlineBookingOff, "widget_manage_error_other_service", http.StatusUnprocessableEntity},
	{booking.ErrAlreadyBooked, "widget_manage_error_already_there", http.StatusConflict},
}

// rescheduleRefusal is the client's message and status for a refused move
// (ok false: err is a failure, not a refusal).
func rescheduleRefusal(v *widgetView, err error) (string, int, bool) {
	for _, r := range rescheduleErrors {
		if errors.Is(err, r.err) {
			return v.L.T(r.id), r.status, true
		}
	}
	if errors.Is(err, booking.ErrNotFound) || errors.Is(err, booking.ErrEventDeleted) {
		return v.L.T("widget_manage_error_gone"), http.StatusNotFound, true
	}
	if isBookingRefusal(err) {
		return bookingErrorText(v.L, err, 0), http.StatusConflict, true
	}
	return "", 0, false
}

// widgetReschedulePage lists the dates one booking can move to.
type widgetReschedulePage struct {
	Item widgetManageItem
	// Days are the targets by local day; empty with a reason in an alert
	// (or no dates at all: Empty).
	Days  []rescheduleDay
	Empty bool
	// Action is where each date's form posts; Back returns to the manage
	// page.
	Action, Back string
}

type rescheduleDay struct {
	Heading string
	Targets []rescheduleTarget
}

// rescheduleTarget is one date: its own small form, so picking it is one
// click and needs no JavaScript.
type rescheduleTarget struct {
	Event            booking.Event
	DateTime, Clock  string
	Member, SeatLeft string
}

// reschedulePage is the Change menu's Reschedule: the dates this booking
// can move to.
func (h *widgetHandlers) reschedulePage(c *gin.Context) {
	m, v, id, ok := h.openManageBooking(c)
	if !ok {
		return
	}
	if _, ok := m.Item(id); !ok {
		h.notFound(c)
		return
	}
	h.showReschedule(c, v, m, id, http.StatusOK)
}

// showReschedule renders the reschedule page of booking id (which the
// caller found in the group). A booking that cannot move any more says why,
// with status 409 unless the caller already chose one.
func (h *widgetHandlers) showReschedule(c *gin.Context, v *widgetView, m *widget.Manage, id int64, status int) {
	token := m.Reservation.Group.Token
	mp := h.managePage(c, v, m)
	p := &widgetReschedulePage{Action: "/m/" + token + "/move", Back: v.URL("/m/" + token)}
	for _, x := range mp.Items {
		if x.Booking.ID == id {
			p.Item = x
		}
	}
	v.relink("/m/"+token+"/move/"+strconv.FormatInt(id, 10), nil)
	v.Page, v.Title = p, v.L.T("widget_manage_reschedule_title")
	c.Header("Cache-Control", "no-store")
	if !p.Item.CanReschedule {
		switch {
		case len(v.Alerts) > 0: // the refusal already says why
		case p.Item.RescheduleNote != "":
			v.alert("error", p.Item.RescheduleNote)
		case p.Item.RescheduleErr != nil:
			text, _, ok := rescheduleRefusal(v, p.Item.RescheduleErr)
			if !ok {
				text = v.L.T("widget_manage_error_not_allowed")
			}
			v.alert("error", text)
		default: // held for a payment
			v.alert("error", v.L.T("widget_manage_error_payment_pending"))
		}
		if status == http.StatusOK {
			status = http.StatusConflict
		}
		h.render(c, status, "widget_reschedule", v)
		return
	}
	evs, err := h.flow.RescheduleTargets(c.Request.Context(), token, id, rescheduleTargetLimit)
	if err != nil {
		if text, code, ok := rescheduleRefusal(v, err); ok {
			v.alert("error", text)
			if status == http.StatusOK {
				status = code
			}
			h.render(c, status, "widget_reschedule", v)
			return
		}
		h.serverError(c, err)
		return
	}
	p.Empty = len(evs) == 0
	for _, d := range widget.GroupByDay(evs, m.Cat.Zone) {
		day := rescheduleDay{Heading: v.L.DateLong(d.Date)}
		for _, ev := range d.Events {
			lt := m.Cat.Local(ev.StartsAt)
			day.Targets = append(day.Targets, rescheduleTarget{
				Event: ev, DateTime: ev.StartsAt.UTC().Format(time.RFC3339), Clock: v.L.Clock(lt),
				Member: m.Cat.Member(ev.TeamMemberID).Name, SeatLeft: v.L.N("seats_left", ev.SeatsLeft()),
			})
		}
		p.Days = append(p.Days, day)
	}
	h.render(c, status, "widget_reschedule", v)
}

// reschedule moves a booking to the date the client picked. Every id in
// the form is re-checked by the core through the token; the from event
// makes a second, racing move (or one after staff moved the booking) fail
// instead of moving it twice.
func (h *widgetHandlers) reschedule(c *gin.Context) {
	m, v, ok := h.openManage(c)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(c.PostForm("booking"), 10, 64)
	if _, ok := m.Item(id); !ok {
		h.notFound(c)
		return
	}
	from, _ := strconv.ParseInt(c.PostForm("from"), 10, 64)
	to, _ := strconv.ParseInt(c.PostForm("to"), 10, 64)
	token := m.Reservation.Group.Token
	_, err := h.flow.Reschedule(c.Request.Context(), booking.RescheduleRequest{
		Token: token, BookingID: id, FromEventID: from, ToEventID: to, ClientIP: c.ClientIP(),
	})
	if err != nil {
		text, code, ok := rescheduleRefusal(v, err)
		if !ok {
			h.serverError(c, err)
			return
		}
		// Show the page as it is now: the booking may have moved meanwhile.
		if m, err = h.flow.OpenManage(c.Request.Context(), token); err != nil {
			h.serverError(c, err)
			return
		}
		v.alert("error", text)
		h.showReschedule(c, v, m, id, code)
		return
	}
	c.Redirect(http.StatusSeeOther, v.URL("/m/"+token, "moved", strconv.FormatInt(id, 10)))
}
