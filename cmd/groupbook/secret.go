package main

import (
	"context"
	"fmt"
	"log/slog"

	"groupbook/booking"
)

// resolveSecret returns the configured secret or, when none is configured,
// the one stored in the database, generating it on the very first start.
// Keeping it in the database means every server process on one PostgreSQL
// signs with the same key and a restart does not break links in flight.
func resolveSecret(ctx context.Context, store *booking.Store, configured string, log *slog.Logger) (string, error) {
	if configured != "" {
		log.Info("signing secret from " + EnvSecret)
		return configured, nil
	}
	secret, err := store.SettingOrCreate(ctx, booking.SecretKey, booking.RandomSecret)
	if err != nil {
		return "", fmt.Errorf("signing secret: %w", err)
	}
	log.Info("signing secret from the database (set " + EnvSecret + " to choose one)")
	return secret, nil
}
