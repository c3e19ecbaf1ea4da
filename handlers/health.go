package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// readyTimeout bounds the database ping so a stuck database makes the
// probe fail fast instead of piling up probe requests.
const readyTimeout = 2 * time.Second

func addHealthRoutes(r gin.IRoutes, d Deps) {
	r.GET("/healthz", healthz)
	r.GET("/readyz", readyz(d))
}

// healthz says the process is alive. It does not touch the database: a
// liveness probe that fails when the database is down would have the
// orchestrator restart every healthy process at once.
func healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.String(http.StatusOK, "ok")
}

// readyz says whether this process can serve traffic, which needs the
// database. The error is logged, not returned: it may name hosts and users.
func readyz(d Deps) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		ctx, cancel := context.WithTimeout(c.Request.Context(), readyTimeout)
		defer cancel()
		if err := d.Store.Ping(ctx); err != nil {
			d.Log.WarnContext(c.Request.Context(), "not ready: database ping failed",
				"err", err, "request_id", RequestID(c))
			c.String(http.StatusServiceUnavailable, "not ready")
			return
		}
		c.String(http.StatusOK, "ready")
	}
}
