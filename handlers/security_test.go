package handlers

import (
	"log/slog"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// Issue 8, item 6: with an https base URL every response (pages, assets,
// errors, a recovered panic) tells browsers to use HTTPS only; with an
// http one (a local install) none does, or the browser would refuse the
// plain-HTTP site for a year.
func TestHSTS(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		for base, want := range map[string]string{
			"https://booking.example": "max-age=31536000",
			"HTTPS://Booking.Example": "max-age=31536000",
			"http://localhost:8080":   "",
		} {
			e.router = rebuildRouter(t, e, base, slog.New(slog.DiscardHandler))
			e.router.GET("/boom", func(*gin.Context) { panic("boom") })
			for _, path := range []string{"/w/sunrise", "/admin/login", "/healthz", "/embed.js", "/no-such-page", "/boom", "/m/no-such-token"} {
				w := get(e.router, path)
				if got := w.Header().Get("Strict-Transport-Security"); got != want {
					t.Errorf("base %s, GET %s (%d): Strict-Transport-Security %q, want %q", base, path, w.Code, got, want)
				}
			}
		}
	})
}
