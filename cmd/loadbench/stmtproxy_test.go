package main

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"

	"groupbook/booking/booktest"
)

func TestStmtProxyCounts(t *testing.T) {
	base := os.Getenv(booktest.EnvPostgres)
	if base == "" {
		t.Skipf("set %s to count statements on PostgreSQL", booktest.EnvPostgres)
	}
	u, err := url.Parse(base)
	must(t, err)
	p, err := startStmtProxy(u.Host)
	must(t, err)
	defer p.close()
	u.Host = p.addr()
	db, err := sql.Open("pgx", u.String())
	must(t, err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	must(t, db.PingContext(ctx))

	start := p.count.Load()
	var n int
	for range 3 {
		must(t, db.QueryRowContext(ctx, "SELECT $1::int", 7).Scan(&n)) // extended protocol
	}
	_, err = db.ExecContext(ctx, "SELECT 1") // no arguments: one simple or extended statement
	must(t, err)
	tx, err := db.BeginTx(ctx, nil)
	must(t, err)
	_, err = tx.ExecContext(ctx, "SELECT 2")
	must(t, err)
	must(t, tx.Commit())
	// 3 + 1 + BEGIN, SELECT, COMMIT.
	if got := p.count.Load() - start; got != 7 {
		t.Errorf("counted %d statements, want 7", got)
	}
}
