package main

import (
	"context"
	"log/slog"
	"time"

	"groupbook/booking"
)

// statsEvery is how often a server refreshes SQLite's planner statistics.
// An hour is the SQLite documentation's advice for long-lived connections;
// a run that finds nothing changed costs next to nothing.
const statsEvery = time.Hour

// keepStatsCurrent runs the store's Optimize once now (right after the
// migrations, which may have added indexes with no statistics) and then
// every interval until ctx ends. The returned function stops it and waits.
// A failure is logged, not fatal: stale statistics make queries slower,
// never wrong.
func keepStatsCurrent(ctx context.Context, store *booking.Store, log *slog.Logger, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	run := func() {
		if err := store.Optimize(ctx); err != nil && ctx.Err() == nil {
			log.Warn("refreshing database statistics", "err", err)
		}
	}
	go func() {
		defer close(done)
		run()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				run()
			}
		}
	}()
	return func() { cancel(); <-done }
}
