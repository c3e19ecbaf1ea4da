package handlers

import (
	"crypto/rand"
	"regexp"

	"github.com/gin-gonic/gin"
)

// HeaderRequestID carries the id that ties a request's log lines together,
// also across a proxy that already assigned one.
const HeaderRequestID = "X-Request-ID"

const ctxRequestID = "groupbook.request_id"

// validRequestID bounds what we accept from outside: the id is echoed in a
// header and written to every log line, so a client must not be able to
// inject newlines, quotes or a megabyte of text through it.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// requestID takes the caller's X-Request-ID when it is sane, or makes one,
// stores it on the context and echoes it in the response.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(HeaderRequestID)
		if !validRequestID.MatchString(id) {
			id = rand.Text()
		}
		c.Set(ctxRequestID, id)
		c.Header(HeaderRequestID, id)
		c.Next()
	}
}

// RequestID returns the id of the request being handled ("" outside the
// middleware chain).
func RequestID(c *gin.Context) string {
	return c.GetString(ctxRequestID)
}
