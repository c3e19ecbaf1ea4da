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

// demoDatabase is where the demo keeps its data unless told otherwise; it
// is not the server's default so a demo never touches real data.
const demoDatabase = "groupbook-demo.db"

// demo recreates an SQLite database with demo data and serves it.
func (c *cli) demo(ctx context.Context, args []string) error {
	fset := newFlagSet("demo", c.stderr)
	src := bindConfig(fset, c.env, map[string]string{EnvDatabaseURL: demoDatabase})
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	cfg, err := src.Config()
	if err != nil {
		return err
	}
	if booking.IsPostgresURL(cfg.DatabaseURL) {
		return fmt.Errorf("%s: demo deletes and recreates its database on every start, so it only runs on an SQLite file; "+
			"unset %s to use %s, or use \"migrate\" and \"serve\" for PostgreSQL", EnvDatabaseURL, EnvDatabaseURL, demoDatabase)
	}
	if err := resetDemoDatabase(ctx, cfg.DatabaseURL); err != nil {
		return err
	}

	log := newLogger(c.stderr, cfg.LogLevel)
	db, _, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	store := booking.NewStore(db)
	d, err := loadDemo(ctx, store, time.Now())
	if err != nil {
		return err
	}
	// SMS on, so a demo booking shows its messages in the log (or sends
	// them, with Twilio configured), reminders included.
	if err := store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: d.Location.ID, Enabled: true, ReminderHours: 24}); err != nil {
		return fmt.Errorf("demo SMS settings: %w", err)
	}
	widgetURL := cfg.BaseURL + "/w/" + demoSlug
	// Logging a password is acceptable only because this one is public,
	// fixed and printed in the README.
	log.Info("demo data loaded", "database", cfg.DatabaseURL, "events", d.Events,
		"widget_url", widgetURL, "admin_email", demoEmail, "admin_password", demoPassword)
	return serveStore(ctx, cfg, store, log, serveOptions{demo: true, announce: func() {
		fmt.Fprintf(c.stdout, "groupbook demo is running\n"+
			"  widget:      %s\n"+
			"  admin login: %s / %s\n"+
			"  database:    %s (recreated on every demo start)\n"+
			"Press Ctrl-C to stop.\n", widgetURL, demoEmail, demoPassword, cfg.DatabaseURL)
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
