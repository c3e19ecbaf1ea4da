package handlers

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// cacheUntilKey is where a handler says its response may be cached, and
// until when (a time.Time); a response without it is never cached.
const cacheUntilKey = "groupbook.pageCacheUntil"

// bufferWriter holds a response back so it can be compressed in one go
// and kept in the page cache.
type bufferWriter struct {
	gin.ResponseWriter
	buf    bytes.Buffer
	status int
}

func (w *bufferWriter) WriteHeader(code int)                 { w.status = code }
func (w *bufferWriter) WriteHeaderNow()                      {}
func (w *bufferWriter) Write(b []byte) (int, error)          { return w.buf.Write(b) }
func (w *bufferWriter) WriteString(s string) (int, error)    { return w.buf.WriteString(s) }
func (w *bufferWriter) Status() int                          { return w.status }
func (w *bufferWriter) Size() int                            { return w.buf.Len() }
func (w *bufferWriter) Written() bool                        { return w.buf.Len() > 0 }
func (w *bufferWriter) Flush()                               {}
func (w *bufferWriter) WriteHeaderAndFlush(code int) (n int) { w.status = code; return 0 }

// compressed serves a widget route's response gzip-compressed (fast
// level, pooled writers, nothing under gzipMinSize). With cache set, GET
// responses whose handler allowed it (cacheUntilKey) go into the page
// cache and later requests with the same key are answered from it.
func (h *widgetHandlers) compressed(cache bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		gz := acceptsGzip(c.Request)
		var key string
		var gen uint64
		cacheable := false
		if cache && h.pages != nil {
			gen, cacheable = h.flow.Store.Generation()
			if cacheable {
				key, cacheable = h.pageKey(c)
			}
			if cacheable {
				if e := h.pages.get(key, gen, h.flow.Store.Now()); e != nil {
					serveEntry(c, e, gz)
					c.Abort()
					return
				}
			}
		}
		before := c.Writer.Header().Clone()
		orig := c.Writer
		bw := &bufferWriter{ResponseWriter: orig, status: http.StatusOK}
		c.Writer = bw
		defer func() { c.Writer = orig }() // also when a handler panics: recovery writes to the client
		c.Next()
		c.Writer = orig
		v, _ := c.Get(cacheUntilKey)
		until, _ := v.(time.Time)
		if cacheable && bw.status == http.StatusOK && !until.IsZero() {
			e := newPageEntry(key, gen, until, bw.buf.Bytes())
			e.header, e.drop = headerChanges(before, orig.Header())
			h.pages.put(e)
			serveEntry(c, e, gz)
			return
		}
		writeBody(c, bw.status, bw.buf.Bytes(), gz)
	}
}

// acceptsGzip tells whether the client takes gzip (as gin-contrib/gzip
// decided before: any mention of it).
func acceptsGzip(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
}

// writeBody writes an uncached response, compressed when worth it.
func writeBody(c *gin.Context, status int, body []byte, gz bool) {
	h := c.Writer.Header()
	if len(body) >= gzipMinSize && h.Get("Content-Encoding") == "" && status != http.StatusNoContent && status != http.StatusNotModified {
		addVary(h, "Accept-Encoding")
		if gz {
			body = gzipBytes(body)
			h.Set("Content-Encoding", "gzip")
		}
	}
	if len(body) > 0 || status >= 200 {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	c.Writer.WriteHeader(status)
	c.Writer.Write(body) //nolint:errcheck // the client went away; nothing to do
}

// serveEntry answers from a cached entry.
func serveEntry(c *gin.Context, e *pageEntry, gz bool) {
	h := c.Writer.Header()
	for _, k := range e.drop {
		h.Del(k)
	}
	for k, v := range e.header {
		h[k] = v
	}
	body := e.body
	if e.gz {
		addVary(h, "Accept-Encoding")
		if gz {
			h.Set("Content-Encoding", "gzip")
		} else {
			var err error
			if body, err = e.plain(); err != nil {
				// Cannot happen with a body gzipBytes made; say so
				// rather than send a broken page.
				c.AbortWithError(http.StatusInternalServerError, err) //nolint:errcheck // recorded on the context
				return
			}
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Writer.WriteHeader(http.StatusOK)
	c.Writer.Write(body) //nolint:errcheck // the client went away; nothing to do
}

func addVary(h http.Header, name string) {
	for _, v := range h.Values("Vary") {
		if strings.Contains(v, name) {
			return
		}
	}
	h.Add("Vary", name)
}

// headerChanges are the headers the handler set or removed: only those
// are kept with a cached response, the others (request id, security
// headers) are set again for every request by the middleware.
func headerChanges(before, after http.Header) (set http.Header, dropped []string) {
	set = http.Header{}
	for k, v := range after {
		if k == "Content-Length" || k == "Content-Encoding" {
			continue
		}
		if !slices.Equal(before[k], v) {
			set[k] = slices.Clip(slices.Clone(v))
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			dropped = append(dropped, k)
		}
	}
	return set, dropped
}

// pageKey is what a cached widget page's bytes depend on: the path, the
// query (parsed and sorted), the language the visitor gets, whether the
// page is framed, and the htmx headers that pick a fragment. No key (false)
// for anything that should not be cached: not a GET, an unknown link, a
// query that does not parse or is too long.
func (h *widgetHandlers) pageKey(c *gin.Context) (string, bool) {
	r := c.Request
	if r.Method != http.MethodGet || len(r.URL.RawQuery) > 1024 || len(r.URL.Path) > 200 {
		return "", false
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", false
	}
	link, cat, err := h.flow.Open(r.Context(), c.Param("slug"))
	if err != nil {
		return "", false
	}
	lang := strings.TrimSpace(q.Get("lang"))
	if !booking.ValidLanguage(lang) {
		lang = ""
	}
	lang = h.visitorLang(r, lang, link, cat)
	framed := isFramed(r, strings.TrimSpace(q.Get("embed")))
	var b strings.Builder
	b.Grow(len(r.URL.Path) + len(r.URL.RawQuery) + 32)
	b.WriteString(r.URL.Path)
	b.WriteByte('?')
	b.WriteString(q.Encode())
	b.WriteString("|lang=")
	b.WriteString(lang)
	b.WriteString("|framed=")
	b.WriteString(strconv.FormatBool(framed))
	b.WriteString("|hx=")
	b.WriteString(strconv.FormatBool(r.Header.Get("HX-Request") == "true"))
	b.WriteString("|hxr=")
	b.WriteString(strconv.FormatBool(r.Header.Get("HX-History-Restore-Request") == "true"))
	return b.String(), true
}

// cacheable lets the response of this request be cached until the first
// moment one of evs changes state with the clock (its booking closes at
// its start minus the link's buffer, or it starts), and at most
// pageCacheMaxAge from now.
func (h *widgetHandlers) cacheable(c *gin.Context, link *booking.Link, evs ...booking.Event) {
	now := h.flow.Store.Now()
	until := now.Add(pageCacheMaxAge)
	for i := range evs {
		for _, t := range []time.Time{evs[i].StartsAt.Add(-link.Buffer()), evs[i].StartsAt} {
			if t.After(now) && t.Before(until) {
				until = t
			}
		}
	}
	c.Set(cacheUntilKey, until)
}
