package handlers

import "github.com/gin-gonic/gin"

// registerEvents adds the events pages (to be built).
func (h *adminHandlers) registerEvents(g *gin.RouterGroup) {}
