package main

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"groupbook/booking"
)

// benchDBPrefix starts the name of every PostgreSQL database the demo may
// drop. The name, not a marker inside, is the guard: a marker lives in one
// schema, and a database holding a demo schema may hold real ones beside it.
const benchDBPrefix = "groupbook_bench"

// benchDBName is what a droppable name looks like: the prefix, then only
// characters that need no quoting in SQL.
var benchDBName = regexp.MustCompile(`^` + benchDBPrefix + `[a-z0-9_]*$`)

// resetBenchDatabase drops and recreates the PostgreSQL database that dsn
// names, through the server's "postgres" maintenance database, after
// checking that its name marks it as a scratch database for demos and load
// runs.
func resetBenchDatabase(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("%s: is not a valid postgres:// URL", EnvDatabaseURL)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if !benchDBName.MatchString(name) {
		return fmt.Errorf("%s: -reset-postgres drops the database, so it only takes one named %s followed by "+
			"lower-case letters, digits or _, got %q", EnvDatabaseURL, benchDBPrefix, name)
	}
	if q := u.Query(); q.Has("search_path") {
		// A schema inside another database is not ours to drop.
		return fmt.Errorf("%s: -reset-postgres takes a whole database, without search_path", EnvDatabaseURL)
	}
	maint := *u
	maint.Path = "/postgres"
	db, err := booking.OpenDB(maint.String(), booking.DBOptions{MaxOpenConns: 1, StatementTimeout: booking.NoTimeout})
	if err != nil {
		return fmt.Errorf("demo: open the postgres maintenance database: %w", err)
	}
	defer db.Close()
	// The name matched benchDBName, so it is safe to write into SQL as is.
	// FORCE ends the sessions of an earlier demo still connected.
	if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("demo: drop database %s: %w", name, err)
	}
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("demo: create database %s: %w", name, err)
	}
	return nil
}
