package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// benchURL returns the URL of a PostgreSQL database named groupbook_bench_*
// that does not exist yet, dropped again when the test ends.
func benchURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv(booktest.EnvPostgres)
	if base == "" {
		t.Skipf("PostgreSQL demo test skipped: set %s", booktest.EnvPostgres)
	}
	u, err := url.Parse(base)
	must(t, err)
	b := make([]byte, 5)
	rand.Read(b)
	name := benchDBPrefix + "_test_" + hex.EncodeToString(b)
	u.Path = "/" + name
	t.Cleanup(func() {
		db, err := booking.OpenDB(base, booking.DBOptions{MaxOpenConns: 1})
		if err != nil {
			return
		}
		defer db.Close()
		db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return u.String()
}

func TestDemoOnPostgresWithEvents(t *testing.T) {
	dsn := benchURL(t)
	addr := freeAddr(t)
	base := "http://" + addr
	s := startCmd(t, map[string]string{EnvAddr: addr}, "demo", "-database-url", dsn, "-reset-postgres", "-events", "600")
	s.waitReady(t, base)
	if code, body := getBody(t, base+"/w/demo"); code != http.StatusOK || !strings.Contains(body, "/w/demo/e/") {
		t.Errorf("/w/demo = %d, no event links:\n%.300s", code, body)
	}
	must(t, s.stop(t))

	// A second start replaces the data rather than adding to it.
	s = startCmd(t, map[string]string{EnvAddr: addr}, "demo", "-database-url", dsn, "-reset-postgres", "-events", "600")
	s.waitReady(t, base)
	must(t, s.stop(t))

	db, err := booking.OpenDB(dsn, booking.DBOptions{})
	must(t, err)
	defer db.Close()
	ctx := context.Background()
	st := booking.NewStore(db)
	link, err := st.LinkBySlug(ctx, demoSlug)
	must(t, err)
	// The extra events are the ones outside the eight-week series (whose
	// first events may have passed earlier today).
	var extra, future, other int
	must(t, db.NewSelect().TableExpr("events").ColumnExpr("count(*)").Where("series_id IS NULL").Scan(ctx, &extra))
	must(t, db.NewSelect().TableExpr("events").ColumnExpr("count(*)").Where("series_id IS NULL AND starts_at > ?", time.Now()).Scan(ctx, &future))
	must(t, db.NewSelect().TableExpr("events").ColumnExpr("count(*)").Where("location_id <> ?", link.LocationID).Scan(ctx, &other))
	if extra != 600 || future != extra || other != 0 {
		t.Errorf("extra events: %d, %d of them future, %d events elsewhere; want 600, all future, none elsewhere", extra, future, other)
	}
}

func TestDemoResetPostgresRefuses(t *testing.T) {
	for name, dsn := range map[string]string{
		"not a bench name": "postgres://postgres@127.0.0.1:5432/groupbook?sslmode=disable",
		"prefix only part": "postgres://postgres@127.0.0.1:5432/my_groupbook_bench?sslmode=disable",
		"quoting needed":   "postgres://postgres@127.0.0.1:5432/groupbook_bench%22x?sslmode=disable",
		"a schema":         "postgres://postgres@127.0.0.1:5432/groupbook_bench?sslmode=disable&search_path=gbtest",
	} {
		t.Run(name, func(t *testing.T) {
			err, _, _ := runCmd(t, nil, "", "demo", "-database-url", dsn, "-reset-postgres")
			if err == nil || !strings.Contains(err.Error(), "-reset-postgres") {
				t.Errorf("demo -reset-postgres on %s: %v", dsn, err)
			}
		})
	}
	err, _, _ := runCmd(t, nil, "", "demo", "-database-url", "x.db", "-reset-postgres")
	if err == nil || !strings.Contains(err.Error(), "needs a postgres:// database URL") {
		t.Errorf("-reset-postgres with SQLite: %v", err)
	}
	err, _, _ = runCmd(t, nil, "", "demo", "-events", "-1")
	if err == nil || !strings.Contains(err.Error(), "-events must be") {
		t.Errorf("-events -1: %v", err)
	}
}
