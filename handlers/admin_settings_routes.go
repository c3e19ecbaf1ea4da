package handlers

import "github.com/gin-gonic/gin"

// registerSettings adds the studio's own settings: the location, its
// services and its team. The group is owner-only.
func (h *adminHandlers) registerSettings(g *gin.RouterGroup) {
	g.GET("/location", h.settingsLocationForm)
	g.POST("/location", h.settingsSaveLocation)
	g.GET("/location/waitlist", h.settingsWaitlistForm)
	g.POST("/location/waitlist", h.settingsSaveWaitlist)

	g.GET("/services", h.settingsServices)
	g.GET("/services/new", h.settingsServiceForm)
	g.POST("/services/new", h.settingsSaveService)
	g.GET("/services/:id/edit", h.settingsServiceForm)
	g.POST("/services/:id/edit", h.settingsSaveService)
	g.POST("/services/:id/archive", h.settingsServiceActive(false))
	g.POST("/services/:id/restore", h.settingsServiceActive(true))

	g.GET("/team", h.settingsTeam)
	g.GET("/team/new", h.settingsMemberForm)
	g.POST("/team/new", h.settingsSaveMember)
	g.GET("/team/:id/edit", h.settingsMemberForm)
	g.POST("/team/:id/edit", h.settingsSaveMember)
	g.POST("/team/:id/archive", h.settingsMemberActive(false))
	g.POST("/team/:id/restore", h.settingsMemberActive(true))
}
