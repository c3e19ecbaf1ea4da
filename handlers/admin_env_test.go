package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
)

// Passwords of the admin test users.
const (
	ownerEmail    = "owner@example.com"
	staffEmail    = "staff@example.com"
	adminPassword = "correct horse battery"
)

// adminEnv is the widget env plus an owner and a staff user.
type adminEnv struct {
	*widgetEnv
	owner, staff *booking.User
}

func newAdminEnv(t *testing.T, db *bun.DB) *adminEnv {
	t.Helper()
	e := &adminEnv{widgetEnv: newWidgetEnv(t, db)}
	ctx := context.Background()
	var err error
	if e.owner, err = e.f.Store.CreateUser(ctx, ownerEmail, "Olga Owner", adminPassword, booking.RoleOwner); err != nil {
		t.Fatal(err)
	}
	if e.staff, err = e.f.Store.CreateUser(ctx, staffEmail, "Sam Staff", adminPassword, booking.RoleStaff); err != nil {
		t.Fatal(err)
	}
	return e
}

// adminClient is a browser session: it keeps the session cookie and the
// CSRF token and sends both, as the admin pages do.
type adminClient struct {
	e      *adminEnv
	cookie string
	csrf   string
	ip     string
}

// signIn signs in through the login form and fails the test if it can't.
func (e *adminEnv) signIn(email string) *adminClient {
	e.t.Helper()
	c := &adminClient{e: e, ip: "192.0.2.10"}
	r := c.post("/admin/login", url.Values{"email": {email}, "password": {adminPassword}})
	if r.code != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: %d\n%s", email, r.code, r.body)
	}
	c.refreshCSRF()
	return c
}

// refreshCSRF reads the session's CSRF token, which is on every signed-in page.
func (c *adminClient) refreshCSRF() {
	c.e.t.Helper()
	p := c.get("/admin")
	c.csrf = p.doc.Find(`input[name=_csrf]`).First().AttrOr("value", "")
	if c.csrf == "" {
		c.e.t.Fatalf("no CSRF token on /admin:\n%s", p.body)
	}
}

func (c *adminClient) do(req *http.Request) *page {
	c.e.t.Helper()
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	}
	req.RemoteAddr = c.ip + ":1234"
	w := httptest.NewRecorder()
	c.e.router.ServeHTTP(w, req)
	for _, ck := range w.Result().Cookies() {
		if ck.Name == sessionCookie {
			c.cookie = ck.Value
			if ck.MaxAge < 0 {
				c.cookie = ""
			}
		}
	}
	return pageOf(c.e.t, w)
}

func (c *adminClient) get(path string, header ...string) *page {
	c.e.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

// post submits a form with the CSRF token, from the admin's own origin.
func (c *adminClient) post(path string, form url.Values, header ...string) *page {
	c.e.t.Helper()
	if c.csrf != "" && form.Get("_csrf") == "" {
		form.Set("_csrf", c.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}
