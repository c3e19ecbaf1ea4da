package handlers

import "github.com/gin-gonic/gin"

// registerClientPasses adds the changes staff make to a client's passes
// from the client page. Every handler loads the client at the admin's
// location and the pass as that client's, whatever ids the URL carries.
func (h *adminHandlers) registerClientPasses(g *gin.RouterGroup) {
	g.POST("/clients", h.clientNew)
	g.POST("/clients/:id/passes", h.clientPassSell)
	g.POST("/clients/:id/passes/:pid/freeze", h.clientPassFreeze)
	g.POST("/clients/:id/passes/:pid/unfreeze", h.clientPassUnfreeze)
	g.POST("/clients/:id/passes/:pid/extend", h.clientPassExtend)
	g.POST("/clients/:id/passes/:pid/correct", h.clientPassCorrect)
	g.POST("/clients/:id/passes/:pid/void", h.clientPassVoid)
}
