package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
)

// langCookie remembers the admin language a user picked.
const langCookie = "gb_admin_lang"

// adminView is what every admin template gets.
type adminView struct {
	L        *locales.Localizer
	Lang     string
	Langs    []langOption
	User     *booking.User // nil on the sign-in page
	Location *booking.Location
	CSRF     string
	Title    string
	Section  string // the active navigation entry
	Alerts   []alert
	Errors   map[string]string // field -> translated message
	Page     any
}

// newAdminView picks the language (?lang=, then the browser, then the
// studio's default) and loads the location the admin works on. One install
// runs one location's admin; the schema allows more for later.
func (h *adminHandlers) newAdminView(c *gin.Context) *adminView {
	v := &adminView{User: currentUser(c), CSRF: h.csrfToken(c)}
	locs, err := h.store.Locations(c.Request.Context())
	if err == nil && len(locs) > 0 {
		v.Location = &locs[0]
	}
	locLang := ""
	if v.Location != nil {
		locLang = v.Location.DefaultLang
	}
	// A language chosen with ?lang= is remembered in a cookie, so it stays
	// while staff move between pages (the admin, unlike the widget, has
	// cookies).
	q := c.Query("lang")
	if booking.ValidLanguage(q) {
		http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: q, Path: "/admin", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: h.secureCookies(c), SameSite: http.SameSiteLaxMode})
	} else if ck, err := c.Cookie(langCookie); err == nil && booking.ValidLanguage(ck) {
		q = ck
	} else {
		q = ""
	}
	v.Lang = h.locales.Match(q, c.GetHeader("Accept-Language"), locLang)
	v.L = h.locales.Localizer(v.Lang)
	for _, code := range h.locales.Languages() {
		u := *c.Request.URL
		qs := u.Query()
		qs.Set("lang", code)
		u.RawQuery = qs.Encode()
		v.Langs = append(v.Langs, langOption{
			Code: code, Name: h.locales.Localizer(code).T("language_name"), URL: u.RequestURI(), Current: code == v.Lang,
		})
	}
	return v
}

func (v *adminView) alert(kind, text string) { v.Alerts = append(v.Alerts, alert{kind, text}) }

// fieldErrors translates the core's message ids for a form; it reports
// whether err was a validation error at all.
func (v *adminView) fieldErrors(err error) bool {
	var fe booking.FieldErrors
	if !errors.As(err, &fe) {
		return false
	}
	v.Errors = map[string]string{}
	for k, id := range fe {
		v.Errors[k] = v.L.T(id)
	}
	v.alert("error", v.L.T("admin_fix_errors"))
	return true
}

// IsOwner tells templates whether to show owner-only navigation.
func (v *adminView) IsOwner() bool { return v.User != nil && v.User.Role == booking.RoleOwner }

// render writes an admin page, or for htmx only its "main" block (the
// alerts and the content, what #ga-main holds); block names a smaller
// fragment for requests that swap less.
func (h *adminHandlers) render(c *gin.Context, status int, page string, v *adminView, block ...string) {
	c.Header("Vary", "HX-Request")
	if status >= 400 {
		c.Header("HX-Push-Url", "false")
	}
	name := page
	if isFragmentRequest(c) {
		name += "#main"
		if len(block) > 0 {
			name = page + "#" + block[0]
		}
	}
	out, err := h.views.Render(name, v)
	if err != nil {
		h.serverError(c, err)
		return
	}
	c.Data(status, "text/html; charset=utf-8", out)
}

// serverError logs the cause and answers 500 without it.
func (h *adminHandlers) serverError(c *gin.Context, err error) {
	h.log.Error("admin", "err", err, "path", logPath(c), "request_id", c.GetString(ctxRequestID))
	c.AbortWithStatus(http.StatusInternalServerError)
}

// home is the start page after sign-in: where to go next.
func (h *adminHandlers) home(c *gin.Context) {
	v := h.newAdminView(c)
	v.Title = v.L.T("admin_home_title")
	h.render(c, http.StatusOK, "admin_home", v)
}
