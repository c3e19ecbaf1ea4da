package booking

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Unavailable reports whether err means the database could not be reached
// or did not answer in time, rather than that the request was wrong or the
// code is: the database is down, refusing or resetting connections, out of
// connections, locked by someone else, or slower than the request's
// deadline. Such a request may well succeed a moment later, so the edge
// answers "try again in a moment" (503) instead of a server error.
//
// For a write, Unavailable does not say whether the write happened: a
// connection lost after COMMIT was sent may have committed. Callers that
// need to know look again (see GroupByKey).
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	// The request's deadline passed, or its client went away; either way
	// the database did not answer in time.
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return unavailableState(pgErr.Code)
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) || pgconn.Timeout(err) {
		return true
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() & 0xff { // the primary code; extended codes add bits above
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_INTERRUPT:
			return true
		}
		return false
	}
	// The connection broke under a query: refused, reset, closed halfway
	// through a message.
	var netErr net.Error
	return errors.As(err, &netErr) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// unavailableState tells which PostgreSQL errors are about the server's
// state rather than the statement: a retry later may succeed.
func unavailableState(code string) bool {
	switch {
	case strings.HasPrefix(code, "08"): // connection exception
		return true
	case strings.HasPrefix(code, "53"): // insufficient resources: too many connections, out of memory or disk
		return true
	}
	switch code {
	case "57014", // query_canceled: statement_timeout, or a cancel request on the deadline
		"57P01", "57P02", "57P03", // admin or crash shutdown, cannot connect now (starting up)
		"55P03",          // lock_not_available: lock_timeout
		"25P03",          // idle_in_transaction_session_timeout
		"40001", "40P01": // serialization failure, deadlock: retrying is the cure
		return true
	}
	return false
}
