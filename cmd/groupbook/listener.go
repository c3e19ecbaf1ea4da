package main

import (
	"context"
	"log/slog"
	"sync"

	"groupbook/booking"
)

// startChangeListener runs the store's change listener (a no-op on SQLite)
// and returns the function that stops it and waits for it to end.
func startChangeListener(store *booking.Store, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		store.Listen(ctx, log)
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
}
