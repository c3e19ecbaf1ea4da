package handlers

import (
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"
)

// secretParams are the route parameters whose value is a secret: a manage
// token (/m/:token/...) is the only key to a client's bookings, so anyone
// who reads the logs could cancel them. A new route with a secret in its
// path names its parameter here.
var secretParams = map[string]bool{"token": true}

const redacted = "[redacted]"

// opaqueSegment looks like a random token: long, and only the characters
// of base64url or hex. Paths that match no route are logged with such
// segments hidden, since a mistyped manage link (/m/<token>/typo) still
// carries its token.
var opaqueSegment = regexp.MustCompile(`^[A-Za-z0-9_-]{16,}$`)

// logPath is the request's path as logs may show it: the matched route
// with its secret parameters replaced by [redacted] and the others filled
// in (/m/[redacted]/ics/12, /w/sunrise/e/7), or for a path no route
// matched, the path with token-like segments hidden. Never the query,
// where signed widget state travels.
func logPath(c *gin.Context) string {
	pattern := c.FullPath()
	if pattern == "" {
		return redactOpaque(c.Request.URL.Path)
	}
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if len(s) == 0 || (s[0] != ':' && s[0] != '*') {
			continue
		}
		name := s[1:]
		switch {
		case secretParams[name]:
			segs[i] = redacted
		case s[0] == '*':
			// A catch-all's value starts with the slash it replaces.
			segs[i] = strings.TrimPrefix(c.Param(name), "/")
		default:
			segs[i] = c.Param(name)
		}
	}
	return strings.Join(segs, "/")
}

func redactOpaque(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if opaqueSegment.MatchString(s) {
			segs[i] = redacted
		}
	}
	return strings.Join(segs, "/")
}
