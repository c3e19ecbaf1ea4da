package handlers

import "github.com/gin-gonic/gin"

// registerSettings adds the settings pages (to be built).
func (h *adminHandlers) registerSettings(g *gin.RouterGroup) {}
