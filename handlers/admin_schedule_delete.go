package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// schedDeletePage asks before an event and its bookings go.
type schedDeletePage struct {
	Event           schedEvent
	Bookings, Seats int
	Action          string
	CancelURL       string
}

// scheduleDeleteForm says what deleting the event will cancel and asks to
// confirm: it works without JavaScript, and a mis-click costs nothing.
func (h *adminHandlers) scheduleDeleteForm(c *gin.Context) {
	v, ok := h.scheduleView(c)
	if !ok {
		return
	}
	ev, ok := h.scheduleEvent(c, v)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	bookings, err := h.store.EventBookings(ctx, ev.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	svc, err := h.store.Service(ctx, ev.ServiceID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	tm, err := h.store.TeamMember(ctx, ev.TeamMemberID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := &schedDeletePage{Event: v.scheduleSummary(ev, v.Location.Zone(), svc, tm.Name), Action: schedEventPath(ev.ID, "delete")}
	p.CancelURL = schedURL(schedViewDay, p.Event.Date, 0, 0)
	for _, b := range bookings {
		if b.Active() {
			p.Bookings++
			p.Seats += b.Seats
		}
	}
	v.Title, v.Page = v.L.T("admin_schedule_delete_title"), p
	h.render(c, http.StatusOK, "admin_schedule_delete", v, "admin_schedule_frag")
}

// scheduleDelete deletes the event; the core cancels its bookings and
// returns the clients to tell.
func (h *adminHandlers) scheduleDelete(c *gin.Context) {
	v, ok := h.scheduleView(c)
	if !ok {
		return
	}
	ev, ok := h.scheduleEvent(c, v)
	if !ok {
		return
	}
	affected, err := h.store.DeleteEvent(c.Request.Context(), ev.ID)
	if errors.Is(err, booking.ErrEventDeleted) {
		h.scheduleMissing(c, v) // a second click, or a colleague was quicker
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	// Notifications arrive with a later issue; until then the log keeps
	// who must be told. Client ids only: phone numbers stay out of logs.
	clients := make([]int64, len(affected))
	for i, a := range affected {
		clients[i] = a.Client.ID
	}
	h.log.Info("event deleted, clients to notify", "event_id", ev.ID, "user_id", v.User.ID,
		"cancelled_bookings", len(affected), "client_ids", clients, "request_id", c.GetString(ctxRequestID))
	date := ev.StartsAt.In(v.Location.Zone()).Format(booking.DateLayout)
	c.Redirect(http.StatusSeeOther, schedURL(schedViewDay, date, 0, 0, "done", "deleted", "n", strconv.Itoa(len(affected))))
}
