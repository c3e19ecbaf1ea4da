package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// settingsMemberRow is a team member with the names of the services they run.
type settingsMemberRow struct {
	booking.TeamMember
	Services []string
}

type settingsTeamPage struct {
	Active, Archived []settingsMemberRow
}

// settingsTeam lists the team, archived members apart.
func (h *adminHandlers) settingsTeam(c *gin.Context) {
	v := h.settingsView(c, "team", "admin_settings_team_title")
	if !settingsNeedLocation(c, v) {
		return
	}
	ctx := c.Request.Context()
	members, err := h.store.TeamMembers(ctx, v.Location.ID, true)
	if err != nil {
		h.serverError(c, err)
		return
	}
	runs, err := h.store.MemberServices(ctx, v.Location.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	services, err := h.store.Services(ctx, v.Location.ID, true)
	if err != nil {
		h.serverError(c, err)
		return
	}
	names := make(map[int64]string, len(services))
	for _, s := range services {
		names[s.ID] = s.Name
	}
	p := &settingsTeamPage{}
	for _, m := range members {
		row := settingsMemberRow{TeamMember: m}
		for _, id := range runs[m.ID] {
			row.Services = append(row.Services, names[id])
		}
		if m.Active {
			p.Active = append(p.Active, row)
		} else {
			p.Archived = append(p.Archived, row)
		}
	}
	v.Page = p
	h.settingsRender(c, http.StatusOK, "admin_settings_team", v)
}

// settingsMemberActive archives or restores a team member of this location.
func (h *adminHandlers) settingsMemberActive(active bool) gin.HandlerFunc {
	done := "archived"
	if active {
		done = "restored"
	}
	return func(c *gin.Context) {
		v := h.settingsView(c, "team", "admin_settings_team_title")
		tm, ok := h.settingsLoadMember(c, v)
		if !ok {
			return
		}
		if tm == nil {
			h.settingsMissing(c, v, nil)
			return
		}
		if err := h.store.SetTeamMemberActive(c.Request.Context(), tm.ID, active); err != nil {
			h.serverError(c, err)
			return
		}
		settingsRedirect(c, "/admin/team", done)
	}
}
