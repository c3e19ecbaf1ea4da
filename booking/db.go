package booking

import (
	"database/sql"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

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
	// StatementTimeout bounds one statement, a wait for a lock included,
	// and a connection attempt (0: DefaultStatementTimeout; NoTimeout for
	// migrations, which may rightly take minutes). On
	// PostgreSQL it becomes statement_timeout and connect_timeout; on
	// SQLite the busy timeout, which is how long a writer waits for
	// another's write lock. The request's context bounds every query as
	// well, but not everywhere: SQLite's busy wait ignores the context,
	// and work outside a request (the SMS worker) has none so short.
	StatementTimeout time.Duration
}

// DefaultStatementTimeout is half the default request deadline: a request
// whose statement hangs still has the time to answer "try again".
const DefaultStatementTimeout = 5 * time.Second

// NoTimeout as DBOptions.StatementTimeout leaves statements unbounded, with
// SQLite's busy timeout at sqlitePragmas' value.
const NoTimeout time.Duration = -1

// migrationConnectTimeout bounds connecting when statements are unbounded.
const migrationConnectTimeout = 10 * time.Second

// idleInTxTimeout ends a PostgreSQL session that sits in an open
// transaction this long. None of ours waits on anything but the database
// inside a transaction, so such a session belongs to a process that froze
// or lost its network while holding row locks that bookings wait for.
const idleInTxTimeout = 30 * time.Second

func (o DBOptions) statementTimeout() time.Duration {
	if o.StatementTimeout == 0 {
		return DefaultStatementTimeout
	}
	return o.StatementTimeout
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
		dsn, err := postgresDSN(dsn, opts.statementTimeout())
		if err != nil {
			return nil, err
		}
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
	sqldb, err := sql.Open("sqlite", sqliteDSN(dsn, opts.statementTimeout()))
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

func sqliteDSN(path string, busy time.Duration) string {
	path = strings.TrimPrefix(path, "sqlite://")
	if !strings.HasPrefix(path, "file:") {
		path = "file:" + (&url.URL{Path: path}).EscapedPath()
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	// SQLite's busy wait does not look at the context: a write waiting for
	// a lock someone else holds waits the whole busy timeout, so it must
	// end before the request's deadline.
	pragmas := sqlitePragmas
	if busy > 0 {
		pragmas = busyTimeoutRe.ReplaceAllString(pragmas, "busy_timeout("+strconv.FormatInt(busy.Milliseconds(), 10)+")")
	}
	return path + sep + pragmas
}

var busyTimeoutRe = regexp.MustCompile(`busy_timeout\(\d+\)`)

// pgExecMode is how pgx sends a statement (its default_query_exec_mode).
// bun writes every value into the SQL text and sends no parameters, so
// nearly every statement is new: pgx's default, cache_statement, would
// prepare each one (an extra round trip for every SELECT) and keep the
// last 512 of every pooled connection, megabytes of texts and plans never
// used again (BenchmarkReserveParallelSMS: 57 MB of heap after 10,000
// bookings, 5.5 MB with exec). exec sends each statement as an unnamed
// one in a single round trip, with the extended protocol's rule of one
// statement per query. The values bun inlines are escaped by bun (with
// standard_conforming_strings on; TestInlinedValuesRoundTrip).
const pgExecMode = "exec"

// postgresDSN adds the timeouts and the exec mode to a postgres:// URL. A parameter the URL
// already sets is kept: whoever wrote it there knows their server.
// statement_timeout and idle_in_transaction_session_timeout travel as
// run-time parameters in the start-up message (pgx sends every parameter
// it does not know itself), so they cost no round trip.
func postgresDSN(dsn string, statement time.Duration) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		// url.Error repeats the URL, password included.
		return "", fmt.Errorf("open postgres: the database URL does not parse")
	}
	q := u.Query()
	set := func(k, v string) {
		if !q.Has(k) {
			q.Set(k, v)
		}
	}
	connect := statement
	if statement < 0 {
		connect = migrationConnectTimeout
	} else {
		set("statement_timeout", strconv.FormatInt(statement.Milliseconds(), 10))
	}
	// connect_timeout is whole seconds.
	set("connect_timeout", strconv.Itoa(int(math.Ceil(connect.Seconds()))))
	set("idle_in_transaction_session_timeout", strconv.FormatInt(idleInTxTimeout.Milliseconds(), 10))
	set("default_query_exec_mode", pgExecMode)
	// bun escapes the values it writes into the SQL text by doubling
	// quotes, which is safe only while backslashes are plain characters;
	// a server configured otherwise must not change that.
	q.Set("standard_conforming_strings", "on")
	u.RawQuery = q.Encode()
	return u.String(), nil
}
