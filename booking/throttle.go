package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Sign-in throttling: after this many failures within the window, further
// attempts for the same account, or from the same address, are refused
// until the window has passed. The per-address limit is higher because
// several staff may share one office connection.
const (
	LoginWindow         = 15 * time.Minute
	LoginFailsPerEmail  = 5
	LoginFailsPerIP     = 20
	loginFailureKeepFor = 24 * time.Hour
)

type loginFailure struct {
	bun.BaseModel `bun:"table:login_failures"`

	ID  int64     `bun:"id,pk,autoincrement"`
	Key string    `bun:"key"`
	At  time.Time `bun:"at"`
}

func emailKey(email string) string { return "email:" + normalizeEmail(email) }
func ipKey(ip string) string       { return "ip:" + ip }

// LoginThrottled tells whether sign-in is paused for this email or address.
func (s *Store) LoginThrottled(ctx context.Context, email, ip string) (bool, error) {
	since := s.now().Add(-LoginWindow)
	for _, k := range []struct {
		key   string
		limit int
	}{{emailKey(email), LoginFailsPerEmail}, {ipKey(ip), LoginFailsPerIP}} {
		n, err := s.db.NewSelect().Model((*loginFailure)(nil)).Where("key = ? AND at > ?", k.key, since).Count(ctx)
		if err != nil {
			return false, fmt.Errorf("count sign-in failures: %w", err)
		}
		if int(n) >= k.limit {
			return true, nil
		}
	}
	return false, nil
}

// RecordLoginFailure counts a failed sign-in against the email and address,
// and drops failures too old to matter.
func (s *Store) RecordLoginFailure(ctx context.Context, email, ip string) error {
	now := s.now()
	rows := []loginFailure{{Key: emailKey(email), At: now}, {Key: ipKey(ip), At: now}}
	if _, err := s.db.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("record sign-in failure: %w", err)
	}
	if _, err := s.db.NewDelete().Model((*loginFailure)(nil)).Where("at < ?", now.Add(-loginFailureKeepFor)).Exec(ctx); err != nil {
		return fmt.Errorf("prune sign-in failures: %w", err)
	}
	return nil
}

// ClearLoginFailures forgets an account's failures after it signed in.
func (s *Store) ClearLoginFailures(ctx context.Context, email string) error {
	if _, err := s.db.NewDelete().Model((*loginFailure)(nil)).Where("key = ?", emailKey(email)).Exec(ctx); err != nil {
		return fmt.Errorf("clear sign-in failures: %w", err)
	}
	return nil
}
