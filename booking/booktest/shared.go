package booktest

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/migrations"
)

// OpenTwo returns two connection pools on one fresh, migrated database, as
// two server processes would have: what one writes, the other must see.
func OpenTwo(tb testing.TB, kind string) (*bun.DB, *bun.DB) {
	tb.Helper()
	dsn := URL(tb, kind)
	open := func() *bun.DB {
		db, err := booking.OpenDB(dsn, booking.DBOptions{MaxOpenConns: 20})
		if err != nil {
			tb.Fatalf("open %s: %v", kind, err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	}
	a := open()
	if _, err := migrations.Up(context.Background(), a); err != nil {
		tb.Fatalf("migrate %s: %v", kind, err)
	}
	return a, open()
}
