package handlers

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
	"groupbook/payments"
	"groupbook/views"
	"groupbook/widget"
)

// widgetHandlers serve the public booking flow.
type widgetHandlers struct {
	flow    *widget.Flow
	locales *locales.Bundle
	views   *views.Engine
	codes   widget.CodeSender
	// devCodes reveals the current code in demo mode (nil otherwise).
	devCodes func(phone string) string
	baseURL  string
	log      *slog.Logger
	// pages caches whole list and event responses (nil: off).
	pages *pageCache
	// langs are the language switcher's entries (see langOptions).
	langsOnce sync.Once
	langs     []langOption
	// payments opens Checkout Sessions (nil: online payment unavailable);
	// checkoutTimeout bounds that call.
	payments        payments.Provider
	checkoutTimeout time.Duration
}

func addWidgetRoutes(r *gin.Engine, d Deps) {
	h := &widgetHandlers{flow: d.Flow, locales: d.Locales, views: d.Views, codes: d.Verifier, devCodes: d.DevCodes, baseURL: d.BaseURL, log: d.Log,
		payments: d.Payments, checkoutTimeout: d.CheckoutTimeout}
	if h.checkoutTimeout <= 0 {
		h.checkoutTimeout = defaultCheckoutTimeout
	}
	if h.pages = d.pageCache; h.pages == nil && !d.NoPageCache {
		h.pages = newPageCache(pageCacheBudget, pageCacheMaxEntry)
	}
	// Pages are compressed on the fly (assets come precompressed); the
	// list and event pages, read far more often than anything changes,
	// are served from the page cache while the data version holds.
	cached := h.compressed(true)
	// An old ?offset= link is redirected before the cache looks for its
	// key, which costs the link's lookup: the redirect needs no database.
	r.GET("/w/:slug", func(c *gin.Context) {
		if redirectOffset(c) {
			c.Abort()
		}
	}, cached, h.list)
	r.GET("/w/:slug/e/:event", cached, h.event)
	g := r.Group("", h.compressed(false))
	g.GET("/w/:slug/contact", h.contact)
	g.POST("/w/:slug/book", h.book)
	g.POST("/w/:slug/verify", h.verify)
	g.POST("/w/:slug/verify/resend", h.resend)
	g.GET("/w/:slug/waitlist", h.waitForm)
	g.POST("/w/:slug/waitlist", h.waitJoin)
	// My bookings: phone, code, then the client's own page.
	g.GET("/w/:slug/me", h.mePhone)
	g.POST("/w/:slug/me", h.meStart)
	g.POST("/w/:slug/me/verify", h.meVerify)
	g.POST("/w/:slug/me/resend", h.meResend)
	g.GET("/w/:slug/me/:token", h.mePage)
	g.GET("/wl/:token", h.waitPage)
	g.POST("/wl/:token/leave", h.waitLeave)
	g.GET("/wl/:token/claim", h.waitClaim)
	g.GET("/m/:token", h.manage)
	g.POST("/m/:token/cancel", h.cancel)
	g.GET("/m/:token/cancel/:booking", h.cancelConfirm)
	g.GET("/m/:token/move/:booking", h.reschedulePage)
	g.POST("/m/:token/move", h.reschedule)
	g.POST("/m/:token/pay", h.payNow)
	g.GET("/m/:token/ics", h.icsAll)
	g.GET("/m/:token/ics/:booking", h.icsOne)
}

// open loads the link of the request's slug, answering 404 itself when
// there is none (or it is disabled) and 500 on other errors.
func (h *widgetHandlers) open(c *gin.Context) (*booking.Link, *widget.Catalog, bool) {
	link, cat, err := h.flow.Open(c.Request.Context(), c.Param("slug"))
	switch {
	case errors.Is(err, booking.ErrNotFound):
		h.notFound(c)
		return nil, nil, false
	case err != nil:
		h.serverError(c, err)
		return nil, nil, false
	}
	return link, cat, true
}
