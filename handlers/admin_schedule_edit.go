package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// scheduleEditForm shows an event's settings; for an event of a series it
// also asks whether the change is for this event only or for this and the
// following ones.
func (h *adminHandlers) scheduleEditForm(c *gin.Context) {
	v, ok := h.scheduleView(c)
	if !ok {
		return
	}
	ev, ok := h.scheduleEvent(c, v)
	if !ok {
		return
	}
	start := ev.StartsAt.In(v.Location.Zone())
	f := schedForm{
		Repeat: schedRepeatNone, Scope: schedScopeOne, ServiceID: ev.ServiceID, MemberID: ev.TeamMemberID,
		Date: start.Format(booking.DateLayout), Time: start.Format("15:04"),
		Duration: strconv.Itoa(ev.DurationMin), Capacity: strconv.Itoa(ev.Capacity),
		Color: ev.Color, Category: ev.Category, Comment: ev.Comment,
	}
	if ev.MinAttendees != nil {
		f.MinAttendees = strconv.Itoa(*ev.MinAttendees)
	}
	h.scheduleRenderForm(c, v, http.StatusOK, f, ev)
}

// scheduleUpdate saves the change, to one event or to the rest of its
// series, all or nothing.
func (h *adminHandlers) scheduleUpdate(c *gin.Context) {
	v, ok := h.scheduleView(c)
	if !ok {
		return
	}
	ev, ok := h.scheduleEvent(c, v)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	f := readSchedForm(c)
	f.ServiceID = ev.ServiceID
	if ev.SeriesID == 0 {
		f.Scope = schedScopeOne
	}
	err := f.minErrors() // refused below at the field, nothing written
	if err == nil && h.scheduleOverlap(c, v, f, ev) {
		return // warned (or failed), nothing written
	}
	var edit *booking.EventEdit
	switch {
	case err != nil:
	case f.Scope == schedScopeFollowing:
		edit, err = h.store.EditSeriesFrom(ctx, ev.ID, f.input(), f.Date, f.Time)
	default:
		edit, err = h.store.EditEventAt(ctx, ev.ID, f.input(), f.Date, f.Time)
	}
	if v.fieldErrors(err) {
		var below *booking.CapacityBelowError
		if errors.As(err, &below) {
			v.alert("error", v.L.T("admin_schedule_capacity_conflict", map[string]any{"Dates": schedConflicts(v, below)}))
		}
		h.scheduleFormError(c, v, f, ev)
		return
	}
	if errors.Is(err, booking.ErrEventDeleted) || errors.Is(err, booking.ErrNotFound) {
		h.scheduleMissing(c, v) // deleted by someone else meanwhile
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	done := []string{"done", "updated", "n", strconv.Itoa(len(edit.Events))}
	if edit.Told > 0 {
		// Staff learn that the clients heard of it, so nobody phones them
		// all again.
		done = append(done, "told", strconv.Itoa(edit.Told))
	}
	c.Redirect(http.StatusSeeOther, schedURL(schedViewDay, f.Date, 0, 0, done...))
}

// schedConflicts names the events that hold more seats than the capacity
// asked for, so the admin knows which bookings to move first.
func schedConflicts(v *adminView, e *booking.CapacityBelowError) string {
	zone := v.Location.Zone()
	parts := make([]string, 0, len(e.Events))
	for _, ev := range e.Events {
		start := ev.StartsAt.In(zone)
		parts = append(parts, v.L.T("admin_schedule_conflict_item", map[string]any{
			"Date": v.L.DateShort(start), "Time": v.L.Clock(start), "Taken": ev.SeatsTaken,
		}))
	}
	return strings.Join(parts, ", ")
}
