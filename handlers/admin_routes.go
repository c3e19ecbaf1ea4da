package handlers

import (
	"log/slog"

	"github.com/gin-contrib/gzip"
	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
	"groupbook/payments"
	"groupbook/views"
	"groupbook/widget"
)

// adminHandlers serve the staff pages. Every area of the admin registers
// its routes in its own file (admin_<area>.go) through one of the
// functions listed in addAdminRoutes.
type adminHandlers struct {
	store   *booking.Store
	flow    *widget.Flow
	locales *locales.Bundle
	views   *views.Engine
	baseURL string
	secret  string
	log     *slog.Logger
	// payments is nil when Stripe is not configured: online payment is off.
	payments payments.Provider
}

// onlineOn tells whether online payment is configured.
func (h *adminHandlers) onlineOn() bool { return h.payments != nil }

func addAdminRoutes(r *gin.Engine, d Deps) {
	h := &adminHandlers{store: d.Store, flow: d.Flow, locales: d.Locales, views: d.Views, baseURL: d.BaseURL, secret: d.Secret, log: d.Log, payments: d.Payments}
	g := r.Group("/admin", gzip.Gzip(gzip.DefaultCompression), noStore())
	g.GET("/login", h.loginForm)
	g.POST("/login", h.login)

	// Everything else needs a session; unsafe requests also the CSRF token.
	staff := g.Group("", h.requireSession(), h.checkCSRF())
	staff.POST("/logout", h.logout)
	staff.GET("", h.home)
	owner := staff.Group("", h.requireRole(booking.RoleOwner))

	h.registerSchedule(staff)
	h.registerEvents(staff)
	h.registerClients(staff)
	h.registerClientPasses(staff)
	h.registerAccount(staff)
	h.registerSettings(owner)
	h.registerPassTypes(owner)
	h.registerLinks(owner)
	h.registerPayments(owner)
	h.registerUsers(owner)
	owner.GET("/sms", h.smsSettingsPage)
	owner.POST("/sms", h.smsSettingsSave)
}

// noStore keeps admin pages, which hold clients' personal data, out of
// every cache.
func noStore() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		c.Next()
	}
}
