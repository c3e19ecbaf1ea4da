package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// isFragmentRequest tells whether htmx asked for a fragment. A history
// restore also carries HX-Request but needs the whole page.
func isFragmentRequest(c *gin.Context) bool {
	return c.GetHeader("HX-Request") == "true" && c.GetHeader("HX-History-Restore-Request") != "true"
}

// render writes a widget page, or only its "content" block for htmx. block
// overrides the fragment for requests that swap something smaller.
func (h *widgetHandlers) render(c *gin.Context, status int, page string, v *widgetView, block ...string) {
	c.Header("Vary", "HX-Request")
	c.Header("Cache-Control", "no-store")
	setWidgetCSP(c, v.Link, v.Accent, v.formActions...)
	if status >= 400 {
		// htmx 4 swaps error responses (the form with its messages); the
		// URL that failed must not go into the history.
		c.Header("HX-Push-Url", "false")
	}
	name := page
	if isFragmentRequest(c) {
		if len(block) > 0 {
			name = page + "#" + block[0]
		} else {
			h.fragment(c, status, page, v)
			return
		}
	}
	h.html(c, status, name, v)
}

// fragment writes a step's content for htmx, with the language links of
// the new step sent along out of band.
func (h *widgetHandlers) fragment(c *gin.Context, status int, page string, v *widgetView) {
	out, err := h.views.Render(page+"#content", v)
	if err != nil {
		h.serverError(c, err)
		return
	}
	nav, err := h.views.Render(page+"#lang_switcher_oob", v)
	if err != nil {
		h.serverError(c, err)
		return
	}
	c.Data(status, "text/html; charset=utf-8", append(out, nav...))
}

// html renders a template, turning a template error into a logged 500.
func (h *widgetHandlers) html(c *gin.Context, status int, name string, data any) {
	out, err := h.views.Render(name, data)
	if err != nil {
		h.serverError(c, err)
		return
	}
	c.Data(status, "text/html; charset=utf-8", out)
}

// setWidgetCSP replaces the default "never framed" policy: the widget may
// be framed by the origins its link allows, or by any site when the list is
// empty (the common case of a studio pasting the snippet anywhere). Inline
// script stays forbidden; the one inline style (the link's accent colour,
// accent: "" when none) is allowed by its hash, not a per-response nonce,
// so the same bytes can be served from the page cache.
//
// formActions are origins a form may lead to besides ours (CSP applies
// form-action to the redirects after a submit too).
func setWidgetCSP(c *gin.Context, link *booking.Link, accent string, formActions ...string) {
	ancestors := "*"
	if link != nil {
		if o := link.Origins(); len(o) > 0 {
			ancestors = "'self' " + strings.Join(o, " ")
		}
	}
	c.Writer.Header().Del("X-Frame-Options")
	c.Header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'"+accentHash(accent)+"; "+
		"img-src 'self' data:; connect-src 'self'; form-action 'self'"+formActionList(formActions)+"; base-uri 'none'; object-src 'none'; frame-ancestors "+ancestors)
}

// notFound renders the friendly 404 page in the visitor's language.
func (h *widgetHandlers) notFound(c *gin.Context) {
	v := h.newWidgetView(c, nil, nil)
	c.Header("Cache-Control", "no-store")
	setWidgetCSP(c, nil, "") // a stale embed must show this page, not a browser error
	h.html(c, http.StatusNotFound, "not_found", v)
}

// serverError logs the cause and shows a page without it: "try again in a
// moment" (503) when the database is unavailable, else a 500 with the
// request id.
func (h *widgetHandlers) serverError(c *gin.Context, err error) {
	(&errorPages{locales: h.locales, views: h.views, log: h.log}).fail(c, "widget", err)
}

// formActionList writes extra form-action sources; each must be a plain
// origin (they come from the payment provider's session addresses).
func formActionList(origins []string) string {
	out := ""
	for _, o := range origins {
		if booking.ValidOrigin(o) {
			out += " " + o
		}
	}
	return out
}
