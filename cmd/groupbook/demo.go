package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"groupbook/booking"
)

// maxDemoEvents bounds -events: a million events is ~2 GB of SQLite and
// minutes of inserting, more than any load run needs.
const maxDemoEvents = 1_000_000

// demoDatabase is where the demo keeps its data unless told otherwise; it
// is not the server's default so a demo never touches real data.
const demoDatabase = "groupbook-demo.db"

// demo recreates a database with demo data and serves it: an SQLite file,
// or with -reset-postgres a PostgreSQL database named groupbook_bench*.
func (c *cli) demo(ctx context.Context, args []string) error {
	fset := newFlagSet("demo", c.stderr)
	src := bindConfig(fset, c.env, map[string]string{EnvDatabaseURL: demoDatabase})
	extra := fset.Int("events", 0, "also create this many future events (several a day, over years), for load tests")
	resetPG := fset.Bool("reset-postgres", false, "drop and recreate the PostgreSQL database of -database-url; "+
		"only a database whose name starts with "+benchDBPrefix)
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	cfg, err := src.Config()
	if err != nil {
		return err
	}
	if *extra < 0 || *extra > maxDemoEvents {
		return fmt.Errorf("%w: -events must be from 0 to %d, got %d", errUsage, maxDemoEvents, *extra)
	}
	switch pg := booking.IsPostgresURL(cfg.DatabaseURL); {
	case pg && !*resetPG:
		return fmt.Errorf("%s: demo deletes and recreates its database on every start, so it only runs on an SQLite file, "+
			"or on a PostgreSQL database named %s* with -reset-postgres; "+
			"unset %s to use %s, or use \"migrate\" and \"serve\" for PostgreSQL", EnvDatabaseURL, benchDBPrefix, EnvDatabaseURL, demoDatabase)
	case pg:
		if err := resetBenchDatabase(ctx, cfg.DatabaseURL); err != nil {
			return err
		}
	case *resetPG:
		return fmt.Errorf("%w: -reset-postgres needs a postgres:// database URL", errUsage)
	default:
		if err := resetDemoDatabase(ctx, cfg.DatabaseURL); err != nil {
			return err
		}
	}

	log := newLogger(c.stderr, cfg.LogLevel)
	db, _, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	store := booking.NewStore(db)
	now := time.Now()
	d, err := loadDemo(ctx, store, now)
	if err != nil {
		return err
	}
	if err := addDemoEvents(ctx, store, d, now, *extra); err != nil {
		return err
	}
	d.Events += *extra
	// SMS on, so a demo booking shows its messages in the log (or sends
	// them, with Twilio configured), reminders included.
	if err := store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: d.Location.ID, Enabled: true, ReminderHours: 24}); err != nil {
		return fmt.Errorf("demo SMS settings: %w", err)
	}
	widgetURL := cfg.BaseURL + "/w/" + demoSlug
	fullURL := fmt.Sprintf("%s/admin/events/%d", cfg.BaseURL, d.FullEvent.ID)
	// Logging a password is acceptable only because this one is public,
	// fixed and printed in the README.
	log.Info("demo data loaded", "database", redactDSN(cfg.DatabaseURL), "events", d.Events,
		"widget_url", widgetURL, "admin_email", demoEmail, "admin_password", demoPassword,
		"pass_client_phone", demoPassPhone, "full_class", fullURL)
	return serveStore(ctx, cfg, store, log, serveOptions{demo: true, announce: func() {
		fmt.Fprintf(c.stdout, "groupbook demo is running\n"+
			"  widget:      %s\n"+
			"  admin login: %s / %s\n"+
			"  pass holder: %s (3 of 10 Yoga visits left; confirm this phone on %s-sms)\n"+
			"  full class:  %s (3 people on its waitlist)\n"+
			"  database:    %s (recreated on every demo start)\n"+
			"Press Ctrl-C to stop.\n", widgetURL, demoEmail, demoPassword, demoPassPhone, widgetURL, fullURL, redactDSN(cfg.DatabaseURL))
	}})
}

// resetDemoDatabase deletes the demo's SQLite file and its WAL companions,
// but only if it is missing, empty or an earlier demo database.
func resetDemoDatabase(ctx context.Context, dsn string) error {
	path := sqlitePath(dsn)
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("demo database: %w", err)
	case info.IsDir():
		return fmt.Errorf("%s: %s is a directory, not an SQLite file", EnvDatabaseURL, path)
	case info.Size() > 0:
		if err := checkDemoMarker(ctx, dsn); err != nil {
			return fmt.Errorf("%s: %s is not a demo database (%w); demo deletes its database on every start, "+
				"so it leaves this one alone: point %s at another file, or delete this one yourself", EnvDatabaseURL, path, err, EnvDatabaseURL)
		}
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("demo: remove old database: %w", err)
		}
	}
	return nil
}

// checkDemoMarker reads the setting loadDemo writes first.
func checkDemoMarker(ctx context.Context, dsn string) error {
	db, err := booking.OpenDB(dsn, booking.DBOptions{MaxOpenConns: 1})
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = booking.NewStore(db).Setting(ctx, demoMarkerKey)
	if errors.Is(err, booking.ErrNotFound) {
		return errors.New("it has no demo marker")
	}
	if err != nil {
		return fmt.Errorf("cannot read it as a groupbook database: %w", err)
	}
	return nil
}

// sqlitePath is the file behind an SQLite database URL in any of the forms
// booking.OpenDB accepts: a path, sqlite://path or file:path?options.
func sqlitePath(dsn string) string {
	p := strings.TrimPrefix(dsn, "sqlite://")
	if rest, ok := strings.CutPrefix(p, "file:"); ok {
		p, _, _ = strings.Cut(rest, "?")
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
	}
	return p
}
