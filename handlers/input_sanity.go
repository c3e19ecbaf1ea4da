package handlers

import (
	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// sanePathParams answers 404 for a path whose parameters (a widget slug, a
// manage token, an id) hold a NUL, a control character or invalid UTF-8,
// before any handler looks it up. No slug or token can contain one, so the
// page does not exist; asking the database would only earn an encoding
// error from PostgreSQL, a server error where "not found" is the truth.
func sanePathParams(pages *errorPages) gin.HandlerFunc {
	return func(c *gin.Context) {
		for _, p := range c.Params {
			if !booking.ValidText(p.Value) {
				pages.notFound(c)
				return
			}
		}
		c.Next()
	}
}
