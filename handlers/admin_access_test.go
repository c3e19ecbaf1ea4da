package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// ownerOnly are the admin areas staff may not enter.
var ownerOnly = []string{"/admin/links", "/admin/services", "/admin/passes", "/admin/team", "/admin/location", "/admin/users"}

// adminRoutes lists every registered admin route but the sign-in page,
// with :params filled in, so a route added later is covered too.
func adminRoutes(e *adminEnv) []struct{ method, path string } {
	var out []struct{ method, path string }
	for _, r := range e.router.Routes() {
		if !strings.HasPrefix(r.Path, "/admin") || r.Path == "/admin/login" {
			continue
		}
		parts := strings.Split(r.Path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") || strings.HasPrefix(p, "*") {
				parts[i] = "1"
			}
		}
		out = append(out, struct{ method, path string }{r.Method, strings.Join(parts, "/")})
	}
	return out
}

// TestAdminAccessEveryRoute: without a session every admin route sends the
// browser to the sign-in page and changes nothing; staff get 403 on the
// owner's areas; every unsafe route refuses a request without the CSRF
// token.
func TestAdminAccessEveryRoute(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		routes := adminRoutes(e)
		if len(routes) < 30 {
			t.Fatalf("only %d admin routes found", len(routes))
		}
		anon := &adminClient{e: e, ip: "192.0.2.50"}
		staff := e.signIn(staffEmail)
		owner := e.signIn(ownerEmail)
		for _, rt := range routes {
			var r *page
			if rt.method == http.MethodGet {
				r = anon.get(rt.path)
			} else {
				r = anon.post(rt.path, url.Values{})
			}
			if r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login") {
				t.Errorf("anonymous %s %s: %d to %q", rt.method, rt.path, r.code, r.hdr.Get("Location"))
			}
			owned := false
			for _, p := range ownerOnly {
				if rt.path == p || strings.HasPrefix(rt.path, p+"/") {
					owned = true
				}
			}
			if owned {
				var r *page
				if rt.method == http.MethodGet {
					r = staff.get(rt.path)
				} else {
					r = staff.post(rt.path, url.Values{})
				}
				if r.code != http.StatusForbidden || !strings.Contains(r.text("h1"), "No access") {
					t.Errorf("staff %s %s: %d", rt.method, rt.path, r.code)
				}
			}
			if rt.method == http.MethodPost {
				r := owner.post(rt.path, url.Values{"_csrf": {"forged"}})
				if r.code != http.StatusForbidden {
					t.Errorf("owner %s %s with a forged CSRF token: %d", rt.method, rt.path, r.code)
				}
			}
		}
		if n, _ := db.NewSelect().Table("bookings").Count(t.Context()); n != 0 {
			t.Errorf("refused requests wrote %d bookings", n)
		}
	})
}
