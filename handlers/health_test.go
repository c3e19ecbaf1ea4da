package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestHealthAndReady(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		r, logs := testRouter(t, Deps{Store: booking.NewStore(db)})

		if w := get(r, "/healthz"); w.Code != http.StatusOK || w.Body.String() != "ok" {
			t.Fatalf("/healthz = %d %q, want 200 ok", w.Code, w.Body)
		}
		if w := get(r, "/readyz"); w.Code != http.StatusOK || w.Body.String() != "ready" {
			t.Fatalf("/readyz = %d %q, want 200 ready", w.Code, w.Body)
		}

		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		w := get(r, "/readyz")
		if w.Code != http.StatusServiceUnavailable || w.Body.String() != "not ready" {
			t.Fatalf("/readyz with the database closed = %d %q, want 503 not ready", w.Code, w.Body)
		}
		line := findLog(t, logs, "not ready: database ping failed")
		if err, _ := line["err"].(string); !strings.Contains(err, "closed") {
			t.Errorf("logged err = %q, want the database error", err)
		}
		// Liveness must not depend on the database.
		if w := get(r, "/healthz"); w.Code != http.StatusOK {
			t.Errorf("/healthz with the database closed = %d, want 200", w.Code)
		}
	})
}
