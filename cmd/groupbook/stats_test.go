package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// A server gathers SQLite statistics as it starts, runs again on its
// ticker, and stops cleanly with its context.
func TestKeepStatsCurrent(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	f := booktest.Seed(t, db)
	f.YogaEvents(t, 50, 10)
	stop := keepStatsCurrent(context.Background(), booking.NewStore(db), slog.New(slog.DiscardHandler), 10*time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	var n int
	for n == 0 && time.Now().Before(deadline) {
		if err := db.NewRaw("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'events'").Scan(context.Background(), &n); err != nil {
			// sqlite_stat1 does not exist until the first ANALYZE.
			n = 0
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n == 0 {
		t.Error("no statistics on events after start")
	}
	// More events, then a few ticks: it keeps running without trouble.
	f.YogaEvents(t, 10, 10)
	time.Sleep(50 * time.Millisecond)
	stop()
}
