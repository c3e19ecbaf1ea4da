package handlers

import (
	"strings"

	"github.com/gin-gonic/gin"
)

// defaultCSP allows only our own resources and forbids framing. Widget
// routes will replace frame-ancestors with the origins each widget link
// allows (the business's own website), since they are meant to be framed;
// every other page, the admin above all, must never be, to stop
// clickjacking.
const defaultCSP = "default-src 'self'; frame-ancestors 'none'"

// hsts tells browsers to use HTTPS only for this host for a year. Sent
// whenever the public base URL is https, since TLS usually ends at a proxy
// in front of us and the request we see is plain HTTP (browsers ignore the
// header on a plain-HTTP response anyway).
//
// Without includeSubDomains: groupbook runs on a customer's own domain,
// and if that is the apex (studio.example) the flag would force HTTPS on
// every subdomain of it for a year, breaking any that serves plain HTTP.
// Such a decision belongs to the domain's owner, not to a booking widget.
const hsts = "max-age=31536000"

// securityHeaders sets the headers every response carries unless a route
// overrides them. They are set before the handler runs so they are present
// on error pages and on the 500 a recovered panic produces.
func securityHeaders(baseURL string) gin.HandlerFunc {
	https := strings.HasPrefix(strings.ToLower(baseURL), "https://")
	return func(c *gin.Context) {
		h := c.Writer.Header()
		if https {
			h.Set("Strict-Transport-Security", hsts)
		}
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
