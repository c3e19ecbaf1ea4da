package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// crossOriginProtection refuses unsafe requests (POST and the like) that a
// browser marks as coming from another site (Sec-Fetch-Site, or Origin for
// older browsers). It needs no token or cookie, which is what the widget
// needs: a form posted inside the widget's own iframe is same-origin and
// passes, while a page elsewhere cannot make a visitor's browser cancel or
// book. Requests without those headers (curl, server-to-server) pass, as
// they carry no ambient credentials to abuse.
func crossOriginProtection() gin.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	return func(c *gin.Context) {
		if err := cop.Check(c.Request); err != nil {
			c.AbortWithStatus(http.StatusForbidden)
			return
		}
		c.Next()
	}
}
