package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"
)

// recovery turns a panic in a handler into a logged error and a plain 500.
// The panic value and stack go to the log only: they can hold SQL, paths or
// personal data that a client must never see.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				// net/http's agreed way to drop a response mid-write; let
				// the server handle it as it does for any handler.
				panic(p)
			}
			log.ErrorContext(c.Request.Context(), "panic in handler",
				"panic", p,
				"stack", string(debug.Stack()),
				"method", c.Request.Method,
				"path", logPath(c),
				"request_id", RequestID(c),
			)
			if c.Writer.Written() {
				// Headers are gone already; all we can do is stop.
				c.Abort()
				return
			}
			c.Header("Cache-Control", "no-store")
			c.String(http.StatusInternalServerError, "internal server error (request id %s)", RequestID(c))
			c.Abort()
		}()
		c.Next()
	}
}
