package handlers

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"groupbook/assets"
	"groupbook/booking/booktest"
	"groupbook/locales"
)

// withLogTo rebuilds e's router with its log going, as JSON at debug
// level, to the returned buffer.
func withLogTo(t *testing.T, e *widgetEnv) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	e.router = rebuildRouter(t, e, testBaseURL, slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	return &buf
}

// rebuildRouter is the full router over e's store with another base URL
// and log.
func rebuildRouter(t *testing.T, e *widgetEnv, baseURL string, log *slog.Logger) *gin.Engine {
	t.Helper()
	bundle, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	a, err := assets.New()
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewViews(a)
	if err != nil {
		t.Fatal(err)
	}
	return NewRouter(Deps{
		Store: e.f.Store, Secret: testSecret, BaseURL: baseURL, Log: log,
		Flow: e.flow, Locales: bundle, Assets: a, Views: v, Verifier: e.codes,
	})
}

// Issue 8, item 5: a manage token is the key to a client's bookings, and
// it is in the URL path. Every request to a route with a token (and a
// mistyped one, a panic and a database failure on one) is logged without
// it; the routes show as patterns with the other parameters filled in.
func TestLogsNeverShowManageTokens(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 2, 10)
		manage := bookVia(t, e, "+36201234567", "1", evs[0], evs[1])
		token := strings.TrimPrefix(manage, "/m/")
		if len(token) < 16 || strings.Contains(token, "/") {
			t.Fatalf("manage path %q", manage)
		}
		logs := withLogTo(t, e)
		e.router.GET("/m/:token/boom", func(*gin.Context) { panic("boom") })

		id := manageBookingIDs(e.get(manage))[0]
		if id == "" {
			t.Fatal("no booking to cancel on the manage page")
		}
		wantPaths := map[string]int{
			"/m/[redacted]":                     http.StatusInternalServerError, // the last request, without a database
			"/m/[redacted]/ics":                 http.StatusOK,
			"/m/[redacted]/ics/" + id:           http.StatusOK,
			"/m/[redacted]/ics/999999":          http.StatusNotFound,
			"/m/[redacted]/cancel":              http.StatusSeeOther,
			"/m/[redacted]/no-such":             http.StatusNotFound,
			"/m/[redacted]/boom":                http.StatusInternalServerError,
			"/w/sunrise/e/" + itoa64(evs[1].ID): http.StatusOK,
		}
		e.get(manage + "?new=1")
		e.get(manage + "/ics")
		e.get(manage + "/ics/" + id)
		e.get(manage + "/ics/999999")
		e.post(manage+"/cancel", url.Values{"booking": {id}, "confirm": {"1"}})
		e.get(manage + "/no-such")
		e.get(manage + "/boom")
		e.get("/w/sunrise/e/" + itoa64(evs[1].ID)) // public parameters stay readable
		// A database failure on a token route logs the error with the path.
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if r := e.get(manage); r.code != http.StatusInternalServerError {
			t.Errorf("manage page without a database: %d", r.code)
		}

		if strings.Contains(logs.String(), token) {
			t.Fatalf("the manage token is in the log:\n%s", logs.String())
		}
		seen := map[string]int{}
		for _, l := range logLines(t, logs) {
			if l["msg"] == "request" {
				seen[l["path"].(string)] = int(l["status"].(float64))
			}
		}
		for p, code := range wantPaths {
			if seen[p] != code {
				t.Errorf("access log for %s: status %d, want %d (logged paths: %v)", p, seen[p], code, seen)
			}
		}
		for _, msg := range []string{"panic in handler", "widget"} {
			if l := findLog(t, logs, msg); !strings.HasPrefix(l["path"].(string), "/m/[redacted]") {
				t.Errorf("%q logged path %q", msg, l["path"])
			}
		}
	})
}

func TestRedactOpaque(t *testing.T) {
	for in, want := range map[string]string{
		"/m/AbCdEfGhIjKlMnOpQrStUv/x":  "/m/[redacted]/x",
		"/w/sunrise/e/12":              "/w/sunrise/e/12",
		"/assets/htmx.min.a0abb04f.js": "/assets/htmx.min.a0abb04f.js",
		"/wp-login.php":                "/wp-login.php",
	} {
		if got := redactOpaque(in); got != want {
			t.Errorf("redactOpaque(%q) = %q, want %q", in, got, want)
		}
	}
}
