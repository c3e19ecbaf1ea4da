package handlers

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// settingsServiceChoice is one service checkbox on the team member form.
type settingsServiceChoice struct {
	ID       int64
	Name     string
	Archived bool
	Checked  bool
}

type settingsMemberPage struct {
	Member      *booking.TeamMember // nil for a new one
	Name, Title string
	Services    []settingsServiceChoice
}

// settingsMemberForm shows the form for a new team member or an existing one.
func (h *adminHandlers) settingsMemberForm(c *gin.Context) {
	v := h.settingsView(c, "team", "admin_settings_member_new_title")
	tm, ok := h.settingsLoadMember(c, v)
	if !ok {
		return
	}
	in := booking.TeamMemberInput{}
	if tm != nil {
		in = booking.TeamMemberInput{Name: tm.Name, Title: tm.Title, ServiceIDs: tm.ServiceIDs}
	}
	h.settingsShowMember(c, v, http.StatusOK, tm, in)
}

// settingsSaveMember saves a team member and the services they run. The
// core refuses services of another location, so a tampered form changes
// nothing.
func (h *adminHandlers) settingsSaveMember(c *gin.Context) {
	v := h.settingsView(c, "team", "admin_settings_member_new_title")
	tm, ok := h.settingsLoadMember(c, v)
	if !ok {
		return
	}
	in := booking.TeamMemberInput{Name: c.PostForm("name"), Title: c.PostForm("title")}
	bad := false
	for _, s := range c.PostFormArray("service_ids") {
		id, err := strconv.ParseInt(s, 10, 64)
		bad = bad || err != nil
		in.ServiceIDs = append(in.ServiceIDs, id)
	}
	var err error
	done := "saved"
	switch {
	case bad:
		err = booking.FieldErrors{"service_ids": booking.MsgUnknownService}
	case tm == nil:
		_, err = h.store.CreateTeamMember(c.Request.Context(), v.Location.ID, in)
		done = "created"
	default:
		_, err = h.store.UpdateTeamMember(c.Request.Context(), tm.ID, in)
	}
	if v.fieldErrors(err) {
		h.settingsShowMember(c, v, http.StatusUnprocessableEntity, tm, in)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	settingsRedirect(c, "/admin/team", done)
}

// settingsLoadMember loads the team member of the :id in the path, if any,
// only from this location; it has answered when ok is false.
func (h *adminHandlers) settingsLoadMember(c *gin.Context, v *adminView) (*booking.TeamMember, bool) {
	tm, ok := settingsLoad(h, c, v, h.store.LocationTeamMember)
	if ok && tm != nil {
		v.Title = v.L.T("admin_settings_member_edit_title", map[string]any{"Name": tm.Name})
	}
	return tm, ok
}

// settingsShowMember renders the form. Archived services are offered only
// when the member still runs them, so saving does not silently drop them.
func (h *adminHandlers) settingsShowMember(c *gin.Context, v *adminView, status int, tm *booking.TeamMember, in booking.TeamMemberInput) {
	services, err := h.store.Services(c.Request.Context(), v.Location.ID, true)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := &settingsMemberPage{Member: tm, Name: in.Name, Title: in.Title}
	for _, s := range services {
		checked := slices.Contains(in.ServiceIDs, s.ID)
		if s.Active || checked {
			p.Services = append(p.Services, settingsServiceChoice{ID: s.ID, Name: s.Name, Archived: !s.Active, Checked: checked})
		}
	}
	v.Page = p
	h.settingsRender(c, status, "admin_settings_team_form", v)
}
