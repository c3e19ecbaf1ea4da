package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// scheduleNewForm shows the form for one event or a weekly series. The
// schedule's "add" links fill in the day, team member and service.
func (h *adminHandlers) scheduleNewForm(c *gin.Context) {
	v, ok := h.scheduleView(c)
	if !ok {
		return
	}
	day := h.store.Clock().In(v.Location.Zone())
	if d, err := time.Parse(booking.DateLayout, c.Query("date")); err == nil {
		day = d
	}
	date := day.Format(booking.DateLayout)
	f := schedForm{
		Repeat: schedRepeatNone, Date: date, From: date, Time: c.Query("time"),
		MemberID: queryID(c, "member"), ServiceID: queryID(c, "service"),
		Days: []int{int(day.Weekday())},
	}
	h.scheduleRenderForm(c, v, http.StatusOK, f, nil)
}

// scheduleCreate creates the event or the series, then shows the schedule
// where it starts.
func (h *adminHandlers) scheduleCreate(c *gin.Context) {
	v, ok := h.scheduleView(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	f := readSchedForm(c)
	var (
		view, date string
		n          int
		err        error
	)
	err = f.minErrors()
	if err == nil && h.scheduleOverlap(c, v, f, nil) {
		return // warned (or failed), nothing written
	}
	switch {
	case err != nil: // refused below at the field, nothing written
	case f.Repeat == schedRepeatWeekly:
		var events []booking.Event
		_, events, err = h.store.CreateSeries(ctx, v.Location.ID, f.series())
		view, date, n = schedViewWeek, f.From, len(events)
	default:
		_, err = h.store.CreateEventAt(ctx, v.Location.ID, f.input(), f.Date, f.Time)
		view, date, n = schedViewDay, f.Date, 1
	}
	if v.fieldErrors(err) {
		h.scheduleFormError(c, v, f, nil)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, schedURL(view, date, 0, 0, "done", "created", "n", strconv.Itoa(n)))
}
