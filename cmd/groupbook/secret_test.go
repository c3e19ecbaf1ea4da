package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// startupSecret does what serve does before it listens: open and migrate
// the database, then resolve the secret.
func startupSecret(t *testing.T, dsn, configured string) string {
	t.Helper()
	ctx := context.Background()
	db, _, err := openDatabase(ctx, Config{DatabaseURL: dsn, DBMaxConns: 4})
	must(t, err)
	defer db.Close()
	secret, err := resolveSecret(ctx, booking.NewStore(db), configured, slog.New(slog.DiscardHandler))
	must(t, err)
	return secret
}

func TestSecretGeneratedOnceAndKept(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			dsn := booktest.URL(t, kind)
			first := startupSecret(t, dsn, "")
			if len(first) < MinSecretLen {
				t.Fatalf("generated secret has %d characters, want at least %d", len(first), MinSecretLen)
			}
			if second := startupSecret(t, dsn, ""); second != first {
				t.Errorf("second start read secret %q, want the stored %q", second, first)
			}

			// A configured secret wins and does not replace the stored one.
			configured := strings.Repeat("c", 40)
			if got := startupSecret(t, dsn, configured); got != configured {
				t.Errorf("with %s set got %q", EnvSecret, got)
			}
			if again := startupSecret(t, dsn, ""); again != first {
				t.Errorf("after a start with %s the stored secret changed to %q", EnvSecret, again)
			}
		})
	}
}
