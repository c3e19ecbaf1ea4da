package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

func TestAdminSignInAndOut(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		anon := &adminClient{e: e, ip: "192.0.2.1"}
		r := anon.get("/admin")
		if r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login?next=%2Fadmin") {
			t.Fatalf("anonymous /admin: %d to %q", r.code, r.hdr.Get("Location"))
		}
		if hx := anon.get("/admin", "HX-Request", "true"); hx.code != http.StatusUnauthorized || hx.hdr.Get("HX-Redirect") == "" {
			t.Errorf("anonymous htmx request: %d, HX-Redirect %q", hx.code, hx.hdr.Get("HX-Redirect"))
		}
		login := anon.get("/admin/login")
		if login.code != 200 || login.doc.Find(`input[name=password][type=password]`).Length() != 1 {
			t.Fatalf("login page: %d", login.code)
		}
		if login.hdr.Get("X-Frame-Options") != "DENY" || !strings.Contains(login.hdr.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Error("the admin is frameable")
		}
		bad := anon.post("/admin/login", url.Values{"email": {ownerEmail}, "password": {"wrong password!"}})
		if bad.code != http.StatusUnauthorized || !strings.Contains(bad.text(".gb-alert--error"), "not correct") || anon.cookie != "" {
			t.Errorf("wrong password: %d %q", bad.code, bad.text(".gb-alert--error"))
		}
		e.f.Now = e.f.Now.Add(time.Second) // the wrong password delayed the next try
		c := e.signIn(ownerEmail)
		resp := c.post("/admin/login", url.Values{"email": {ownerEmail}, "password": {adminPassword}, "next": {"https://evil.example/"}})
		if loc := resp.hdr.Get("Location"); loc != "/admin" {
			t.Errorf("open redirect after sign-in: %q", loc)
		}
		cookieHdr := resp.hdr.Get("Set-Cookie")
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/admin"} {
			if !strings.Contains(cookieHdr, want) {
				t.Errorf("session cookie %q lacks %s", cookieHdr, want)
			}
		}
		c.refreshCSRF() // a new sign-in is a new session with its own token
		if home := c.get("/admin"); home.code != 200 || !strings.Contains(home.text(".ga-user"), ownerEmail) {
			t.Fatalf("home: %d", home.code)
		}
		// Sign-out ends the session in the database: the old cookie is dead.
		old := c.cookie
		if r := c.post("/admin/logout", url.Values{}); r.code != http.StatusSeeOther {
			t.Fatalf("logout: %d", r.code)
		}
		replay := &adminClient{e: e, cookie: old, ip: c.ip}
		if r := replay.get("/admin"); r.code != http.StatusSeeOther {
			t.Errorf("old cookie after sign-out: %d", r.code)
		}
	})
}

func TestAdminCSRFAndThrottle(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		c := e.signIn(ownerEmail)
		// Without the token, with a wrong one, or from another site: refused.
		noToken := c.post("/admin/logout", url.Values{"_csrf": {"x"}})
		if noToken.code != http.StatusForbidden {
			t.Errorf("wrong CSRF token: %d", noToken.code)
		}
		cross := c.post("/admin/logout", url.Values{}, "Sec-Fetch-Site", "cross-site")
		if cross.code != http.StatusForbidden {
			t.Errorf("cross-site post: %d", cross.code)
		}
		other := e.signIn(staffEmail)
		if r := c.post("/admin/logout", url.Values{"_csrf": {other.csrf}}); r.code != http.StatusForbidden {
			t.Errorf("another session's token accepted: %d", r.code)
		}
		// A wrong password delays the account's next attempt by a second,
		// from any address; the right one waits too, and passes after.
		anon := &adminClient{e: e, ip: "198.51.100.7"}
		if r := anon.post("/admin/login", url.Values{"email": {staffEmail}, "password": {"nope nope nope"}}); r.code != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", r.code)
		}
		r := (&adminClient{e: e, ip: "203.0.113.5"}).post("/admin/login", url.Values{"email": {staffEmail}, "password": {adminPassword}})
		if r.code != http.StatusTooManyRequests || r.hdr.Get("Retry-After") != "1" || !strings.Contains(r.text(".gb-alert--error"), "wait 1 second ") {
			t.Errorf("right password during the delay: %d, Retry-After %q, %q", r.code, r.hdr.Get("Retry-After"), r.text(".gb-alert--error"))
		}
		e.f.Now = e.f.Now.Add(time.Second)
		if r := anon.post("/admin/login", url.Values{"email": {staffEmail}, "password": {adminPassword}}); r.code != http.StatusSeeOther {
			t.Errorf("after the delay: %d", r.code)
		}
	})
}
