package booking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Session lifetimes: a session ends after SessionIdle without use, and in
// any case SessionMax after sign-in.
const (
	SessionIdle = 7 * 24 * time.Hour
	SessionMax  = 30 * 24 * time.Hour
)

// Session is a signed-in staff member's session. Its ID is the SHA-256 of
// the cookie's token, so the table alone cannot be used to sign in.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	ID         string    `bun:"id,pk"`
	UserID     int64     `bun:"user_id"`
	CreatedAt  time.Time `bun:"created_at"`
	LastSeenAt time.Time `bun:"last_seen_at"`
	ExpiresAt  time.Time `bun:"expires_at"`
}

func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession signs a user in and returns the token for the cookie.
func (s *Store) CreateSession(ctx context.Context, userID int64) (string, *Session, error) {
	token := newToken() + newToken()
	now := s.now()
	sess := &Session{ID: sessionID(token), UserID: userID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionMax)}
	defer s.quietTurn(ctx)()
	if _, err := s.db.NewInsert().Model(sess).Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return token, sess, nil
}

// SessionUser returns the live session of a cookie token and its user;
// ErrNotFound when it is unknown, ended or idle too long. Use extends the
// idle window, at most once a minute to spare the database.
func (s *Store) SessionUser(ctx context.Context, token string) (*Session, *User, error) {
	if token == "" {
		return nil, nil, fmt.Errorf("session: %w", ErrNotFound)
	}
	sess := new(Session)
	now := s.now()
	err := s.db.NewSelect().Model(sess).
		Where("id = ? AND expires_at > ? AND last_seen_at > ?", sessionID(token), now, now.Add(-SessionIdle)).
		Scan(ctx)
	if err != nil {
		return nil, nil, notFound(err, "session", "(hidden)")
	}
	u := new(User)
	// An inactive user's session stops working on its next request, even
	// if ending it at deactivation raced with a sign-in.
	if err := s.db.NewSelect().Model(u).Where("id = ? AND active", sess.UserID).Scan(ctx); err != nil {
		return nil, nil, notFound(err, "session user", sess.UserID)
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		sess.LastSeenAt = now
		defer s.quietTurn(ctx)()
		if _, err := s.db.NewUpdate().Model(sess).WherePK().Column("last_seen_at").Exec(ctx); err != nil {
			return nil, nil, fmt.Errorf("touch session: %w", err)
		}
	}
	return sess, u, nil
}

// EndSession signs out: the token stops working at once, on every process.
func (s *Store) EndSession(ctx context.Context, token string) error {
	defer s.quietTurn(ctx)()
	if _, err := s.db.NewDelete().Model((*Session)(nil)).Where("id = ?", sessionID(token)).Exec(ctx); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// EndUserSessions signs a user out everywhere (after a password change or
// when an owner removes access).
func (s *Store) EndUserSessions(ctx context.Context, userID int64) error {
	defer s.quietTurn(ctx)()
	if _, err := s.db.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return nil
}
