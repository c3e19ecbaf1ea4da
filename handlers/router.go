package handlers

import (
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/assets"
	"groupbook/booking"
	"groupbook/locales"
	"groupbook/notify"
	"groupbook/payments"
	"groupbook/views"
	"groupbook/widget"
)

// Deps is everything the handlers need, built once in cmd/groupbook and
// passed in so handlers never reach for globals.
type Deps struct {
	Store *booking.Store
	Log   *slog.Logger
	// BaseURL is the public address of the server without a trailing slash,
	// used to build links that leave the request (SMS, .ics, embed snippets).
	BaseURL string
	// Secret signs what the widget carries between steps without cookies.
	Secret string
	// Flow is the public booking flow; Locales the translations; Assets
	// the static files; Views the parsed templates (see NewViews).
	Flow    *widget.Flow
	Locales *locales.Bundle
	Assets  *assets.Assets
	Views   *views.Engine
	// Verifier sends and checks the widget's phone confirmation codes;
	// DevCodes, set only in demo mode with the development verifier,
	// reveals the current code so a demo can be tried without a phone.
	Verifier notify.Verifier
	DevCodes func(phone string) string
	// Sender sends the outbox's SMS (Twilio, or the development sender
	// that logs). TwilioAuthToken checks the signature of Twilio's
	// webhooks; empty without Twilio, and then they are not served.
	Sender          notify.Sender
	TwilioAuthToken string
	// Payments opens Checkout Sessions and StripeWebhookSecret checks
	// Stripe's webhooks; both unset without Stripe (online payment is then
	// unavailable, and the admin says why).
	Payments            payments.Provider
	StripeWebhookSecret string
	// CheckoutTimeout bounds opening a Checkout Session while the client
	// waits (0: 8 s).
	CheckoutTimeout time.Duration
	// RequestTimeout is every request's deadline (0: DefaultRequestTimeout).
	RequestTimeout time.Duration
	// TrustedProxies are the reverse proxies (addresses or CIDR ranges)
	// whose X-Forwarded-For names the client; none when empty.
	TrustedProxies []string
	// NoPageCache turns the widget's page cache off (benchmarks of the
	// render itself).
	NoPageCache bool
	// pageCache, when set (tests), is the page cache the widget uses, so
	// a test can look inside it.
	pageCache *pageCache
}

// NewRouter builds the Gin engine with the middleware chain and every route.
// Each group of routes is added by its own function so later features (the
// widget, the admin pages) plug in without touching the others.
func NewRouter(d Deps) *gin.Engine {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	// Gin's mode is process-wide; debug mode only prints route tables and
	// warnings on stdout, which this server never wants, in tests or not.
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// No proxy is trusted until one is configured: otherwise any client
	// could choose the address we log and limit by sending X-Forwarded-For.
	// Behind a configured proxy, its X-Forwarded-For names the client
	// (Gin walks the header from the right, skipping trusted hops).
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		d.Log.Error("set trusted proxies", "err", err)
	}
	// Order matters: the request id must exist before anything logs, the
	// access log must wrap the recovery so a panic is logged as a 500, and
	// the security headers are set before any handler can write.
	r.Use(requestID(), accessLog(d.Log), securityHeaders(d.BaseURL), recovery(d.Log), crossOriginProtection())
	// Then the limits, before any handler reads the request: a deadline,
	// a bounded body, and path parameters that can be looked up.
	timeout := d.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	pages := &errorPages{locales: d.Locales, views: d.Views, log: d.Log}
	r.Use(requestDeadline(timeout), limitBody(pages), sanePathParams(pages))

	addHealthRoutes(r, d)
	addHookRoutes(r, d)
	if d.Views != nil {
		r.HTMLRender = d.Views
		addAssetRoutes(r, d)
		addWidgetRoutes(r, d)
		addAdminRoutes(r, d)
	}
	return r
}
