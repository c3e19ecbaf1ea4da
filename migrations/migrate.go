// Package migrations holds the SQL schema for both dialects and applies it
// with bun's migrator.
package migrations

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/migrate"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// advisoryLockID serialises migrations when several server processes start
// against one PostgreSQL at the same moment.
const advisoryLockID = 7342001

// Up applies every migration not yet applied and returns their names.
func Up(ctx context.Context, db *bun.DB) ([]string, error) {
	dir := "sqlite"
	if db.Dialect().Name() == dialect.PG {
		dir = "postgres"
	}
	// Discovering the root would merge same-numbered files of both dialects.
	sub, err := fs.Sub(files, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: open %s: %w", dir, err)
	}
	ms := migrate.NewMigrations()
	if err := ms.Discover(sub); err != nil {
		return nil, fmt.Errorf("migrations: discover %s: %w", dir, err)
	}
	if dir == "sqlite" {
		ms.Add(sqliteWidenChecks())
	}

	if db.Dialect().Name() == dialect.PG {
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrations: connection for lock: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", advisoryLockID); err != nil {
			return nil, fmt.Errorf("migrations: advisory lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", advisoryLockID) //nolint:errcheck // the lock also ends with the session
	}

	// Without this option a migration that fails stays marked as applied.
	m := migrate.NewMigrator(db, ms, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrations: init: %w", err)
	}
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: migrate: %w", err)
	}
	var names []string
	for _, mg := range group.Migrations {
		names = append(names, mg.Name)
	}
	return names, nil
}
