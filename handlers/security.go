package handlers

import "github.com/gin-gonic/gin"

// defaultCSP allows only our own resources and forbids framing. Widget
// routes will replace frame-ancestors with the origins each widget link
// allows (the business's own website), since they are meant to be framed;
// every other page, the admin above all, must never be, to stop
// clickjacking.
const defaultCSP = "default-src 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries unless a route
// overrides them. They are set before the handler runs so they are present
// on error pages and on the 500 a recovered panic produces.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Content-Security-Policy", defaultCSP)
		// For browsers that ignore CSP frame-ancestors. A widget route that
		// sets its own frame-ancestors must delete this header, or such a
		// browser would refuse the allowed frame too.
		h.Set("X-Frame-Options", "DENY")
		c.Next()
	}
}
