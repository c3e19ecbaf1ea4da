package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver the server uses too
)

// scratchName is a database loadbench may drop: groupbook's demo guards
// the same prefix (groupbook demo -reset-postgres).
var scratchName = regexp.MustCompile(`^groupbook_bench[a-z0-9_]*$`)

// pgServer is the local PostgreSQL, reached through its maintenance
// database.
type pgServer struct {
	base *url.URL // the maintenance database's URL
}

func newPGServer(raw string) (*pgServer, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("-pg must be a postgres:// URL, got %q", raw)
	}
	return &pgServer{base: u}, nil
}

// urlOf is the URL of database name on the same server.
func (p *pgServer) urlOf(name string) string {
	u := *p.base
	u.Path = "/" + name
	return u.String()
}

func (p *pgServer) open() (*sql.DB, error) {
	db, err := sql.Open("pgx", p.base.String())
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return db, nil
}

// ping checks the server answers.
func (p *pgServer) ping(ctx context.Context) error {
	db, err := p.open()
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("postgres at %s: %w", p.base.Redacted(), err)
	}
	return nil
}

// recreate drops and creates a scratch database and returns its URL.
func (p *pgServer) recreate(ctx context.Context, name string) (string, error) {
	if !scratchName.MatchString(name) {
		return "", fmt.Errorf("refusing to drop database %q: not named groupbook_bench*", name)
	}
	db, err := p.open()
	if err != nil {
		return "", err
	}
	defer db.Close()
	for _, q := range []string{"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return "", fmt.Errorf("postgres %s: %w", strings.Fields(q)[0], err)
		}
	}
	return p.urlOf(name), nil
}

// drop removes a scratch database.
func (p *pgServer) drop(ctx context.Context, name string) error {
	if !scratchName.MatchString(name) {
		return fmt.Errorf("refusing to drop database %q: not named groupbook_bench*", name)
	}
	db, err := p.open()
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("postgres DROP: %w", err)
	}
	return nil
}

// dbStats are a database's cumulative counters from pg_stat_database.
type dbStats struct {
	Commits, Inserted, Updated, Returned, Fetched int64
}

// stats reads name's counters. PostgreSQL updates them when a backend goes
// idle (at most once a second), so read them a moment after a load ends.
func (p *pgServer) stats(ctx context.Context, name string) (dbStats, error) {
	db, err := p.open()
	if err != nil {
		return dbStats{}, err
	}
	defer db.Close()
	var s dbStats
	err = db.QueryRowContext(ctx, `SELECT xact_commit, tup_inserted, tup_updated, tup_returned, tup_fetched
		FROM pg_stat_database WHERE datname = $1`, name).Scan(&s.Commits, &s.Inserted, &s.Updated, &s.Returned, &s.Fetched)
	if err != nil {
		return dbStats{}, fmt.Errorf("pg_stat_database: %w", err)
	}
	return s, nil
}

func (s dbStats) minus(o dbStats) dbStats {
	return dbStats{s.Commits - o.Commits, s.Inserted - o.Inserted, s.Updated - o.Updated, s.Returned - o.Returned, s.Fetched - o.Fetched}
}
