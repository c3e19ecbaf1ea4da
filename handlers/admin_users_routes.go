package handlers

import "github.com/gin-gonic/gin"

// registerUsers adds the owner's user management: who may sign in to the
// admin, and signing someone out everywhere. The group is owner-only.
func (h *adminHandlers) registerUsers(g *gin.RouterGroup) {
	g.GET("/users", h.usersList)
	g.GET("/users/new", h.usersNewForm)
	g.POST("/users/new", h.usersCreate)
	g.POST("/users/:id/signout", h.usersSignOut)
}
