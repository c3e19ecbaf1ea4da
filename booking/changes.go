package booking

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// ChangesChannel is the PostgreSQL notification channel that migration
// 0006's triggers signal on whenever a table a widget page shows changes.
const ChangesChannel = "groupbook_changes"

// changes is the data version the widget's caches are keyed by: a counter
// bumped after every write this process makes (writeTurn) and, on
// PostgreSQL, on every change notification from any process (Listen).
//
// On SQLite the counter sees only this process's writes, so caching
// assumes one process per database file (the embedded default); several
// processes share a PostgreSQL instead.
type changes struct {
	gen atomic.Uint64
	// cat is the version of what widget.Flow.Open loads (links, locations,
	// services, team members, settings): bumped by every write except the
	// booking paths', so a stream of bookings does not make every widget
	// request load the link and its catalog again.
	cat atomic.Uint64
	// live is true while caching may trust gen: always on SQLite, and on
	// PostgreSQL only while the listener is connected (a change another
	// process makes is otherwise never seen).
	live atomic.Bool
}

// Generation returns the data version and whether a cache may use it. A
// reader takes it BEFORE loading, and tags what it loaded with it: a write
// during the load then makes the entry stale at once.
func (s *Store) Generation() (gen uint64, cacheable bool) {
	return s.changes.gen.Load(), s.changes.live.Load()
}

// CatalogGeneration is Generation for the link and catalog cache: it moves
// with every change except bookings (seat counts), which Generation also
// counts.
func (s *Store) CatalogGeneration() (gen uint64, cacheable bool) {
	return s.changes.cat.Load(), s.changes.live.Load()
}

// Changed bumps the data version: every cached page and catalog is stale.
// Writes made through the store bump it themselves; this is for anything
// else (tests, a change made behind the store's back).
func (s *Store) Changed() { s.bump(bumpAll) }

// bumpKind is what a write's end makes stale.
type bumpKind int

const (
	bumpNone  bumpKind = iota // nothing a widget shows (quietTurn)
	bumpSeats                 // events' seats and bookings: pages, not the catalog
	bumpAll                   // anything: pages and the catalog
)

func (s *Store) bump(k bumpKind) {
	switch k {
	case bumpAll:
		s.changes.cat.Add(1)
		s.changes.gen.Add(1)
	case bumpSeats:
		s.changes.gen.Add(1)
	}
}

// quietTurn is writeTurn for writes no widget page shows (staff sessions,
// sign-in throttling, rate counters, SMS codes and the outbox worker's
// claims): they leave the data version alone, so the worker's polling does
// not empty the caches.
func (s *Store) quietTurn(ctx context.Context) func() {
	return s.turn(ctx, bumpNone)
}

// Listen keeps a PostgreSQL connection listening on ChangesChannel until
// ctx ends, bumping the data version on each notification and reconnecting
// with backoff when the connection is lost. While it is not connected the
// store reports itself not cacheable, and each (re)connection bumps the
// version, since notifications may have been missed meanwhile. On SQLite
// it returns at once. The listener holds one connection of the pool.
func (s *Store) Listen(ctx context.Context, log *slog.Logger) {
	if !s.isPG() {
		return
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if n := s.db.DB.Stats().MaxOpenConnections; n == 1 {
		// Holding the pool's only connection would stall every request.
		log.Warn("one database connection only: widget caching stays off (no change listener)")
		return
	}
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		start := time.Now()
		err := s.listenOnce(ctx)
		s.changes.live.Store(false)
		if ctx.Err() != nil {
			return
		}
		log.Warn("change listener lost its connection; widget caching is off until it is back", "err", err)
		if time.Since(start) > 10*time.Second {
			backoff = 100 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// listenOnce holds one connection listening until it fails or ctx ends.
func (s *Store) listenOnce(ctx context.Context) error {
	conn, err := s.db.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("listen: connect: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("listen: driver connection is %T, not pgx", dc)
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+ChangesChannel); err != nil {
			return fmt.Errorf("listen: %w", errors.Join(err, driver.ErrBadConn))
		}
		// Missed notifications while away: everything cached is suspect.
		s.Changed()
		s.changes.live.Store(true)
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				s.changes.live.Store(false)
				// The connection is mid-wait or broken: never reuse it.
				return fmt.Errorf("listen: wait: %w", errors.Join(err, driver.ErrBadConn))
			}
			s.bump(notifiedBump(n.Payload))
		}
	})
}

// notifiedBump is what another process's change makes stale: the payload
// is the table (migration 0006). Events hold the seat counts; nothing of
// them is in the catalog, so a booking elsewhere leaves it cached.
func notifiedBump(table string) bumpKind {
	if table == "events" {
		return bumpSeats
	}
	return bumpAll
}
