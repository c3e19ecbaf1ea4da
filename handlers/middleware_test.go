package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestSecurityHeaders(t *testing.T) {
	r, _ := testRouter(t, Deps{})
	r.GET("/boom", func(*gin.Context) { panic("boom") })
	want := map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
		"X-Frame-Options":         "DENY",
	}
	// A normal page, a 404 and a recovered panic all carry them.
	for _, path := range []string{"/healthz", "/no-such-page", "/boom"} {
		w := get(r, path)
		for k, v := range want {
			if got := w.Header().Get(k); got != v {
				t.Errorf("GET %s (%d): %s = %q, want %q", path, w.Code, k, got, v)
			}
		}
	}
}

func TestRequestID(t *testing.T) {
	r, logs := testRouter(t, Deps{})

	w := get(r, "/healthz", HeaderRequestID, "abc-123")
	if got := w.Header().Get(HeaderRequestID); got != "abc-123" {
		t.Errorf("echoed request id = %q, want abc-123", got)
	}
	line := findLog(t, logs, "request")
	if line["request_id"] != "abc-123" || line["path"] != "/healthz" || line["method"] != "GET" || line["status"] != float64(200) {
		t.Errorf("access log = %v, want GET /healthz 200 with request_id abc-123", line)
	}
	if _, ok := line["duration_ms"]; !ok {
		t.Errorf("access log has no duration_ms: %v", line)
	}

	a := get(r, "/healthz").Header().Get(HeaderRequestID)
	b := get(r, "/healthz").Header().Get(HeaderRequestID)
	if a == "" || b == "" || a == b {
		t.Errorf("generated request ids %q and %q, want two different non-empty ids", a, b)
	}

	// An id that could forge log lines or flood them is replaced.
	for _, bad := range []string{"two\nlines", `quote"d`, strings.Repeat("x", 65)} {
		got := get(r, "/healthz", HeaderRequestID, bad).Header().Get(HeaderRequestID)
		if got == bad || !validRequestID.MatchString(got) {
			t.Errorf("request id %q came back as %q, want a fresh one", bad, got)
		}
	}
}

func TestPanicRecovery(t *testing.T) {
	r, logs := testRouter(t, Deps{})
	r.GET("/boom", func(*gin.Context) { panic("password=hunter2 in SQL") })

	w := get(r, "/boom", HeaderRequestID, "req-boom")
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", w.Code)
	}
	if strings.Contains(w.Body.String(), "hunter2") {
		t.Errorf("response leaks the panic: %q", w.Body)
	}
	if !strings.Contains(w.Body.String(), "req-boom") {
		t.Errorf("body %q does not give the request id to quote", w.Body)
	}
	p := findLog(t, logs, "panic in handler")
	if !strings.Contains(p["panic"].(string), "hunter2") || p["request_id"] != "req-boom" || p["stack"] == "" {
		t.Errorf("panic log = %v, want the panic value, stack and request id", p)
	}
	if a := findLog(t, logs, "request"); a["status"] != float64(500) || a["level"] != "ERROR" {
		t.Errorf("access log = %v, want status 500 at ERROR", a)
	}

	// A 503 (the database away) is a warning line: the cause is logged
	// where it was found, and an outage must not flood the error level.
	r.GET("/away", func(c *gin.Context) { c.Status(http.StatusServiceUnavailable) })
	get(r, "/away")
	seen := false
	for _, l := range logLines(t, logs) {
		if l["msg"] == "request" && l["status"] == float64(503) {
			seen = true
			if l["level"] != "WARN" {
				t.Errorf("access log of a 503 = %v, want WARN", l)
			}
		}
	}
	if !seen {
		t.Errorf("no access log line for the 503")
	}

	// The server keeps serving after a panic.
	if w := get(r, "/healthz"); w.Code != http.StatusOK {
		t.Errorf("after a panic /healthz = %d", w.Code)
	}
}
