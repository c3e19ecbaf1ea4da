package handlers

import "github.com/gin-gonic/gin"

// registerLinks adds the links pages (to be built).
func (h *adminHandlers) registerLinks(g *gin.RouterGroup) {}
