package booking_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// Issue 8, item 12: a booking acknowledged to a client must survive a power
// loss. SQLite in WAL mode with synchronous=NORMAL syncs the log only at
// checkpoints, so the last commits before a crash of the machine can
// vanish; FULL syncs it at every commit. The pragma is per connection, so
// every connection of the pool must have it (all are held at once here so
// the pool cannot hand out the same one twice). PostgreSQL's equivalent,
// synchronous_commit, must be left on.
func TestDatabaseDurability(t *testing.T) {
	t.Run(booktest.SQLite, func(t *testing.T) {
		db, err := booking.OpenDB(booktest.URL(t, booktest.SQLite), booking.DBOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		conns := make([]bun.Conn, booking.SQLiteMaxConns)
		for i := range conns {
			if conns[i], err = db.Conn(ctx); err != nil {
				t.Fatal(err)
			}
			defer conns[i].Close()
		}
		for i, c := range conns {
			var sync int
			var journal string
			if err := c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
				t.Fatal(err)
			}
			if sync != 2 || journal != "wal" { // 2 is FULL
				t.Errorf("connection %d: synchronous=%d journal_mode=%s, want 2 (FULL) and wal", i, sync, journal)
			}
		}
	})
	t.Run(booktest.Postgres, func(t *testing.T) {
		db := booktest.Open(t, booktest.Postgres)
		var v string
		if err := db.QueryRowContext(context.Background(), "SHOW synchronous_commit").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != "on" && v != "remote_apply" && v != "remote_write" {
			t.Errorf("synchronous_commit = %s: a commit may be acknowledged before it is on disk", v)
		}
	})
}
