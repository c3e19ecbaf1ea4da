package handlers

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
	"groupbook/views"
)

// retryAfterSeconds is what a 503 asks clients to wait: long enough for a
// database restart or a failover to be noticed, short enough that a person
// pressing "try again" at once is not far off.
const retryAfterSeconds = 5

// problem is one kind of answer that is not the page asked for.
type problem struct {
	status        int
	title, text   string // message ids
	withRequestID bool   // a fault of ours: the id lets staff find the log line
}

var (
	problemUnavailable = problem{status: http.StatusServiceUnavailable, title: "error_unavailable_title", text: "error_unavailable_text"}
	problemInternal    = problem{status: http.StatusInternalServerError, title: "error_internal_title", text: "error_internal_text", withRequestID: true}
	problemTooLarge    = problem{status: http.StatusRequestEntityTooLarge, title: "error_too_large_title", text: "error_too_large_text"}
	problemUnsupported = problem{status: http.StatusUnsupportedMediaType, title: "error_unsupported_title", text: "error_unsupported_text"}
	problemBadRequest  = problem{status: http.StatusBadRequest, title: "error_bad_request_title", text: "error_bad_request_text"}
	// The widget's 404 says the same as for an unknown slug.
	problemWidgetNotFound = problem{status: http.StatusNotFound, title: "widget_not_found_title", text: "widget_not_found_text"}
	problemAdminNotFound  = problem{status: http.StatusNotFound, title: "error_not_found_title", text: "error_not_found_text"}
)

// errorPages answers requests that fail before or outside a handler's own
// page: the database is unavailable, a body is too large, the server
// failed. It needs no database, so it works when the database does not.
type errorPages struct {
	locales *locales.Bundle
	views   *views.Engine
	log     *slog.Logger
}

// errorView is what the error_page template gets.
type errorView struct {
	L         *locales.Localizer
	Lang      string
	Admin     bool
	Title     string
	Text      string
	RequestID string
	RetryURL  string // the same page again, for a GET
	Framed    bool
	Frame     string
	Parent    string
}

// isAdminPath tells the admin's requests from the public widget's: they
// differ in language rules, look and framing.
func isAdminPath(path string) bool { return path == "/admin" || strings.HasPrefix(path, "/admin/") }

// fail answers a request whose handler met an error it cannot put on its
// own page: 503 "try again in a moment" when the database is unavailable,
// else a 500 that gives the request id. scope names the front end in the
// log.
func (p *errorPages) fail(c *gin.Context, scope string, err error) {
	if booking.Unavailable(err) {
		p.log.Warn(scope+": database unavailable", "err", err, "path", logPath(c), "request_id", RequestID(c))
		p.show(c, problemUnavailable)
		return
	}
	p.log.Error(scope, "err", err, "path", logPath(c), "request_id", RequestID(c))
	p.show(c, problemInternal)
}

// notFound answers 404 in the request's front end.
func (p *errorPages) notFound(c *gin.Context) {
	if isAdminPath(c.Request.URL.Path) {
		p.show(c, problemAdminNotFound)
		return
	}
	p.show(c, problemWidgetNotFound)
}

// show writes the page of a problem (or, for htmx, a fragment) and stops
// the chain.
func (p *errorPages) show(c *gin.Context, pr problem) {
	defer c.Abort()
	if c.Writer.Written() {
		return // the headers are gone; all we can do is stop
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "HX-Request")
	// htmx must not push the URL of a failed request into the history.
	h.Set("HX-Push-Url", "false")
	if pr.status == http.StatusServiceUnavailable {
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	}
	v := p.view(c, pr)
	if !v.Admin {
		// A widget page is framed by the studio's site; the error must show
		// there rather than as the browser's refusal to frame. It is a
		// page without any action, so any site may frame it.
		setWidgetCSP(c, nil, "")
	}
	if p.views == nil || p.locales == nil {
		c.String(pr.status, "%s (request id %s)", http.StatusText(pr.status), RequestID(c))
		return
	}
	name := "error_page"
	if isFragmentRequest(c) {
		// htmx 4 swaps error responses into the request's target. The main
		// area gets the whole message with its heading; any smaller target
		// (a table body, a "Show more" button) only an alert, which fits
		// wherever a block fits.
		name = "error_page#error_alert"
		if t := c.GetHeader("HX-Target"); strings.HasSuffix(t, "#gb-widget") || strings.HasSuffix(t, "#ga-main") {
			name = "error_page#error_main"
		}
	}
	out, err := p.views.Render(name, v)
	if err != nil {
		p.log.Error("render error page", "err", err, "request_id", RequestID(c))
		c.String(pr.status, "%s (request id %s)", http.StatusText(pr.status), RequestID(c))
		return
	}
	c.Data(pr.status, "text/html; charset=utf-8", out)
}

// view picks the language from what is at hand without the database: the
// admin's ?lang= and cookie, the widget's lang parameter, then the
// browser's Accept-Language.
func (p *errorPages) view(c *gin.Context, pr problem) *errorView {
	v := &errorView{Admin: isAdminPath(c.Request.URL.Path)}
	if p.locales == nil {
		return v
	}
	var candidates []string
	if v.Admin {
		candidates = append(candidates, c.Query("lang"))
		if ck, err := c.Cookie(langCookie); err == nil {
			candidates = append(candidates, ck)
		}
	} else {
		candidates = append(candidates, c.Query("lang"))
		// The form only when it was read already: a body refused as too
		// large must stay unread.
		if c.Request.PostForm != nil {
			candidates = append(candidates, c.Request.PostForm.Get("lang"))
		}
		q := c.Request.URL.Query()
		if id := q.Get("gbframe"); frameIDRe.MatchString(id) {
			v.Frame = id
		}
		if o := q.Get("parent"); booking.ValidOrigin(o) {
			v.Parent = o
		}
		v.Framed = q.Get("embed") == "1" || c.GetHeader("Sec-Fetch-Dest") == "iframe"
	}
	for i, cand := range candidates {
		if !booking.ValidLanguage(cand) {
			candidates[i] = ""
		}
	}
	candidates = append(candidates, c.GetHeader("Accept-Language"))
	v.Lang = p.locales.Match(candidates...)
	v.L = p.locales.Localizer(v.Lang)
	v.Title, v.Text = v.L.T(pr.title), v.L.T(pr.text)
	if pr.withRequestID {
		v.RequestID = RequestID(c)
	}
	if c.Request.Method == http.MethodGet && pr.status >= 500 {
		v.RetryURL = c.Request.URL.RequestURI()
	}
	return v
}
