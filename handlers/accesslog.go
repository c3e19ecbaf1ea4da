package handlers

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// accessLog writes one structured line per request once it is answered.
// Only the path is logged, never the query (signed widget state travels
// there), and with secret segments such as manage tokens replaced (see
// logPath): log files are read by more people than the bookings' owners.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		level := slog.LevelInfo
		switch {
		case status == http.StatusServiceUnavailable:
			// The database is away or slow: the cause is logged once, at
			// warn, where it was found; an outage must not turn every
			// request line into an error that drowns the real ones.
			level = slog.LevelWarn
		case status >= 500:
			level = slog.LevelError
		}
		log.LogAttrs(c.Request.Context(), level, "request",
			slog.String("method", c.Request.Method),
			slog.String("path", logPath(c)),
			slog.Int("status", status),
			// Milliseconds as a float: what dashboards expect, with
			// sub-millisecond precision kept.
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.Int("bytes", max(c.Writer.Size(), 0)),
			slog.String("client_ip", c.ClientIP()),
			slog.String("request_id", RequestID(c)),
		)
	}
}
