package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// eventLookup is what the add form learns while staff type a phone.
type eventLookup struct {
	Match *booking.ClientMatch
	Phone string // the number as it will be stored, formatted
	// New is a valid number nobody at the studio has yet.
	New bool
}

// eventClientLookup answers the add form's phone field as staff type: the
// client the number belongs to, with their names and email swapped into
// the form, since the booking will keep those on file anyway. It is only
// a help: without JavaScript the form books by phone all the same.
func (h *adminHandlers) eventClientLookup(c *gin.Context) {
	v := h.newAdminView(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || v.Location == nil {
		h.eventNotFound(c, v)
		return
	}
	ctx := c.Request.Context()
	if _, err := h.store.LiveEvent(ctx, v.Location.ID, id); errors.Is(err, booking.ErrNotFound) {
		h.eventNotFound(c, v)
		return
	} else if err != nil {
		h.serverError(c, err)
		return
	}
	p := &eventPage{Add: newEventAddForm(), Lookup: &eventLookup{}}
	v.Page = p
	m, err := h.store.LookupClient(ctx, v.Location.ID, id, c.Query("phone"))
	switch {
	case err == nil:
		p.Lookup.Match, p.Lookup.Phone = m, booking.FormatPhone(m.Client.Phone)
		p.Add.FirstName, p.Add.LastName, p.Add.Email = m.Client.FirstName, m.Client.LastName, m.Client.Email
	case errors.Is(err, booking.ErrNotFound):
		p.Lookup.New = true
	case errors.Is(err, booking.ErrInvalid):
		// Still typing: say nothing yet.
	default:
		h.serverError(c, err)
		return
	}
	out, err := h.views.Render("admin_event#admin_event_lookup", v)
	if err != nil {
		h.serverError(c, err)
		return
	}
	c.Header("Vary", "HX-Request")
	c.Data(http.StatusOK, "text/html; charset=utf-8", out)
}
