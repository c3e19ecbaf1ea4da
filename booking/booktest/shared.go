package booktest

import (
	"context"
	"sync"
	"testing"
	"time"

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

// Listen runs st's change listener for the rest of the test (PostgreSQL;
// on SQLite the store is cacheable without one) and waits until it is
// connected. The returned function stops it.
func Listen(t testing.TB, st *booking.Store) func() {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); st.Listen(ctx, nil) }()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(stop)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, ok := st.Generation(); ok {
			return stop
		}
		if time.Now().After(deadline) {
			t.Fatal("change listener never connected")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
