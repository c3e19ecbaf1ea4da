package handlers

import "github.com/gin-gonic/gin"

// registerSchedule adds the schedule: the day and week views and the forms
// that create, edit and delete events. Staff run the schedule, so every
// signed-in user may use all of it.
func (h *adminHandlers) registerSchedule(g *gin.RouterGroup) {
	g.GET("/schedule", h.schedule)
	g.GET("/schedule/new", h.scheduleNewForm)
	g.POST("/schedule/new", h.scheduleCreate)
	g.GET("/schedule/events/:id/edit", h.scheduleEditForm)
	g.POST("/schedule/events/:id/edit", h.scheduleUpdate)
	g.GET("/schedule/events/:id/delete", h.scheduleDeleteForm)
	g.POST("/schedule/events/:id/delete", h.scheduleDelete)
}
