package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

const (
	sessionCookie = "gb_session"
	ctxUser       = "groupbook.user"
	ctxSession    = "groupbook.session"
	// csrfField is the form field, csrfHeader the htmx header, that carry
	// the CSRF token on every unsafe admin request.
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
)

type loginPage struct {
	Email, Next string
	Throttled   bool
}

// loginForm shows the sign-in page.
func (h *adminHandlers) loginForm(c *gin.Context) {
	v := h.newAdminView(c)
	v.Title = v.L.T("admin_login_title")
	v.Page = &loginPage{Next: safeNext(c.Query("next"))}
	h.render(c, http.StatusOK, "admin_login", v)
}

// login signs in through the core's throttles (booking/throttle.go: each
// attempt is counted before its password is checked) and starts a session.
func (h *adminHandlers) login(c *gin.Context) {
	ctx := c.Request.Context()
	v := h.newAdminView(c)
	v.Title = v.L.T("admin_login_title")
	email, password := strings.TrimSpace(c.PostForm("email")), c.PostForm("password")
	p := &loginPage{Email: email, Next: safeNext(c.PostForm("next"))}
	v.Page = p
	u, err := h.store.SignIn(ctx, email, password, c.ClientIP())
	var throttled *booking.LoginThrottledError
	switch {
	case v.fieldErrors(err):
		// Never echo what could not be stored or shown (a NUL, broken UTF-8).
		if _, bad := v.Errors["email"]; bad {
			p.Email = ""
		}
		h.render(c, http.StatusUnprocessableEntity, "admin_login", v)
		return
	case errors.As(err, &throttled):
		secs := int((throttled.Wait + time.Second - 1) / time.Second)
		p.Throttled = true
		c.Header("Retry-After", strconv.Itoa(secs))
		if secs < 120 {
			v.alert("error", v.L.N("admin_login_wait_seconds", secs))
		} else {
			v.alert("error", v.L.N("admin_login_wait_minutes", (secs+59)/60))
		}
		h.render(c, http.StatusTooManyRequests, "admin_login", v)
		return
	case errors.Is(err, booking.ErrNotFound):
		v.alert("error", v.L.T("admin_login_failed"))
		h.render(c, http.StatusUnauthorized, "admin_login", v)
		return
	case err != nil:
		h.serverError(c, err)
		return
	}
	token, _, err := h.store.CreateSession(ctx, u.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.setSessionCookie(c, token, int(booking.SessionMax.Seconds()))
	next := p.Next
	if next == "" {
		next = "/admin"
	}
	c.Redirect(http.StatusSeeOther, next)
}

// logout ends the session in the database, so the cookie is dead everywhere.
func (h *adminHandlers) logout(c *gin.Context) {
	if token, err := c.Cookie(sessionCookie); err == nil {
		if err := h.store.EndSession(c.Request.Context(), token); err != nil {
			h.serverError(c, err)
			return
		}
	}
	h.setSessionCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/admin/login")
}

// setSessionCookie: HttpOnly so scripts never see it, SameSite=Lax so other
// sites' forms do not carry it, Secure whenever the server is reached over
// HTTPS, and scoped to /admin so the public widget never sends it.
func (h *adminHandlers) setSessionCookie(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/admin", MaxAge: maxAge,
		HttpOnly: true, Secure: h.secureCookies(c), SameSite: http.SameSiteLaxMode,
	})
}

func (h *adminHandlers) secureCookies(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.HasPrefix(h.baseURL, "https://")
}

// requireSession lets signed-in staff through and sends everyone else to
// the sign-in page (htmx requests get an HX-Redirect so the whole page
// changes, not a fragment).
func (h *adminHandlers) requireSession() gin.HandlerFunc {
	return func(c *gin.Context) {
		token, _ := c.Cookie(sessionCookie)
		sess, u, err := h.store.SessionUser(c.Request.Context(), token)
		if err != nil {
			if !errors.Is(err, booking.ErrNotFound) {
				h.serverError(c, err)
				return
			}
			target := "/admin/login"
			if c.Request.Method == http.MethodGet {
				target += "?" + url.Values{"next": {c.Request.URL.RequestURI()}}.Encode()
			}
			if c.GetHeader("HX-Request") == "true" {
				c.Header("HX-Redirect", target)
				c.AbortWithStatus(http.StatusUnauthorized)
				return
			}
			c.Redirect(http.StatusSeeOther, target)
			c.Abort()
			return
		}
		c.Set(ctxUser, u)
		c.Set(ctxSession, sess)
		c.Next()
	}
}

// requireRole refuses pages above the user's role with a 403 page that
// says so in the user's language.
func (h *adminHandlers) requireRole(role booking.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if u := currentUser(c); u == nil || u.Role != role {
			v := h.newAdminView(c)
			v.Title = v.L.T("admin_forbidden_title")
			h.render(c, http.StatusForbidden, "admin_forbidden", v)
			c.Abort()
			return
		}
		c.Next()
	}
}

func currentUser(c *gin.Context) *booking.User {
	u, _ := c.Get(ctxUser)
	user, _ := u.(*booking.User)
	return user
}

// csrfToken is derived from the session, so it needs no storage and dies
// with the session.
func (h *adminHandlers) csrfToken(c *gin.Context) string {
	s, ok := c.Get(ctxSession)
	sess, _ := s.(*booking.Session)
	if !ok || sess == nil {
		return ""
	}
	m := hmac.New(sha256.New, []byte(h.secret))
	m.Write([]byte("csrf:" + sess.ID))
	return hex.EncodeToString(m.Sum(nil))
}

// checkCSRF requires the session's token on every unsafe request, on top
// of the origin check every route has (crossOriginProtection): the cookie
// alone never authorises a change.
func (h *adminHandlers) checkCSRF() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		got := c.GetHeader(csrfHeader)
		if got == "" {
			got = c.PostForm(csrfField)
		}
		want := h.csrfToken(c)
		if want == "" || !hmac.Equal([]byte(got), []byte(want)) {
			c.AbortWithStatus(http.StatusForbidden)
			return
		}
		c.Next()
	}
}

// safeNext accepts only a local admin path to return to after sign-in, so
// the login page cannot be used to send someone to another site.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return ""
}
