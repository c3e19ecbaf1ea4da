package booking_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// Optimize gives SQLite's planner statistics on the events table (none
// exist until something runs ANALYZE), and is a no-op on PostgreSQL, whose
// autovacuum keeps its own.
func TestOptimizeGathersStatistics(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		ctx := context.Background()
		f.YogaEvents(t, 300, 10)
		if err := f.Store.Optimize(ctx); err != nil {
			t.Fatal(err)
		}
		if db.Dialect().Name().String() == "pg" {
			return
		}
		var n int
		if err := db.NewRaw("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'events'").Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Error("no statistics on events after Optimize")
		}
		// Again, with nothing changed: it must not fail (nor block writers).
		if err := f.Store.Optimize(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
