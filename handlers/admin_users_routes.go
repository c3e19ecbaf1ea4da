package handlers

import "github.com/gin-gonic/gin"

// registerUsers adds the owner's user management: who may sign in to the
// admin, signing someone out everywhere, and each user's password, role
// and access. The group is owner-only.
func (h *adminHandlers) registerUsers(g *gin.RouterGroup) {
	g.GET("/users", h.usersList)
	g.GET("/users/new", h.usersNewForm)
	g.POST("/users/new", h.usersCreate)
	g.POST("/users/:id/signout", h.usersSignOut)
	g.GET("/users/:id", h.usersManage)
	g.POST("/users/:id/password", h.usersSetPassword)
	g.POST("/users/:id/role", h.usersSetRole)
	g.POST("/users/:id/active", h.usersSetActive)
}
