package main

import (
	"context"
	"fmt"
	"net/url"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/migrations"
)

// openDatabase opens the configured database and applies any pending
// migrations, returning their names. Every command needs both, and running
// the migrations at start means a new version never serves an old schema.
//
// Migrations run on a pool of their own without the statement timeout: an
// index build on a large table, or waiting for another process's
// migrations, may rightly take minutes, while a request's statement may
// not.
func openDatabase(ctx context.Context, cfg Config) (*bun.DB, []string, error) {
	mdb, err := booking.OpenDB(cfg.DatabaseURL, booking.DBOptions{MaxOpenConns: 4, StatementTimeout: booking.NoTimeout})
	if err != nil {
		return nil, nil, fmt.Errorf("open database %s: %w", redactDSN(cfg.DatabaseURL), err)
	}
	applied, err := migrations.Up(ctx, mdb)
	mdb.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("migrate database %s: %w", redactDSN(cfg.DatabaseURL), err)
	}
	db, err := booking.OpenDB(cfg.DatabaseURL, booking.DBOptions{
		MaxOpenConns: cfg.DBMaxConns, StatementTimeout: serverTimeouts(cfg.RequestTimeout).statement,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("open database %s: %w", redactDSN(cfg.DatabaseURL), err)
	}
	return db, applied, nil
}

// redactDSN hides a PostgreSQL password so the URL can be logged.
func redactDSN(dsn string) string {
	if !booking.IsPostgresURL(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	return u.Redacted()
}
