package booking

import (
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	// Drivers: pgx for PostgreSQL, pure-Go modernc for SQLite (no cgo).
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// DBOptions tune the connection pool.
type DBOptions struct {
	// MaxOpenConns bounds the PostgreSQL pool; without a bound a burst of
	// requests exhausts the server's max_connections.
	MaxOpenConns int
}

// sqlitePragmas are the settings that gave zero SQLITE_BUSY with hundreds of
// concurrent writers: WAL so readers never block, a busy timeout instead of
// an immediate error, foreign keys on, and BEGIN IMMEDIATE so a transaction
// takes the write lock up front rather than failing on upgrade.
//
// synchronous=FULL: a booking acknowledged to a client must survive a power
// loss. In WAL mode NORMAL syncs the log only at checkpoints, so the last
// commits before the machine dies can vanish (the database stays
// consistent, but a client holds a confirmation for a booking that is
// gone). FULL syncs the log at every commit; it costs one disk flush per
// booking (README, "SQLite durability"), which one studio never notices.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(30000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"

// sqliteMaxConns bounds the SQLite pool: enough for concurrent readers (WAL
// lets them run beside the writer), few enough that writers queue in Go.
const sqliteMaxConns = 8

// IsPostgresURL tells whether a database URL names PostgreSQL rather than an
// SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// OpenDB opens PostgreSQL for a postgres:// URL and SQLite for anything else
// (a file path, or a file: URL).
func OpenDB(dsn string, opts DBOptions) (*bun.DB, error) {
	if IsPostgresURL(dsn) {
		sqldb, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		max := opts.MaxOpenConns
		if max <= 0 {
			max = 20
		}
		sqldb.SetMaxOpenConns(max)
		sqldb.SetMaxIdleConns(max)
		return bun.NewDB(sqldb, pgdialect.New()), nil
	}
	if strings.Contains(dsn, ":memory:") {
		// Each pooled connection would get its own empty database.
		return nil, fmt.Errorf("open sqlite: in-memory databases are not supported, use a file")
	}
	sqldb, err := sql.Open("sqlite", sqliteDSN(dsn))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// SQLite runs one writer at a time whatever the pool size. A small pool
	// makes a burst of requests wait in Go's connection queue, in order,
	// instead of all polling SQLite's busy handler, which under heavy load
	// can time out with SQLITE_BUSY.
	sqldb.SetMaxOpenConns(sqliteMaxConns)
	sqldb.SetMaxIdleConns(sqliteMaxConns)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

func sqliteDSN(path string) string {
	path = strings.TrimPrefix(path, "sqlite://")
	if !strings.HasPrefix(path, "file:") {
		path = "file:" + (&url.URL{Path: path}).EscapedPath()
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + sqlitePragmas
}
