package handlers

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// What the create form's "repeat" choice and the edit form's "scope"
// choice send.
const (
	schedRepeatNone     = "none"
	schedRepeatWeekly   = "weekly"
	schedScopeOne       = "one"
	schedScopeFollowing = "following"
	schedFormPageName   = "admin_schedule_form"
)

// schedForm is the create or edit form as typed, shown again on errors.
type schedForm struct {
	Repeat, Scope            string
	ServiceID, MemberID      int64
	Date, Time               string
	Duration, Capacity       string // empty: the service's default
	Color, Category, Comment string
	Days                     []int // ticked weekdays, as time.Weekday
	From, Until              string
	// MinAttendees overrides the service's minimum (empty: the service's).
	MinAttendees string
	// ConfirmOverlap is the "Save anyway" box shown with an overlap
	// warning: saved although the member has other events then.
	ConfirmOverlap bool
}

func readSchedForm(c *gin.Context) schedForm {
	f := schedForm{
		Repeat: schedRepeatNone, Scope: schedScopeOne,
		ServiceID: schedFormID(c, "service_id"), MemberID: schedFormID(c, "team_member_id"),
		Date: strings.TrimSpace(c.PostForm("date")), Time: strings.TrimSpace(c.PostForm("start_time")),
		Duration: strings.TrimSpace(c.PostForm("duration_min")), Capacity: strings.TrimSpace(c.PostForm("capacity")),
		Color: c.PostForm("color"), Category: c.PostForm("category"), Comment: c.PostForm("comment"),
		From: strings.TrimSpace(c.PostForm("from")), Until: strings.TrimSpace(c.PostForm("until")),
		MinAttendees:   strings.TrimSpace(c.PostForm("min_attendees")),
		ConfirmOverlap: c.PostForm("confirm_overlap") == "1",
	}
	if c.PostForm("repeat") == schedRepeatWeekly {
		f.Repeat = schedRepeatWeekly
	}
	if c.PostForm("scope") == schedScopeFollowing {
		f.Scope = schedScopeFollowing
	}
	for _, s := range c.PostFormArray("weekdays") {
		if d, err := strconv.Atoi(s); err == nil && d >= 0 && d <= 6 && !slices.Contains(f.Days, d) {
			f.Days = append(f.Days, d)
		}
	}
	return f
}

// input is the form as the core takes it; the core does every check but
// the minimum's (see minErrors).
func (f schedForm) input() booking.EventInput {
	return booking.EventInput{
		ServiceID: f.ServiceID, TeamMemberID: f.MemberID,
		DurationMin: schedOptionalInt(f.Duration), Capacity: schedOptionalInt(f.Capacity),
		Color: f.Color, Category: f.Category, Comment: f.Comment,
		MinAttendees: schedOptionalInt(f.MinAttendees),
	}
}

// minErrors refuses a minimum that is no whole number or below 0 before
// the core is called: unlike duration and capacity, a -1 here would reach
// the database's CHECK rather than a message at the field.
func (f schedForm) minErrors() error {
	if f.MinAttendees == "" {
		return nil
	}
	n, err := strconv.Atoi(f.MinAttendees)
	if err != nil {
		return booking.FieldErrors{"min_attendees": "admin_settings_error_whole_number"}
	}
	if n < 0 {
		return booking.FieldErrors{"min_attendees": booking.MsgOutOfRange}
	}
	return nil
}

func (f schedForm) series() booking.SeriesInput {
	days := make([]time.Weekday, len(f.Days))
	for i, d := range f.Days {
		days[i] = time.Weekday(d)
	}
	return booking.SeriesInput{
		ServiceID: f.ServiceID, TeamMemberID: f.MemberID, Weekdays: booking.WeekdaySet(days...),
		StartTime: f.Time, From: f.From, Until: f.Until,
		DurationMin: schedOptionalInt(f.Duration), Capacity: schedOptionalInt(f.Capacity),
		MinAttendees: schedOptionalInt(f.MinAttendees),
	}
}

// schedOptionalInt reads a number field: empty means "not given" (the service's
// default); text that is no number becomes -1, which the core refuses
// with the field's own message.
func schedOptionalInt(s string) *int {
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		n = -1
	}
	return &n
}

func schedFormID(c *gin.Context, name string) int64 {
	id, err := strconv.ParseInt(c.PostForm(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// schedFormPage is the create or edit page.
type schedFormPage struct {
	Form              schedForm
	Edit              bool
	Event             schedEvent // edit: the event as stored
	Action, CancelURL string
	Services, Members []schedOption
	Colors            []schedColor
	Weekdays          []schedWeekday
	// Placeholders for duration and capacity: the chosen service's defaults.
	DefaultDuration, DefaultCapacity string
	// ServiceMin is the chosen service's minimum attendees, which an empty
	// override keeps.
	ServiceMin int
	// Overlap: the member has other events then; the form offers "Save
	// anyway".
	Overlap bool
}

type schedColor struct {
	Value, Swatch, Name string
	Checked             bool
}

type schedWeekday struct {
	Value        int
	Short, Label string
	Checked      bool
}

// schedPalette is the colours offered for events: distinct on the schedule
// and readable beside dark text. The service's own colour comes first.
var schedPalette = []struct{ hex, name string }{
	{"#2a9d8f", "teal"}, {"#2a6df4", "blue"}, {"#7b61ff", "purple"}, {"#d6336c", "pink"},
	{"#e76f51", "orange"}, {"#e9c46a", "yellow"}, {"#40916c", "green"}, {"#6c757d", "grey"},
}

// scheduleRenderForm shows the create form (ev nil) or the edit form of ev.
func (h *adminHandlers) scheduleRenderForm(c *gin.Context, v *adminView, status int, f schedForm, ev *booking.Event) {
	ctx := c.Request.Context()
	p := &schedFormPage{Form: f, Action: "/admin/schedule/new", CancelURL: schedURL(schedViewDay, f.Date, 0, 0), Overlap: status == http.StatusConflict}
	services, err := h.store.Services(ctx, v.Location.ID, false)
	if err != nil {
		h.serverError(c, err)
		return
	}
	members, err := h.store.TeamMembers(ctx, v.Location.ID, false)
	if err != nil {
		h.serverError(c, err)
		return
	}
	// The "service's colour" choice shows the chosen service's colour; a
	// new event's empty duration and capacity show its defaults.
	serviceColor := schedNeutralColor
	for _, s := range services {
		label := v.L.N("admin_schedule_service_option", s.DefaultCapacity, map[string]any{"Name": s.Name, "Duration": s.DurationMin})
		p.Services = append(p.Services, schedOption{Value: idString(s.ID), Label: label, Selected: s.ID == f.ServiceID})
		if s.ID != f.ServiceID {
			continue
		}
		if schedHexColor.MatchString(s.Color) {
			serviceColor = s.Color
		}
		p.ServiceMin = s.MinAttendees
		if ev == nil {
			p.DefaultDuration, p.DefaultCapacity = strconv.Itoa(s.DurationMin), strconv.Itoa(s.DefaultCapacity)
		}
	}
	for _, m := range members {
		p.Members = append(p.Members, schedOption{Value: idString(m.ID), Label: m.Name, Selected: m.ID == f.MemberID})
	}
	if ev != nil {
		if err := h.scheduleFillEdit(c, v, p, ev, members); err != nil {
			h.serverError(c, err)
			return
		}
	}
	p.Colors = append(p.Colors, schedColor{Value: "", Swatch: serviceColor, Name: v.L.T("admin_schedule_color_service"), Checked: f.Color == ""})
	inPalette := f.Color == ""
	for _, pc := range schedPalette {
		checked := strings.EqualFold(f.Color, pc.hex)
		inPalette = inPalette || checked
		p.Colors = append(p.Colors, schedColor{Value: pc.hex, Swatch: pc.hex, Name: v.L.T("admin_schedule_color_" + pc.name), Checked: checked})
	}
	if !inPalette && schedHexColor.MatchString(f.Color) {
		p.Colors = append(p.Colors, schedColor{Value: f.Color, Swatch: f.Color, Name: v.L.T("admin_schedule_color_current"), Checked: true})
	}
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		p.Weekdays = append(p.Weekdays, schedWeekday{Value: int(d), Short: v.L.WeekdayShort(d), Label: v.L.Weekday(d), Checked: slices.Contains(f.Days, int(d))})
	}
	v.Page = p
	if p.Edit {
		v.Title = v.L.T("admin_schedule_edit_title")
	} else {
		v.Title = v.L.T("admin_schedule_new_title")
	}
	h.render(c, status, schedFormPageName, v, "admin_schedule_frag")
}

// scheduleFillEdit adds what only the edit page shows: the event as stored, and
// its team member even if archived since, so the form never silently
// picks another.
func (h *adminHandlers) scheduleFillEdit(c *gin.Context, v *adminView, p *schedFormPage, ev *booking.Event, active []booking.TeamMember) error {
	ctx := c.Request.Context()
	svc, err := h.store.Service(ctx, ev.ServiceID)
	if err != nil {
		return err
	}
	tm, err := h.store.TeamMember(ctx, ev.TeamMemberID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(active, func(m booking.TeamMember) bool { return m.ID == tm.ID }) {
		p.Members = append(p.Members, schedOption{Value: idString(tm.ID), Label: tm.Name, Selected: tm.ID == p.Form.MemberID})
	}
	p.Edit = true
	p.Event = v.scheduleSummary(ev, v.Location.Zone(), svc, tm.Name)
	p.Action = schedEventPath(ev.ID, "edit")
	p.CancelURL = schedURL(schedViewDay, p.Event.Date, 0, 0)
	return nil
}

// scheduleFormError re-shows a refused form: 422 with the messages at the
// fields, as nothing was written.
func (h *adminHandlers) scheduleFormError(c *gin.Context, v *adminView, f schedForm, ev *booking.Event) {
	h.scheduleRenderForm(c, v, http.StatusUnprocessableEntity, f, ev)
}

// scheduleOverlap shows the form again with the overlap warning and the
// "Save anyway" box, nothing saved. It reports whether there was an overlap
// (false also after an error page).
func (h *adminHandlers) scheduleOverlap(c *gin.Context, v *adminView, f schedForm, ev *booking.Event) bool {
	ctx := c.Request.Context()
	clashes, err := h.scheduleClashes(ctx, v, f, ev)
	if err == nil && clashes != nil {
		err = h.scheduleOverlapAlert(ctx, v, clashes)
	}
	if err != nil {
		h.serverError(c, err)
		return true
	}
	if clashes == nil {
		return false
	}
	h.scheduleRenderForm(c, v, http.StatusConflict, f, ev)
	return true
}
