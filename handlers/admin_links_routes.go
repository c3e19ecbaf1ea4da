package handlers

import "github.com/gin-gonic/gin"

// registerLinks adds the widget link pages. They are owner-only: a link
// decides what the public can book and which sites may frame it.
func (h *adminHandlers) registerLinks(g *gin.RouterGroup) {
	g.GET("/links", h.linksList)
	g.GET("/links/new", h.linkNew)
	g.POST("/links/new", h.linkCreate)
	g.GET("/links/:id/edit", h.linkEdit)
	g.POST("/links/:id/edit", h.linkUpdate)
}
