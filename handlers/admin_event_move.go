package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// eventMovePage lists where a booking can go.
type eventMovePage struct {
	*eventPage
	Row      eventRow
	Targets  []moveTarget
	Selected int64
	Action   string
	Error    string // at the list of events
}

// moveTarget is one event the booking can move to.
type moveTarget struct {
	ID               int64
	Date, Start, End string
	Member           string
	Left, Capacity   int
}

// eventMoveForm shows the upcoming events of the same service with room
// for the whole booking.
func (h *adminHandlers) eventMoveForm(c *gin.Context) {
	t, ok := h.loadBookingTarget(c)
	if !ok {
		return
	}
	h.showMove(c, t, http.StatusOK, 0, "")
}

// eventMove moves the booking. The core re-checks everything the list
// promised, since a tampered form or a full event must be refused.
func (h *adminHandlers) eventMove(c *gin.Context) {
	t, ok := h.loadBookingTarget(c)
	if !ok {
		return
	}
	to, err := strconv.ParseInt(c.PostForm("to"), 10, 64)
	if err != nil {
		h.showMove(c, t, http.StatusUnprocessableEntity, 0, t.v.L.T("admin_event_move_error_choose"))
		return
	}
	_, err = h.store.MoveBooking(c.Request.Context(), t.b.ID, to)
	if err == nil {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?done=moved&to=%d#gae-clients", t.p.URL, to))
		return
	}
	var msg string
	status := http.StatusUnprocessableEntity
	switch {
	case errors.Is(err, booking.ErrFull):
		msg = t.v.L.T("admin_event_move_error_full")
	case errors.Is(err, booking.ErrDifferentService):
		msg = t.v.L.T("admin_event_move_error_service")
	case errors.Is(err, booking.ErrAlreadyBooked):
		msg = t.v.L.T("admin_event_move_error_booked")
	case errors.Is(err, booking.ErrNotFound):
		msg = t.v.L.T("admin_event_move_error_choose")
	case errors.Is(err, booking.ErrAlreadyCancelled):
		msg, status = t.v.L.T("admin_event_error_cancelled"), http.StatusConflict
	case errors.Is(err, booking.ErrConflict):
		msg, status = t.v.L.T("admin_event_error_conflict"), http.StatusConflict
	default:
		// A booking paid by a pass moves only where the pass pays: the
		// refusal names why (its validity, its service, its visits).
		var ok bool
		if status, msg, ok = paymentRefusal(t.v, err, h.store.Clock().In(t.v.Location.Zone())); !ok {
			h.serverError(c, err)
			return
		}
	}
	h.showMove(c, t, status, to, msg)
}

// showMove renders the move page; problem is why the last attempt failed.
func (h *adminHandlers) showMove(c *gin.Context, t *bookingTarget, status int, selected int64, problem string) {
	v, ctx := t.v, c.Request.Context()
	p := &eventMovePage{eventPage: t.p, Selected: selected, Action: fmt.Sprintf("%s/bookings/%d/move", t.p.URL, t.b.ID)}
	row := t.p.row(t.b.ID)
	if row == nil {
		// Cancelled: nothing to move.
		status, problem = http.StatusConflict, v.L.T("admin_event_error_cancelled")
		for _, r := range t.p.Cancelled {
			if r.ID == t.b.ID {
				row = &r
			}
		}
	} else {
		events, err := h.store.MoveTargets(ctx, t.b.ID, h.store.Clock())
		if err != nil && !errors.Is(err, booking.ErrAlreadyCancelled) {
			h.serverError(c, err)
			return
		}
		members, err := h.store.TeamMembers(ctx, v.Location.ID, true)
		if err != nil {
			h.serverError(c, err)
			return
		}
		names := map[int64]string{}
		for _, m := range members {
			names[m.ID] = m.Name
		}
		zone := v.Location.Zone()
		for _, ev := range events {
			start := ev.StartsAt.In(zone)
			p.Targets = append(p.Targets, moveTarget{
				ID: ev.ID, Date: v.L.DateLong(start), Start: v.L.Clock(start), End: v.L.Clock(ev.EndsAt().In(zone)),
				Member: names[ev.TeamMemberID], Left: ev.SeatsLeft(), Capacity: ev.Capacity,
			})
		}
	}
	if row != nil {
		p.Row = *row
	}
	if problem != "" {
		p.Error = problem
		v.alert("error", problem)
	}
	v.Page, v.Title = p, v.L.T("admin_event_move_title")
	h.render(c, status, "admin_event_move", v)
}
