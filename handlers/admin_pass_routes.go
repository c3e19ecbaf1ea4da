package handlers

import "github.com/gin-gonic/gin"

// registerPassTypes adds the Passes area: the pass types the studio sells.
// Like services, they set prices and terms, so the group is owner-only;
// selling a pass to a client is staff's work (registerClientPasses).
func (h *adminHandlers) registerPassTypes(g *gin.RouterGroup) {
	g.GET("/passes", h.passTypes)
	g.POST("/passes/settings", h.passSettingsSave)
	g.GET("/passes/new", h.passTypeForm)
	g.POST("/passes/new", h.passTypeSave)
	g.GET("/passes/:id/edit", h.passTypeForm)
	g.POST("/passes/:id/edit", h.passTypeSave)
	g.POST("/passes/:id/archive", h.passTypeArchive(true))
	g.POST("/passes/:id/restore", h.passTypeArchive(false))
}
