package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

type settingsServicesPage struct {
	Active, Archived []booking.Service
}

// settingsServices lists the location's services, archived ones apart.
func (h *adminHandlers) settingsServices(c *gin.Context) {
	v := h.settingsView(c, "services", "admin_settings_services_title")
	if !settingsNeedLocation(c, v) {
		return
	}
	all, err := h.store.Services(c.Request.Context(), v.Location.ID, true)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := &settingsServicesPage{}
	for _, s := range all {
		if s.Active {
			p.Active = append(p.Active, s)
		} else {
			p.Archived = append(p.Archived, s)
		}
	}
	v.Page = p
	h.settingsRender(c, http.StatusOK, "admin_settings_services", v)
}

// settingsServiceActive archives or restores a service of this location.
func (h *adminHandlers) settingsServiceActive(active bool) gin.HandlerFunc {
	done := "archived"
	if active {
		done = "restored"
	}
	return func(c *gin.Context) {
		v := h.settingsView(c, "services", "admin_settings_services_title")
		if !settingsNeedLocation(c, v) {
			return
		}
		ctx := c.Request.Context()
		id, ok := settingsID(c)
		if !ok {
			h.settingsMissing(c, v, nil)
			return
		}
		if _, err := h.store.LocationService(ctx, v.Location.ID, id); err != nil {
			h.settingsMissing(c, v, err)
			return
		}
		if err := h.store.SetServiceActive(ctx, id, active); err != nil {
			h.serverError(c, err)
			return
		}
		settingsRedirect(c, "/admin/services", done)
	}
}
