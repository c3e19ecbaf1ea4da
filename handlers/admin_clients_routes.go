package handlers

import "github.com/gin-gonic/gin"

// registerClients adds the clients pages (to be built).
func (h *adminHandlers) registerClients(g *gin.RouterGroup) {}
