package handlers

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// TestWidgetFraming: widget pages may be framed by the link's origins (any
// site when none are set), never set cookies, and keep a strict CSP; other
// routes stay unframeable.
func TestWidgetFraming(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		e.f.YogaEvents(t, 1, 10)
		p := e.get("/w/sunrise")
		csp := p.hdr.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors *") || p.hdr.Get("X-Frame-Options") != "" {
			t.Errorf("open link: CSP %q, XFO %q", csp, p.hdr.Get("X-Frame-Options"))
		}
		for _, want := range []string{"script-src 'self'", "default-src 'self'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP lacks %q", want)
			}
		}
		if p.hdr.Get("Vary") != "HX-Request" {
			t.Errorf("Vary %q", p.hdr.Get("Vary"))
		}
		link := *e.f.Link
		link.AllowedOrigins = "https://sunrise.example\nhttps://www.sunrise.example"
		link.AccentColor = "#ff5500"
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		p = e.get("/w/sunrise")
		csp = p.hdr.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'self' https://sunrise.example https://www.sunrise.example") {
			t.Errorf("restricted link CSP %q", csp)
		}
		// The accent colour is the one inline style, allowed by the hash of
		// its exact text (no nonce: the page may come from the cache).
		style := p.doc.Find("style")
		sum := sha256.Sum256([]byte(style.Text()))
		hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !strings.Contains(style.Text(), "--gb-accent:#ff5500") || !strings.Contains(csp, "style-src 'self' "+hash+";") {
			t.Errorf("accent style %q hash %s CSP %q", style.Text(), hash, csp)
		}
		if strings.Contains(csp, "nonce-") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
		// Framed (embed=1 or Sec-Fetch-Dest: iframe): no page chrome.
		for _, req := range []*page{e.get("/w/sunrise?embed=1&gbframe=f1&parent=https%3A%2F%2Fsunrise.example"), e.get("/w/sunrise", "Sec-Fetch-Dest", "iframe")} {
			if !req.doc.Find("body").HasClass("gb-framed") || req.doc.Find("header.gb-header").Length() != 0 {
				t.Error("framed page has chrome")
			}
		}
		framed := e.get("/w/sunrise?embed=1&gbframe=f1&parent=https%3A%2F%2Fsunrise.example")
		if framed.doc.Find("body").AttrOr("data-gb-frame", "") != "f1" || framed.doc.Find("body").AttrOr("data-gb-parent", "") != "https://sunrise.example" {
			t.Error("frame id or parent origin not passed to widget.js")
		}
		if href := framed.doc.Find("a.gb-event").AttrOr("href", ""); !strings.Contains(href, "embed=1") || !strings.Contains(href, "gbframe=f1") {
			t.Errorf("framed link %q loses the frame parameters", href)
		}
		bad := e.get("/w/sunrise?embed=1&gbframe=%3Cx%3E&parent=javascript%3Aalert(1)")
		if bad.doc.Find("body").AttrOr("data-gb-parent", "x") != "" || bad.doc.Find("body").AttrOr("data-gb-frame", "x") != "" {
			t.Error("a bad parent origin or frame id was passed through")
		}
		// htmx asks for the fragment only.
		frag := e.get("/w/sunrise", "HX-Request", "true")
		if strings.Contains(frag.body, "<html") || frag.doc.Find("h1").Length() != 1 {
			t.Error("htmx request got a full page")
		}
		if restore := e.get("/w/sunrise", "HX-Request", "true", "HX-History-Restore-Request", "true"); !strings.Contains(restore.body, "<html") {
			t.Error("history restore did not get the full page")
		}
		// The health check (and later the admin) is never frameable.
		w := httptest.NewRecorder()
		e.router.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if w.Header().Get("X-Frame-Options") != "DENY" || !strings.Contains(w.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("/healthz framing headers: %v", w.Header())
		}
	})
}

// TestWidgetFirstViewWeight: the page and everything it loads stay under
// 30 KB compressed.
func TestWidgetFirstViewWeight(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	e := newWidgetEnv(t, db)
	e.f.YogaEvents(t, 20, 10)
	fetch := func(path string) (compressed int, body string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		e.router.ServeHTTP(w, req)
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: %d, encoding %q", path, w.Code, w.Header().Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(strings.NewReader(w.Body.String()))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(zr)
		return w.Body.Len(), string(raw)
	}
	total, html := fetch("/w/sunrise")
	t.Logf("page: %d bytes gzip", total)
	doc := (&page{}).parse(t, html)
	var assets []string
	doc.Find(`link[rel=stylesheet]`).Each(func(_ int, s *goqSel) { assets = append(assets, s.AttrOr("href", "")) })
	doc.Find(`script[src]`).Each(func(_ int, s *goqSel) { assets = append(assets, s.AttrOr("src", "")) })
	if len(assets) != 3 {
		t.Fatalf("assets %v", assets)
	}
	for _, a := range assets {
		n, _ := fetch(a)
		t.Logf("%s: %d bytes gzip", a, n)
		total += n
	}
	t.Logf("first view: %d bytes compressed", total)
	if total > 30*1024 {
		t.Fatalf("first view is %d bytes compressed, over the 30 KB budget", total)
	}
}
