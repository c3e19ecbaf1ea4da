// Package booktest runs tests on both databases and builds named fixtures.
// Every store test calls Each, so it runs on SQLite and on PostgreSQL.
package booktest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/migrations"
)

// Environment variables read by the tests.
const (
	// EnvPostgres is a postgres:// URL of a server the tests may create
	// schemas in, e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
	EnvPostgres = "GROUPBOOK_TEST_POSTGRES"
	// EnvRequirePostgres set to 1 turns the skip into a failure; CI sets it
	// so the PostgreSQL half can never be silently skipped.
	EnvRequirePostgres = "GROUPBOOK_TEST_REQUIRE_POSTGRES"
)

// Kinds of database.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Each runs fn as two subtests, one per database, each on a fresh schema.
func Each(t *testing.T, fn func(t *testing.T, db *bun.DB)) {
	t.Helper()
	for _, kind := range []string{SQLite, Postgres} {
		t.Run(kind, func(t *testing.T) {
			fn(t, Open(t, kind))
		})
	}
}

// Open returns a fresh, migrated database of the kind, removed when tb ends.
func Open(tb testing.TB, kind string) *bun.DB {
	tb.Helper()
	dsn := URL(tb, kind)
	db, err := booking.OpenDB(dsn, booking.DBOptions{MaxOpenConns: 40})
	if err != nil {
		tb.Fatalf("open %s: %v", kind, err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := migrations.Up(context.Background(), db); err != nil {
		tb.Fatalf("migrate %s: %v", kind, err)
	}
	return db
}

// URL returns the database URL of a fresh, empty database of the kind: a
// file in a temporary folder for SQLite, a new schema for PostgreSQL. The
// PostgreSQL case skips (or fails, under EnvRequirePostgres) when no server
// is configured.
func URL(tb testing.TB, kind string) string {
	tb.Helper()
	if kind == SQLite {
		return filepath.Join(tb.TempDir(), "test.db")
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		if os.Getenv(EnvRequirePostgres) == "1" {
			tb.Fatalf("%s is not set but %s=1: the PostgreSQL tests must run", EnvPostgres, EnvRequirePostgres)
		}
		tb.Skipf("PostgreSQL tests skipped: set %s to a postgres:// URL to run them", EnvPostgres)
	}
	admin, err := booking.OpenDB(base, booking.DBOptions{MaxOpenConns: 2})
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "gbtest_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema (is PostgreSQL at %s up?): %v", base, err)
	}
	tb.Cleanup(func() {
		a, err := booking.OpenDB(base, booking.DBOptions{MaxOpenConns: 1})
		if err != nil {
			return
		}
		defer a.Close()
		a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
