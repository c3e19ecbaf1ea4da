package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// signInVia posts a wrong password for email from remote, forwarding for
// client when it is set, and returns the status.
func signInVia(e *adminEnv, remote, client, email string) int {
	form := url.Values{"email": {email}, "password": {"guess"}}
	req := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.RemoteAddr = remote + ":4321"
	if client != "" {
		req.Header.Set("X-Forwarded-For", client)
	}
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	return w.Code
}

// Behind a reverse proxy every request comes from the proxy's address. With
// GROUPBOOK_TRUSTED_PROXIES naming it, the per-address sign-in limit counts
// each client the proxy forwards for, so one attacker cannot throttle
// everyone; without it, a client's own X-Forwarded-For is ignored, so it
// cannot dodge the limit by making up addresses.
func TestTrustedProxiesDecideTheClientAddress(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		const proxy = "10.0.0.5"
		attempts := booking.LoginAttemptsPerIP + 1

		// Trusted: the attacker behind the proxy uses up its own limit only.
		trusted := newAdminEnv(t, db)
		f := trusted.f
		trusted.widgetEnv = newTestRouter(t, f.Store, func() time.Time { return f.Now }, func(d *Deps) {
			d.TrustedProxies = []string{"10.0.0.0/8"}
		})
		trusted.db, trusted.f = db, f
		for i := range attempts {
			signInVia(trusted, proxy, "203.0.113.7", fmt.Sprintf("t%d@example.com", i))
		}
		if code := signInVia(trusted, proxy, "203.0.113.7", "late@example.com"); code != http.StatusTooManyRequests {
			t.Errorf("the attacker behind the trusted proxy, over its limit: %d, want 429", code)
		}
		if code := signInVia(trusted, proxy, "198.51.100.9", "other@example.com"); code != http.StatusUnauthorized {
			t.Errorf("another client behind the same proxy: %d, want 401 (checked, not throttled)", code)
		}

		// Not trusted (the default): X-Forwarded-For from a direct client
		// is ignored, so inventing addresses does not reset the count.
		direct := &adminEnv{widgetEnv: newTestRouter(t, f.Store, func() time.Time { return f.Now })}
		direct.db, direct.f = db, f
		for i := range attempts {
			signInVia(direct, "192.0.2.66", fmt.Sprintf("198.51.100.%d", i+1), fmt.Sprintf("d%d@example.com", i))
		}
		if code := signInVia(direct, "192.0.2.66", "198.51.100.200", "late@example.com"); code != http.StatusTooManyRequests {
			t.Errorf("a direct client forging X-Forwarded-For: %d, want 429", code)
		}
	})
}
