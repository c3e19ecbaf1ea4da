package booking_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/migrations"
)

// closedPortURL is a PostgreSQL URL whose port nobody listens on.
func closedPortURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "postgres://postgres@" + addr + "/postgres?sslmode=disable"
}

// TestUnavailableOnPostgres: the errors of a database that is down, slow
// or locked are told apart from the errors of a wrong statement, with real
// failures of a real server.
func TestUnavailableOnPostgres(t *testing.T) {
	ctx := context.Background()
	down, err := booking.OpenDB(closedPortURL(t), booking.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	_, err = booking.NewStore(down).Locations(ctx)
	if !booking.Unavailable(err) {
		t.Errorf("connection refused: %v is not unavailable", err)
	}

	// A statement over the statement timeout, and one waiting for a lock
	// held by another session.
	dsn := booktest.URL(t, booktest.Postgres)
	db, err := booking.OpenDB(dsn, booking.DBOptions{StatementTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "SELECT pg_sleep(5)")
	if !booking.Unavailable(err) {
		t.Errorf("statement timeout: %v is not unavailable", err)
	}
	holder, err := booking.OpenDB(dsn, booking.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	// Migrated through a connection without the short timeout: the
	// migrations' advisory lock is shared by every schema of the server,
	// and other test packages migrating at the same moment may hold it
	// longer than 300 ms.
	if _, err := migrations.Up(ctx, holder); err != nil {
		t.Fatal(err)
	}
	tx, err := holder.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "LOCK TABLE locations IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	_, err = booking.NewStore(db).Locations(ctx)
	if !booking.Unavailable(err) {
		t.Errorf("locked table: %v is not unavailable", err)
	}
	// The request's own deadline, shorter than the statement timeout.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = booking.NewStore(db).Locations(short)
	if !booking.Unavailable(err) {
		t.Errorf("deadline: %v is not unavailable", err)
	}
	tx.Rollback()

	for _, q := range []string{"SELECT * FROM no_such_table", "SELECT 1/0", "SELECT 'x'::int"} {
		if _, err := db.ExecContext(ctx, q); err == nil || booking.Unavailable(err) {
			t.Errorf("%s: %v counted as unavailable", q, err)
		}
	}
}

// TestUnavailableOnSQLite: a write waiting for another connection's write
// lock ends after the statement timeout (SQLite's busy timeout, which does
// not look at the context) as unavailable.
func TestUnavailableOnSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "locked.db")
	db, err := booking.OpenDB(path, booking.DBOptions{StatementTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := migrations.Up(ctx, db); err != nil {
		t.Fatal(err)
	}
	release := holdSQLiteWriteLock(t, path)
	defer release()
	_, err = booking.NewStore(db).CreateLocation(ctx, booking.LocationInput{Name: "Studio", TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "en"})
	if !booking.Unavailable(err) {
		t.Errorf("write under another's lock: %v is not unavailable", err)
	}
	// Reads go on beside the writer (WAL).
	if _, err := booking.NewStore(db).Locations(ctx); err != nil {
		t.Errorf("read under another's write lock: %v", err)
	}
	if _, err := db.ExecContext(ctx, "SELECT * FROM no_such_table"); err == nil || booking.Unavailable(err) {
		t.Errorf("missing table: %v counted as unavailable", err)
	}
	for _, err := range []error{booking.ErrNotFound, booking.FieldErrors{"x": "y"}, sql.ErrNoRows, errors.New("x")} {
		if booking.Unavailable(fmt.Errorf("wrapped: %w", err)) {
			t.Errorf("%v counted as unavailable", err)
		}
	}
}

// holdSQLiteWriteLock takes the write lock of the SQLite file at path from
// a connection of its own, as another process would, until release.
func holdSQLiteWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	other, err := booking.OpenDB(path, booking.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := other.BeginTx(context.Background(), nil) // BEGIN IMMEDIATE: the write lock at once
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		tx.Rollback()
		other.Close()
	}
}

// TestOpenDBTimeouts: the timeouts reach the database, and a parameter the
// URL sets itself wins over ours.
func TestOpenDBTimeouts(t *testing.T) {
	ctx := context.Background()
	show := func(db *bun.DB, setting string) string {
		t.Helper()
		var v string
		if err := db.QueryRowContext(ctx, "SHOW "+setting).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	dsn := booktest.URL(t, booktest.Postgres)
	db, err := booking.OpenDB(dsn, booking.DBOptions{StatementTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := show(db, "statement_timeout"); got != "3s" {
		t.Errorf("statement_timeout = %s, want 3s", got)
	}
	if got := show(db, "idle_in_transaction_session_timeout"); got != "30s" {
		t.Errorf("idle_in_transaction_session_timeout = %s, want 30s", got)
	}

	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("statement_timeout", "7000")
	u.RawQuery = q.Encode()
	own, err := booking.OpenDB(u.String(), booking.DBOptions{StatementTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	if got := show(own, "statement_timeout"); got != "7s" {
		t.Errorf("statement_timeout = %s, want the URL's 7s", got)
	}

	// Migrations run without a statement timeout.
	mig, err := booking.OpenDB(dsn, booking.DBOptions{StatementTimeout: booking.NoTimeout})
	if err != nil {
		t.Fatal(err)
	}
	defer mig.Close()
	if got := show(mig, "statement_timeout"); got != "0" {
		t.Errorf("statement_timeout without timeout = %s, want 0", got)
	}

	for opts, want := range map[booking.DBOptions]int{
		{StatementTimeout: 1500 * time.Millisecond}: 1500,
		{}:                                    int(booking.DefaultStatementTimeout.Milliseconds()),
		{StatementTimeout: booking.NoTimeout}: 30000,
	} {
		sq, err := booking.OpenDB(filepath.Join(t.TempDir(), "t.db"), opts)
		if err != nil {
			t.Fatal(err)
		}
		var busy int
		if err := sq.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		sq.Close()
		if busy != want {
			t.Errorf("%+v: SQLite busy_timeout = %d ms, want %d", opts, busy, want)
		}
	}
}
