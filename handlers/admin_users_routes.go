package handlers

import "github.com/gin-gonic/gin"

// registerUsers adds the users pages (to be built).
func (h *adminHandlers) registerUsers(g *gin.RouterGroup) {}
