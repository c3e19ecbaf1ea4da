package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// Views of the schedule.
const (
	schedViewDay  = "day"
	schedViewWeek = "week"
)

// scheduleView starts an admin view for a schedule page; without a location
// there is nothing to schedule, which only a broken install can reach.
func (h *adminHandlers) scheduleView(c *gin.Context) (*adminView, bool) {
	v := h.newAdminView(c)
	v.Section = "schedule"
	if v.Location == nil {
		h.serverError(c, errors.New("schedule: no location"))
		return nil, false
	}
	return v, true
}

// scheduleEvent loads the event named in the URL. An id the browser sent is
// only trusted once the event is found at the admin's own location and
// still on the schedule; anything else is a 404.
func (h *adminHandlers) scheduleEvent(c *gin.Context, v *adminView) (*booking.Event, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		h.scheduleMissing(c, v)
		return nil, false
	}
	ev, err := h.store.Event(c.Request.Context(), id)
	if errors.Is(err, booking.ErrNotFound) || (err == nil && (ev.LocationID != v.Location.ID || ev.DeletedAt != nil)) {
		h.scheduleMissing(c, v)
		return nil, false
	}
	if err != nil {
		h.serverError(c, err)
		return nil, false
	}
	return ev, true
}

// scheduleMissing answers 404 with a way back to the schedule.
func (h *adminHandlers) scheduleMissing(c *gin.Context, v *adminView) {
	v.Title = v.L.T("admin_schedule_missing_title")
	h.render(c, http.StatusNotFound, "admin_schedule_missing", v, "admin_schedule_frag")
}

// schedURL links to the schedule; extra are name, value pairs.
func schedURL(view, date string, memberID, serviceID int64, extra ...string) string {
	q := url.Values{}
	if view != "" {
		q.Set("view", view)
	}
	if date != "" {
		q.Set("date", date)
	}
	if memberID != 0 {
		q.Set("member", idString(memberID))
	}
	if serviceID != 0 {
		q.Set("service", idString(serviceID))
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	if len(q) == 0 {
		return "/admin/schedule"
	}
	return "/admin/schedule?" + q.Encode()
}

func schedEventPath(id int64, action string) string {
	p := "/admin/schedule/events/" + idString(id)
	if action != "" {
		p += "/" + action
	}
	return p
}

// schedEvent is one event as the schedule pages show it: local times,
// the service's name and colour, and its seats.
type schedEvent struct {
	ID                   int64
	Date                 string // local, booking.DateLayout
	DateLong             string
	Start, End           string // local clock times
	Service              string
	Member               string
	Color                string // always a valid #rrggbb, for an SVG fill
	Category, Comment    string
	Taken, Capacity      int
	Full, InSeries       bool
	URL, EditURL, DelURL string
	SeatsLabel           string
}

var schedHexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// schedNeutralColor stands in for an event with no colour of its own or its
// service's.
const schedNeutralColor = "#8a94a6"

func (v *adminView) scheduleSummary(ev *booking.Event, zone *time.Location, svc *booking.Service, memberName string) schedEvent {
	start, end := ev.StartsAt.In(zone), ev.EndsAt().In(zone)
	s := schedEvent{
		ID: ev.ID, Date: start.Format(booking.DateLayout), DateLong: v.L.DateLong(start),
		Start: v.L.Clock(start), End: v.L.Clock(end), Member: memberName,
		Category: ev.Category, Comment: ev.Comment,
		Taken: ev.SeatsTaken, Capacity: ev.Capacity, Full: ev.SeatsLeft() <= 0, InSeries: ev.SeriesID != 0,
		URL:     "/admin/events/" + idString(ev.ID),
		EditURL: schedEventPath(ev.ID, "edit"), DelURL: schedEventPath(ev.ID, "delete"),
		Color: schedNeutralColor,
	}
	if svc != nil {
		s.Service = svc.Name
		if schedHexColor.MatchString(svc.Color) {
			s.Color = svc.Color
		}
	}
	if schedHexColor.MatchString(ev.Color) {
		s.Color = ev.Color
	}
	s.SeatsLabel = v.L.N("admin_schedule_seats_label", ev.Capacity, map[string]any{"Taken": ev.SeatsTaken})
	return s
}
