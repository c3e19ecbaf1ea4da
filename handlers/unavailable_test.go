package handlers

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// downRouter is the whole router over a PostgreSQL nobody listens on.
func downRouter(t *testing.T) *widgetEnv {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db, err := booking.OpenDB("postgres://postgres@"+addr+"/postgres?sslmode=disable", booking.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newTestRouter(t, booking.NewStore(db), time.Now, func(d *Deps) { d.RequestTimeout = faultRequestTimeout })
}

// wantUnavailable checks a "try again in a moment" answer: 503, Retry-After,
// never cached, and the localised heading and text.
func wantUnavailable(t *testing.T, what string, p *page, lang string) {
	t.Helper()
	l := testLocalizer(t, lang)
	if p.code != http.StatusServiceUnavailable || p.hdr.Get("Retry-After") != "5" || p.hdr.Get("Cache-Control") != "no-store" {
		t.Errorf("%s: %d, Retry-After %q, Cache-Control %q; want 503, 5, no-store\n%s", what, p.code, p.hdr.Get("Retry-After"), p.hdr.Get("Cache-Control"), p.body)
		return
	}
	if p.doc == nil {
		t.Errorf("%s: not HTML: %q", what, p.body)
		return
	}
	if got := p.text("[role=alert]"); got != l.T("error_unavailable_text") {
		t.Errorf("%s: alert %q, want %q", what, got, l.T("error_unavailable_text"))
	}
}

// TestDatabaseDown: with PostgreSQL refusing connections, every widget and
// admin page answers 503 "try again in a moment" in the visitor's
// language, as a page, or as a fragment that fits where htmx swaps it.
// Before, each was a 500 with an empty body.
func TestDatabaseDown(t *testing.T) {
	e := downRouter(t)
	admin := &adminClient{e: &adminEnv{widgetEnv: e}, cookie: "some-session", ip: "192.0.2.7"}

	for _, tc := range []struct {
		name, path, lang, css string
		header                []string
	}{
		{"widget list", "/w/sunrise", "en", "widget.css", nil},
		{"widget list in Hungarian", "/w/sunrise", "hu", "widget.css", []string{"Accept-Language", "hu-HU,hu;q=0.9"}},
		{"widget list with ?lang=", "/w/sunrise?lang=uk&embed=1", "uk", "widget.css", nil},
		{"event page", "/w/sunrise/e/1", "en", "widget.css", nil},
		{"manage page", "/m/AbCdEfGhIjKlMnOpQrStUv", "ru", "widget.css", []string{"Accept-Language", "ru"}},
	} {
		p := e.get(tc.path, tc.header...)
		wantUnavailable(t, tc.name, p, tc.lang)
		if p.doc == nil {
			continue
		}
		if got := p.text("h1"); got != testLocalizer(t, tc.lang).T("error_unavailable_title") {
			t.Errorf("%s: heading %q", tc.name, got)
		}
		if href, _ := p.doc.Find("main a.gb-btn").Attr("href"); href != tc.path {
			t.Errorf("%s: Try again goes to %q, want %q", tc.name, href, tc.path)
		}
		if css, _ := p.doc.Find(`link[rel=stylesheet]`).Attr("href"); !strings.Contains(css, strings.TrimSuffix(tc.css, ".css")) {
			t.Errorf("%s: stylesheet %q", tc.name, css)
		}
		// The studio's site frames the widget: the message must show there.
		if csp := p.hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || p.hdr.Get("X-Frame-Options") != "" {
			t.Errorf("%s: cannot be framed: %q", tc.name, csp)
		}
	}
	wantUnavailable(t, "booking form", e.post("/w/sunrise/book", contact("x")), "en")

	// htmx: the widget's main area gets the heading and the message; a
	// smaller target only the message.
	main := e.get("/w/sunrise?after=1767225600.20", "HX-Request", "true", "HX-Target", "main#gb-widget")
	wantUnavailable(t, "htmx main", main, "en")
	if strings.Contains(main.body, "<html") || main.doc.Find("h1").Length() != 1 || main.hdr.Get("HX-Push-Url") != "false" {
		t.Errorf("htmx main swap: want a fragment with a heading, not pushed:\n%s", main.body)
	}
	more := e.get("/w/sunrise?after=1767225600.20", "HX-Request", "true", "HX-Target", "div#gb-more")
	wantUnavailable(t, "htmx small target", more, "en")
	if strings.Contains(more.body, "<html") || more.doc.Find("h1").Length() != 0 || more.doc.Find("body > div.gb-alert").Length() != 1 {
		t.Errorf("htmx small target: want only the alert:\n%s", more.body)
	}

	// The admin: the session check is the first to reach the database.
	for _, path := range []string{"/admin", "/admin/schedule", "/admin/events/1"} {
		p := admin.get(path, "Accept-Language", "pt-PT")
		wantUnavailable(t, "admin "+path, p, "pt")
		if p.doc != nil && (p.doc.Find("body.ga main#ga-main h1").Length() != 1 || p.hdr.Get("X-Frame-Options") != "DENY") {
			t.Errorf("admin %s: not the admin's page, or frameable:\n%s", path, p.body)
		}
	}
	frag := admin.get("/admin/schedule", "HX-Request", "true", "HX-Target", "main#ga-main")
	wantUnavailable(t, "admin htmx", frag, "en")
	if strings.Contains(frag.body, "<html") || frag.doc.Find("h1").Length() != 1 {
		t.Errorf("admin htmx main swap: want a fragment with a heading:\n%s", frag.body)
	}
	row := admin.post("/admin/events/1/bookings/2/status", map[string][]string{"status": {"arrived"}},
		"HX-Request", "true", "HX-Target", "div#gae-clients-wrap")
	wantUnavailable(t, "admin htmx row", row, "en")
	if row.doc.Find("h1").Length() != 0 {
		t.Errorf("admin htmx row: want only the alert:\n%s", row.body)
	}
}

// TestDatabaseFrozen: PostgreSQL accepts connections but never answers (a
// proxy that forwards nothing). Requests end at their deadline with 503,
// while the database stays frozen.
func TestDatabaseFrozen(t *testing.T) {
	e := newFaultEnv(t, booktest.Postgres)
	e.f.YogaEvents(t, 1, 10)
	admin := e.signIn(ownerEmail)
	e.proxy.freeze(true)
	start := time.Now()
	wantUnavailable(t, "widget", e.get("/w/sunrise"), "en")
	wantUnavailable(t, "admin", admin.get("/admin/schedule"), "en")
	t.Logf("two requests answered in %v with the database frozen (deadline %v each)", time.Since(start).Round(time.Millisecond), faultRequestTimeout)
}

// TestSQLiteLockedWrite: on SQLite, a write that cannot get the database's
// write lock (another process holds it) is a 503 too; reads go on.
func TestSQLiteLockedWrite(t *testing.T) {
	e := newFaultEnv(t, booktest.SQLite)
	ev := e.f.YogaEvents(t, 1, 10)[0]
	r := booking.ReserveRequest{LocationID: e.f.Location.ID, Link: e.f.Link, Key: "w-k", EventIDs: []int64{ev.ID}, Seats: 1, Client: booktest.Client(1), Lang: "en"}
	res, err := e.f.Store.Reserve(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	e.holdWriteLock()
	if p := e.get("/m/" + res.Group.Token); p.code != http.StatusOK {
		t.Errorf("manage page under a write lock: %d", p.code)
	}
	p := e.post("/m/"+res.Group.Token+"/cancel", map[string][]string{"booking": {itoa64(res.Bookings[0].ID)}, "confirm": {"1"}})
	wantUnavailable(t, "cancel under a write lock", p, "en")
}

// TestServerErrorPage: an error that is not the database being away (here
// a table missing) is a 500 page with the request id, which the log has
// too, in the widget and the admin; no longer an empty body.
func TestServerErrorPage(t *testing.T) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		t.Run(kind, func(t *testing.T) {
			e := newFaultEnv(t, kind)
			admin := e.signIn(ownerEmail)
			if _, err := e.db.ExecContext(context.Background(), "ALTER TABLE widget_links RENAME TO widget_links_gone"); err != nil {
				t.Fatal(err)
			}
			for what, p := range map[string]*page{
				"widget": e.get("/w/sunrise", "Accept-Language", "hu"),
				"admin":  admin.get("/admin/links", "Accept-Language", "hu"),
			} {
				hu := testLocalizer(t, "hu")
				id := p.hdr.Get(HeaderRequestID)
				if p.code != http.StatusInternalServerError || p.doc == nil || p.hdr.Get("Retry-After") != "" {
					t.Errorf("%s: %d, want a 500 page\n%s", what, p.code, p.body)
					continue
				}
				if p.text("h1") != hu.T("error_internal_title") || !strings.Contains(p.text("[role=alert]"), hu.T("error_request_id", map[string]any{"ID": id})) {
					t.Errorf("%s: page lacks the heading or the request id %s:\n%s", what, id, p.body)
				}
			}
		})
	}
}
