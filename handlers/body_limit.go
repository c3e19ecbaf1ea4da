package handlers

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Request body limits. The widget's largest form is the contact step (a
// signed selection of a few hundred bytes and five short fields, the
// comment at most 200 characters); the admin's is a widget link (a 500
// character message, origins, every service and team member id). Both are
// well under a tenth of their limit, so no real form comes near it.
const (
	MaxWidgetBody = 16 << 10
	MaxAdminBody  = 64 << 10
)

// bodyLimit returns the body limit of a path.
func bodyLimit(path string) int64 {
	switch {
	case isAdminPath(path):
		return MaxAdminBody
	case strings.HasPrefix(path, "/hooks/"):
		return maxHookBody
	}
	return MaxWidgetBody
}

// limitBody bounds every request body, before any handler reads it:
//
//   - a Content-Length over the limit is answered 413 at once, without
//     reading a byte of the body (the connection is then closed, so the
//     client stops sending);
//   - a body without a length (chunked) is read through
//     http.MaxBytesReader, and the form is parsed here, so passing the
//     limit is a 413 too, after at most the limit plus one byte;
//   - multipart bodies are refused (415): no route takes a file, and a
//     multipart form is what makes a parser store parts on disk.
//
// A handler may then call PostForm freely: Gin's form cache would
// otherwise parse the body itself and ignore a parse error, acting on half
// a form.
func limitBody(pages *errorPages) gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		limit := bodyLimit(r.URL.Path)
		if r.ContentLength > limit {
			c.Header("Connection", "close")
			pages.show(c, problemTooLarge)
			return
		}
		if r.Body == nil || r.Body == http.NoBody {
			c.Next()
			return
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); strings.HasPrefix(mt, "multipart/") {
			c.Header("Connection", "close")
			pages.show(c, problemUnsupported)
			return
		}
		// The server's own writer, not Gin's wrapper: only it can mark the
		// connection to be closed when the limit is passed, rather than
		// read on to reuse it.
		r.Body = http.MaxBytesReader(unwrapWriter(c.Writer), r.Body, limit)
		if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
			if err := r.ParseForm(); err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					pages.show(c, problemTooLarge)
					return
				}
				pages.show(c, problemBadRequest)
				return
			}
		}
		c.Next()
	}
}

// unwrapWriter returns the http.ResponseWriter beneath Gin's.
func unwrapWriter(w http.ResponseWriter) http.ResponseWriter {
	for {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w
		}
		w = u.Unwrap()
	}
}
