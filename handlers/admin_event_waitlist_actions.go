package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// waitlistAction is one action on a waitlist entry: its name for the
// "done" message, and the core call.
type waitlistAction struct {
	done  string
	apply func(ctx context.Context, entryID, staffID int64) error
}

// eventWaitlistBook moves an entry's party into the event as a booking,
// with its offered seats or free ones.
func (h *adminHandlers) eventWaitlistBook(c *gin.Context) {
	h.changeWaitlist(c, waitlistAction{done: "wl_booked", apply: func(ctx context.Context, id, staff int64) error {
		_, err := h.store.BookWaitlistEntry(ctx, id, staff)
		return err
	}})
}

// eventWaitlistMove moves an entry one place up or down in line.
func (h *adminHandlers) eventWaitlistMove(up bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h.changeWaitlist(c, waitlistAction{done: "wl_moved", apply: func(ctx context.Context, id, _ int64) error {
			return h.store.MoveWaitlistEntry(ctx, id, up)
		}})
	}
}

// eventWaitlistRemove takes an entry out of line; seats its offer held go
// to the next in line.
func (h *adminHandlers) eventWaitlistRemove(c *gin.Context) {
	h.changeWaitlist(c, waitlistAction{done: "wl_removed", apply: func(ctx context.Context, id, _ int64) error {
		return h.store.RemoveWaitlistEntry(ctx, id)
	}})
}

// changeWaitlist runs an action on an entry of the event in the URL, which
// is checked to be the admin's location's: the core's calls take only the
// entry id, so an entry of another event answers 404 here before any call.
// htmx gets the clients block back (the waitlist is in it, and a booking
// changes the list and the seats too); a plain form is redirected.
func (h *adminHandlers) changeWaitlist(c *gin.Context, a waitlistAction) {
	v := h.newAdminView(c)
	p, ok := h.loadEventPage(c, v)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("wid"), 10, 64)
	if err != nil || p.waitRowOf(id) == nil {
		h.eventNotFound(c, v)
		return
	}
	err = a.apply(c.Request.Context(), id, v.User.ID)
	if errors.Is(err, booking.ErrNotFound) {
		h.eventNotFound(c, v)
		return
	}
	if err == nil && !p.Fragment {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?done=%s#gae-waitlist", p.URL, a.done))
		return
	}
	// Reload: the section must show the change, or what changed meanwhile.
	v = h.newAdminView(c)
	p, ok = h.loadEventPage(c, v)
	if !ok {
		return
	}
	if err == nil {
		v.alert("success", v.L.T(waitlistDoneMsg(a.done)))
		h.renderEventBlock(c, http.StatusOK, v, "admin_event_clients")
		return
	}
	status, msg := waitlistRefusal(v, p, id, err)
	if status == http.StatusInternalServerError {
		h.serverError(c, err)
		return
	}
	if row := p.waitRowOf(id); row != nil {
		row.Err = msg
	}
	v.alert("error", msg)
	h.renderEventBlock(c, status, v, "admin_event_clients")
}

// waitlistRefusal translates a refused waitlist action.
func waitlistRefusal(v *adminView, p *eventPage, id int64, err error) (int, string) {
	var fe booking.FieldErrors
	switch {
	case errors.As(err, &fe):
		for _, msg := range fe {
			return http.StatusUnprocessableEntity, v.L.T(msg)
		}
	case errors.Is(err, booking.ErrFull):
		seats := 0
		if row := p.waitRowOf(id); row != nil {
			seats = row.Entry.Seats
		}
		return http.StatusConflict, v.L.N("admin_waitlist_error_full", seats, map[string]any{"Free": p.W.Event.SeatsLeft()})
	case errors.Is(err, booking.ErrOfferGone), errors.Is(err, booking.ErrConflict):
		// Someone (the client, another staff member, the expiry job) got
		// there first: the reloaded section shows where the entry is now.
		return http.StatusConflict, v.L.T("admin_waitlist_error_gone")
	case errors.Is(err, booking.ErrAlreadyBooked):
		return http.StatusConflict, v.L.T("admin_waitlist_error_booked")
	case errors.Is(err, booking.ErrStarted), errors.Is(err, booking.ErrEventDeleted):
		return http.StatusConflict, v.L.T("admin_waitlist_error_event")
	}
	return http.StatusInternalServerError, ""
}

// waitlistDoneMsg is the message after a waitlist action.
func waitlistDoneMsg(done string) string {
	switch done {
	case "wl_booked":
		return "admin_waitlist_done_booked"
	case "wl_moved":
		return "admin_waitlist_done_moved"
	case "wl_removed":
		return "admin_waitlist_done_removed"
	}
	return ""
}
