package migrations_test

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/uptrace/bun/migrate"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/migrations"
)

// TestSMSLimitsMigrationKeepsOutbox: 0004 changes the outbox's status
// check (on SQLite by rebuilding the table); messages queued before it
// keep their ids and fields, and the new status is accepted after it.
func TestSMSLimitsMigrationKeepsOutbox(t *testing.T) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			db, err := booking.OpenDB(booktest.URL(t, kind), booking.DBOptions{MaxOpenConns: 4})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			// The schema as it was before 0004.
			dir := map[string]string{booktest.SQLite: "sqlite", booktest.Postgres: "postgres"}[kind]
			old := fstest.MapFS{}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, en := range entries {
				if en.Name() < "0004" {
					b, err := os.ReadFile(dir + "/" + en.Name())
					if err != nil {
						t.Fatal(err)
					}
					old[en.Name()] = &fstest.MapFile{Data: b}
				}
			}
			ms := migrate.NewMigrations()
			if err := ms.Discover(fs.FS(old)); err != nil {
				t.Fatal(err)
			}
			m := migrate.NewMigrator(db, ms, migrate.WithMarkAppliedOnSuccess(true))
			if err := m.Init(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			// Written by hand, not through the store: the store's models
			// follow the newest schema, which later migrations extend.
			if _, err := db.ExecContext(ctx, `INSERT INTO locations (name, address, time_zone, country, default_lang, created_at)
				VALUES ('Old', 'x', 'Europe/Budapest', 'HU', 'en', ?)`, now); err != nil {
				t.Fatal(err)
			}
			var loc struct{ ID int64 }
			if err := db.QueryRowContext(ctx, "SELECT id FROM locations WHERE name = 'Old'").Scan(&loc.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO outbox (id, location_id, kind, phone, payload, status, attempts, due_at, next_attempt_at, provider_sid, last_error, created_at, updated_at)
				VALUES (41, ?, 'booked', '+36201234567', '{}', 'sent', 2, ?, ?, 'SM1', 'x', ?, ?)`, loc.ID, now, now, now, now); err != nil {
				t.Fatal(err)
			}
			names, err := migrations.Up(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if len(names) == 0 || !strings.HasPrefix(names[0], "0004") {
				t.Fatalf("applied %v, want 0004 first", names)
			}
			var got booking.OutboxMessage
			if err := db.NewSelect().Model(&got).Where("id = 41").Scan(ctx); err != nil {
				t.Fatal(err)
			}
			if got.Status != booking.OutboxSent || got.Attempts != 2 || got.ProviderSID != "SM1" || got.LastError != "x" || !got.DueAt.Equal(now) {
				t.Errorf("message after the migration: %+v", got)
			}
			if _, err := db.ExecContext(ctx, "UPDATE outbox SET status = 'suppressed' WHERE id = 41"); err != nil {
				t.Errorf("suppressed refused: %v", err)
			}
			if _, err := db.ExecContext(ctx, "UPDATE outbox SET status = 'lost' WHERE id = 41"); err == nil {
				t.Error("the status check is gone")
			}
			// On SQLite the rebuilt table goes on numbering after the kept
			// rows (PostgreSQL's identity was not touched).
			if kind == booktest.SQLite {
				if _, err := db.ExecContext(ctx, `INSERT INTO outbox (location_id, kind, phone, payload, status, due_at, next_attempt_at, created_at, updated_at)
					VALUES (?, 'booked', '+36201234567', '{}', 'pending', ?, ?, ?, ?)`, loc.ID, now, now, now, now); err != nil {
					t.Fatal(err)
				}
				var ids []int64
				if err := db.NewSelect().Table("outbox").Column("id").Order("id").Scan(ctx, &ids); err != nil || len(ids) != 2 || ids[1] != 42 {
					t.Errorf("ids %v %v", ids, err)
				}
			}
		})
	}
}
