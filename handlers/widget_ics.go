package handlers

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/widget"
)

// icsAll serves every booking of the group as one .ics file.
func (h *widgetHandlers) icsAll(c *gin.Context) { h.ics(c, 0) }

// icsOne serves one booking's .ics; a cancelled booking's file cancels it
// in the calendar it was imported into.
func (h *widgetHandlers) icsOne(c *gin.Context) {
	id, ok := h.bookingParam(c)
	if !ok {
		return
	}
	h.ics(c, id)
}

func (h *widgetHandlers) ics(c *gin.Context, id int64) {
	m, v, ok := h.openManage(c)
	if !ok {
		return
	}
	items := m.Calendar(id)
	if len(items) == 0 {
		h.notFound(c)
		return
	}
	manage := h.manageURL(m.Reservation.Group.Token, v.Lang)
	var buf bytes.Buffer
	err := widget.WriteICS(&buf, items, widget.CalendarOptions{
		Host: h.host(), ManageURL: manage, Now: h.flow.Now(), Description: h.calendarDescription(v, manage),
	})
	if err != nil {
		h.serverError(c, err)
		return
	}
	name := "bookings.ics"
	if id != 0 {
		name = "booking-" + strconv.FormatInt(id, 10) + ".ics"
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}

// calendarDescription is the localised event description: seats and the
// manage link.
func (h *widgetHandlers) calendarDescription(v *widgetView, manage string) func(widget.CalendarItem) string {
	return func(it widget.CalendarItem) string {
		return v.L.N("seats_count", it.Booking.Seats) + ". " + v.L.T("widget_calendar_manage", map[string]any{"URL": manage})
	}
}

// host is the base URL's host, for calendar UIDs.
func (h *widgetHandlers) host() string {
	u, err := url.Parse(h.baseURL)
	if err != nil || u.Host == "" {
		return "groupbook.local"
	}
	return u.Hostname()
}
