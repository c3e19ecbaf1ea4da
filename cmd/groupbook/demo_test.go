package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"groupbook/booking"
)

func TestDemoServesAndShutsDown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	addr := freeAddr(t)
	base := "http://" + addr
	s := startCmd(t, map[string]string{EnvAddr: addr, EnvDatabaseURL: path}, "demo")
	s.waitReady(t, base)

	if code, body := getBody(t, base+"/healthz"); code != http.StatusOK || body != "ok" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	out := s.stdout.String()
	for _, want := range []string{base + "/w/demo", "owner@example.com / groupbook-demo"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner %q does not show %q", out, want)
		}
	}
	if !strings.Contains(s.stderr.String(), `"admin_email":"owner@example.com"`) {
		t.Errorf("the JSON log does not carry the demo credentials:\n%s", s.stderr)
	}

	if err := s.stop(t); err != nil {
		t.Fatalf("run returned %v after cancel, want nil (graceful shutdown)", err)
	}

	// The data is in the file, and a second demo start may replace it.
	db, err := booking.OpenDB(path, booking.DBOptions{})
	must(t, err)
	_, err = booking.NewStore(db).LinkBySlug(context.Background(), "demo")
	db.Close()
	must(t, err)
	must(t, resetDemoDatabase(context.Background(), path))
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("demo database still there after reset: %v", err)
	}
}

func TestDemoRefusesPostgres(t *testing.T) {
	err, _, _ := runCmd(t, map[string]string{EnvDatabaseURL: "postgres://postgres@127.0.0.1:5432/prod"}, "", "demo")
	if err == nil || !strings.HasPrefix(err.Error(), EnvDatabaseURL+": demo deletes and recreates its database") ||
		!strings.Contains(err.Error(), "only runs on an SQLite file, or on a PostgreSQL database named groupbook_bench* with -reset-postgres") {
		t.Errorf("demo on PostgreSQL: %v", err)
	}
}

func TestDemoLeavesOtherFilesAlone(t *testing.T) {
	dir := t.TempDir()

	notes := filepath.Join(dir, "notes.txt")
	must(t, os.WriteFile(notes, []byte("not a database"), 0o600))
	if err := resetDemoDatabase(context.Background(), notes); err == nil || !strings.Contains(err.Error(), "is not a demo database") {
		t.Errorf("reset of a text file: %v", err)
	}

	// A real groupbook database (migrated, no demo marker) is kept.
	real := filepath.Join(dir, "groupbook.db")
	ctx := context.Background()
	realDB, _, err := openDatabase(ctx, Config{DatabaseURL: real, DBMaxConns: 1})
	must(t, err)
	realDB.Close()
	if err := resetDemoDatabase(ctx, real); err == nil || !strings.Contains(err.Error(), "no demo marker") {
		t.Errorf("reset of a real database: %v", err)
	}
	for _, p := range []string{notes, real} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was touched: %v", p, err)
		}
	}

	// A missing or empty file is fine.
	empty := filepath.Join(dir, "empty.db")
	must(t, os.WriteFile(empty, nil, 0o600))
	must(t, resetDemoDatabase(ctx, empty))
	must(t, resetDemoDatabase(ctx, filepath.Join(dir, "missing.db")))
}

func TestSQLitePath(t *testing.T) {
	for dsn, want := range map[string]string{
		"groupbook-demo.db":               "groupbook-demo.db",
		"/var/lib/gb/demo.db":             "/var/lib/gb/demo.db",
		"sqlite:///tmp/demo.db":           "/tmp/demo.db",
		"file:/tmp/my%20demo.db?mode=rwc": "/tmp/my demo.db",
	} {
		if got := sqlitePath(dsn); got != want {
			t.Errorf("sqlitePath(%q) = %q, want %q", dsn, got, want)
		}
	}
}
