package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// schedPage is the day or week view.
type schedPage struct {
	View                string
	Date                string // the day asked for, local
	Heading             string
	Days                []schedDay
	Rows                []schedRow
	Events              int
	MemberID, ServiceID int64
	Members, Services   []schedOption
	PrevURL, NextURL    string
	TodayURL, NewURL    string
	DayURL, WeekURL     string
	IsToday             bool
}

type schedDay struct {
	Date, Short, Long string
	Today             bool
	URL               string // this day's day view
}

type schedRow struct {
	ID          int64
	Name, Title string
	Cells       []schedCell
}

type schedCell struct {
	Day    schedDay
	Events []schedEvent
	NewURL string
}

type schedOption struct {
	Value, Label string
	Selected     bool
}

// schedule shows a day (one column per team member) or a week (one row per
// team member, a column per day from Monday) in the location's time zone.
func (h *adminHandlers) schedule(c *gin.Context) {
	v, ok := h.scheduleView(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	zone := v.Location.Zone()
	today := h.store.Clock().In(zone)
	p := &schedPage{View: schedViewDay, MemberID: queryID(c, "member"), ServiceID: queryID(c, "service")}
	if c.Query("view") == schedViewWeek {
		p.View = schedViewWeek
	}
	day := today
	if d, err := time.Parse(booking.DateLayout, c.Query("date")); err == nil {
		day = d
	}
	p.Date = day.Format(booking.DateLayout)
	q := booking.ScheduleQuery{LocationID: v.Location.ID, From: day, Days: 1, ServiceID: p.ServiceID, TeamMemberID: p.MemberID}
	if p.View == schedViewWeek {
		q.From, q.Days = booking.WeekStart(day), 7
	}
	sch, err := h.store.Schedule(ctx, q)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if err := h.scheduleFilters(c, v, p); err != nil {
		h.serverError(c, err)
		return
	}
	p.fill(v, sch, today.Format(booking.DateLayout))
	h.scheduleAlerts(c, v)
	v.Title, v.Page = p.Heading, p
	h.render(c, http.StatusOK, "admin_schedule", v, "admin_schedule_frag")
}

// fill turns the core's grid into what the template shows.
func (p *schedPage) fill(v *adminView, sch *booking.Schedule, today string) {
	link := func(view, date string) string { return schedURL(view, date, p.MemberID, p.ServiceID) }
	for _, d := range sch.Days {
		date := d.Format(booking.DateLayout)
		p.Days = append(p.Days, schedDay{
			Date: date, Short: v.L.DateShort(d), Long: v.L.DateLong(d), Today: date == today, URL: link(schedViewDay, date),
		})
		p.IsToday = p.IsToday || date == today
	}
	first, last := sch.Days[0], sch.Days[len(sch.Days)-1]
	step := len(sch.Days)
	p.PrevURL = link(p.View, first.AddDate(0, 0, -step).Format(booking.DateLayout))
	p.NextURL = link(p.View, first.AddDate(0, 0, step).Format(booking.DateLayout))
	p.TodayURL = link(p.View, "")
	p.DayURL, p.WeekURL = link(schedViewDay, p.Date), link(schedViewWeek, p.Date)
	p.NewURL = schedNewURL(p.Date, p.MemberID, p.ServiceID)
	year := map[string]any{"Year": strconv.Itoa(first.Year())}
	if p.View == schedViewWeek {
		p.Heading = v.L.T("admin_schedule_week_heading", year, map[string]any{"From": v.L.DateShort(first), "To": v.L.DateShort(last)})
	} else {
		p.Heading = v.L.T("admin_schedule_day_heading", year, map[string]any{"Date": v.L.DateLong(first)})
	}
	p.Events = sch.Events
	for _, r := range sch.Rows {
		row := schedRow{ID: r.Member.ID, Name: r.Member.Name, Title: r.Member.Title}
		for i, evs := range r.Cells {
			cell := schedCell{Day: p.Days[i], NewURL: schedNewURL(p.Days[i].Date, r.Member.ID, p.ServiceID)}
			for j := range evs {
				var svc *booking.Service
				if s, ok := sch.Services[evs[j].ServiceID]; ok {
					svc = &s
				}
				cell.Events = append(cell.Events, v.scheduleSummary(&evs[j], sch.Zone, svc, r.Member.Name))
			}
			row.Cells = append(row.Cells, cell)
		}
		p.Rows = append(p.Rows, row)
	}
}

// scheduleFilters lists the team members and services to filter by.
func (h *adminHandlers) scheduleFilters(c *gin.Context, v *adminView, p *schedPage) error {
	ctx := c.Request.Context()
	members, err := h.store.TeamMembers(ctx, v.Location.ID, false)
	if err != nil {
		return err
	}
	services, err := h.store.Services(ctx, v.Location.ID, false)
	if err != nil {
		return err
	}
	for _, m := range members {
		p.Members = append(p.Members, schedOption{Value: idString(m.ID), Label: m.Name, Selected: m.ID == p.MemberID})
	}
	for _, s := range services {
		p.Services = append(p.Services, schedOption{Value: idString(s.ID), Label: s.Name, Selected: s.ID == p.ServiceID})
	}
	return nil
}

// scheduleAlerts confirms what the form before the redirect did. The count
// comes from the URL, so at worst a forged link shows a wrong number.
func (h *adminHandlers) scheduleAlerts(c *gin.Context, v *adminView) {
	n, err := strconv.Atoi(c.Query("n"))
	if err != nil || n < 0 {
		return
	}
	switch c.Query("done") {
	case "created":
		if n == 0 {
			v.alert("info", v.L.T("admin_schedule_created_none"))
			return
		}
		v.alert("success", v.L.N("admin_schedule_created", n))
	case "updated":
		v.alert("success", v.L.N("admin_schedule_updated", n))
		if told, err := strconv.Atoi(c.Query("told")); err == nil && told > 0 {
			v.alert("info", v.L.N("admin_schedule_told", told))
		}
	case "deleted":
		if n == 0 {
			v.alert("success", v.L.T("admin_schedule_deleted_none"))
			return
		}
		v.alert("success", v.L.N("admin_schedule_deleted", n))
	}
}

func schedNewURL(date string, memberID, serviceID int64) string {
	u := "/admin/schedule/new?date=" + date
	if memberID != 0 {
		u += "&member=" + idString(memberID)
	}
	if serviceID != 0 {
		u += "&service=" + idString(serviceID)
	}
	return u
}
