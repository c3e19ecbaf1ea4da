package booking

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Store is the booking core over one database. It holds no state between
// calls, so any number of server processes can share one PostgreSQL.
type Store struct {
	db *bun.DB
	// Now is the clock; tests move it to check cutoffs and buffers.
	Now func() time.Time
	// takeSeats is the one place seats are taken: n in each event, those
	// without n free seats coming back as full; tests swap it for a
	// read-then-write version to prove the concurrency test catches races.
	takeSeats func(ctx context.Context, tx bun.Tx, eventIDs []int64, n int) (full []int64, err error)
	// noRowLocks is set only by the concurrency test's control.
	noRowLocks bool
	// noPassLock is set only by the pass race test's control: passes are
	// then read and spent without their row lock (lockPass).
	noPassLock bool
	// PasswordCost is the bcrypt cost of new passwords (0: bcrypt's
	// default). Only tests lower it, where hashing at full cost under the
	// race detector would take most of the run.
	PasswordCost int
	// SMSLimits bound the SMS widget clients cause (nil: DefaultSMSLimits).
	SMSLimits *SMSLimits
	// writers queues this process's SQLite transactions (nil on
	// PostgreSQL); see inTx.
	writers chan struct{}
	// changes is the data version widget caches are keyed by (changes.go).
	changes changes
}

// NewStore returns a store on db, which must be migrated.
func NewStore(db *bun.DB) *Store {
	s := &Store{db: db, Now: time.Now}
	s.takeSeats = takeSeatsConditional
	if db != nil && !s.isPG() {
		s.writers = make(chan struct{}, 1)
		// One process per SQLite file: its own writes are all there are.
		s.changes.live.Store(true)
	}
	return s
}

// DB exposes the database for health checks and wiring.
func (s *Store) DB() *bun.DB { return s.db }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.PingContext(ctx)
}

func (s *Store) now() time.Time { return s.Now().UTC() }

func (s *Store) isPG() bool { return s.db.Dialect().Name() == dialect.PG }

// inTx runs fn in one transaction.
//
// On SQLite every transaction is BEGIN IMMEDIATE (see sqlitePragmas): the
// database runs one writer at a time, and the others poll its busy handler,
// which is neither fair nor aware of the context. Under a burst a writer
// can lose every poll until its busy timeout ends in SQLITE_BUSY. So the
// process's writes queue here first (writeTurn), in arrival order, each
// waiting no longer than its context allows; SQLite's own lock is then
// contended only by other processes on the same file. It costs no
// throughput, since SQLite would serialise them anyway.
func (s *Store) inTx(ctx context.Context, fn func(tx bun.Tx) error) error {
	return s.inTxTurn(ctx, bumpAll, fn)
}

// inQuietTx is inTx for writes no widget page shows (see quietTurn).
func (s *Store) inQuietTx(ctx context.Context, fn func(tx bun.Tx) error) error {
	return s.inTxTurn(ctx, bumpNone, fn)
}

// inSeatsTx is inTx for the booking paths (reserve, cancel, move, change
// seats), which write events' seat counts, bookings, clients and the
// outbox but never what widget.Flow.Open loads (links, the location, its
// services and team members): see bumpSeats.
func (s *Store) inSeatsTx(ctx context.Context, fn func(tx bun.Tx) error) error {
	return s.inTxTurn(ctx, bumpSeats, fn)
}

func (s *Store) inTxTurn(ctx context.Context, bump bumpKind, fn func(tx bun.Tx) error) error {
	defer s.turn(ctx, bump)()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(tx)
	})
}

// writeTurn waits for this process's turn to write to SQLite and returns
// the function that ends it; every write outside inTx takes a turn too
// (`defer s.writeTurn(ctx)()`), or a stream of back-to-back transactions
// would leave single statements polling the busy handler until they fail.
// On PostgreSQL, or once ctx is done (the statement then fails on its
// own), it returns at once. Turns do not nest: a function holding one
// must not call another that takes one.
//
// Ending a turn bumps the data version (changes.go) on both databases:
// the write has committed by then, so a page cached before it is stale.
func (s *Store) writeTurn(ctx context.Context) func() {
	return s.turn(ctx, bumpAll)
}

func (s *Store) turn(ctx context.Context, bump bumpKind) func() {
	done := func() { s.bump(bump) }
	if s.writers == nil {
		return done
	}
	select {
	case s.writers <- struct{}{}:
		return func() { <-s.writers; done() }
	case <-ctx.Done():
		return done
	}
}

// lockEvents takes row locks on events in ascending id order, the one lock
// order every write path uses, so two writers can never deadlock on them.
// SQLite needs no row locks: its writers already run one at a time.
func (s *Store) lockEvents(ctx context.Context, tx bun.Tx, ids ...int64) error {
	if !s.isPG() || len(ids) == 0 || s.noRowLocks {
		return nil
	}
	var got []int64
	err := tx.NewSelect().Model((*Event)(nil)).Column("id").
		Where("id IN (?)", bun.List(ids)).Order("id").For("UPDATE").
		Scan(ctx, &got)
	if err != nil {
		return fmt.Errorf("lock events: %w", err)
	}
	return nil
}

// takeSeatsConditional takes n seats in each event that has them free, in
// a single statement, so concurrent bookings can never oversell; the
// events without them come back as full (and get none).
func takeSeatsConditional(ctx context.Context, tx bun.Tx, eventIDs []int64, n int) ([]int64, error) {
	var took []int64
	err := tx.NewUpdate().Model((*Event)(nil)).
		Set("seats_taken = seats_taken + ?", n).
		Where("id IN (?)", bun.List(eventIDs)).
		Where("deleted_at IS NULL").
		Where("seats_taken + ? <= capacity", n).
		Returning("id").
		Scan(ctx, &took)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("take seats in events %v: %w", eventIDs, err)
	}
	var full []int64
	for _, id := range eventIDs {
		if !slices.Contains(took, id) {
			full = append(full, id)
		}
	}
	return full, nil
}

// takeSeatsIn takes n seats in one event, or returns ErrFull.
func (s *Store) takeSeatsIn(ctx context.Context, tx bun.Tx, eventID int64, n int) error {
	full, err := s.takeSeats(ctx, tx, []int64{eventID}, n)
	if err != nil {
		return err
	}
	if len(full) > 0 {
		return ErrFull
	}
	return nil
}

// releaseSeats gives n seats back.
func releaseSeats(ctx context.Context, tx bun.Tx, eventID int64, n int) error {
	_, err := tx.NewUpdate().Model((*Event)(nil)).
		Set("seats_taken = seats_taken - ?", n).
		Where("id = ?", eventID).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("release seats in event %d: %w", eventID, err)
	}
	return nil
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// newToken returns an unguessable URL-safe token of 128 random bits.
func newToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand never fails on supported platforms; if it did, a
		// predictable token would be worse than stopping.
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// notFound turns sql.ErrNoRows into ErrNotFound with context.
func notFound(err error, what string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %v: %w", what, id, ErrNotFound)
	}
	return fmt.Errorf("%s %v: %w", what, id, err)
}
