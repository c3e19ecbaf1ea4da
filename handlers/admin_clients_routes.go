package handlers

import "github.com/gin-gonic/gin"

// registerClients adds the client search and each client's page. Staff
// need them at the desk, so they are not owner-only.
func (h *adminHandlers) registerClients(g *gin.RouterGroup) {
	g.GET("/clients", h.clientsSearch)
	g.GET("/clients/:id", h.clientsShow)
}
