package handlers

import "github.com/gin-gonic/gin"

// registerSchedule adds the schedule pages (to be built).
func (h *adminHandlers) registerSchedule(g *gin.RouterGroup) {}
