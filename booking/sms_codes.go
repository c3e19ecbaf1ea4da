package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// RateRule is one limit on an action: at most Limit events counted under
// Key within the last Window. Name says which rule refused.
type RateRule struct {
	Name   string
	Key    string
	Limit  int
	Window time.Duration
}

// ErrRateLimited: a RateRule refused (see *RateLimitedError).
var ErrRateLimited = errors.New("rate limit reached")

// RateLimitedError names the rule that refused.
type RateLimitedError struct{ Rule RateRule }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("%s: %d within %v", e.Rule.Name, e.Rule.Limit, e.Rule.Window)
}
func (e *RateLimitedError) Unwrap() error { return ErrRateLimited }

// CodeBreaker is the install-wide circuit breaker of confirmation codes:
// when more than Sends codes went out within Window, across every
// location, sending pauses everywhere for Pause. Per-client, per-link and
// per-location caps stop one attacker; the breaker stops many (a botnet
// spreading over links and locations) before the bill does.
type CodeBreaker struct {
	Sends  int
	Window time.Duration
	Pause  time.Duration
}

// ErrCodesPaused: the breaker is open (see *CodePause).
var ErrCodesPaused = errors.New("confirmation codes are paused")

// CodePause describes an open breaker. Tripped is true for the one call
// that opened it, which is the moment to alert.
type CodePause struct {
	Since, Until time.Time
	Sends        int
	Window       time.Duration
	Tripped      bool
}

func (p *CodePause) Error() string {
	return fmt.Sprintf("confirmation codes paused from %s until %s: %d sent within %v",
		p.Since.Format(time.RFC3339), p.Until.Format(time.RFC3339), p.Sends, p.Window)
}
func (p *CodePause) Unwrap() error { return ErrCodesPaused }

// Active tells whether the pause is in force (a zero CodePause is not).
func (p CodePause) Active() bool { return !p.Until.IsZero() }

type smsBreaker struct {
	bun.BaseModel `bun:"table:sms_breaker"`

	Name          string     `bun:"name,pk"`
	PausedSince   *time.Time `bun:"paused_since"`
	PausedUntil   *time.Time `bun:"paused_until"`
	Sends         int        `bun:"sends"`
	WindowSeconds int        `bun:"window_seconds"`
}

const codesBreaker = "codes"

// codeSendAllKey counts every code the install sends, for the breaker.
const codeSendAllKey = "code-send:all"

func (b *smsBreaker) pause(now time.Time) CodePause {
	if b.PausedUntil == nil || !now.Before(*b.PausedUntil) {
		return CodePause{}
	}
	p := CodePause{Until: b.PausedUntil.UTC(), Sends: b.Sends, Window: time.Duration(b.WindowSeconds) * time.Second}
	if b.PausedSince != nil {
		p.Since = b.PausedSince.UTC()
	}
	return p
}

// TakeCodeSend counts one confirmation code under every rule and the
// breaker, or counts nothing and says why not: a *CodePause while the
// breaker is open (or when this send opens it), a *RateLimitedError for
// the first rule at its limit. Only sends allowed are counted, so a client
// hammering a refusal does not extend it.
//
// Every code send of the install locks the breaker's row for the few
// statements this takes, so the checks and the counts are one atomic step
// across processes: concurrent requests cannot all see room for one more.
// Codes are sent rarely enough (each costs money) for that to be cheap.
func (s *Store) TakeCodeSend(ctx context.Context, rules []RateRule, br CodeBreaker) error {
	var refused error
	err := s.inQuietTx(ctx, func(tx bun.Tx) error {
		now := s.now()
		b := &smsBreaker{Name: codesBreaker}
		q := tx.NewSelect().Model(b).WherePK()
		if s.isPG() {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("code breaker: %w", err)
		}
		if p := b.pause(now); p.Active() {
			refused = &p
			return nil
		}
		for _, r := range rules {
			n, err := countEvents(ctx, tx, r.Key, now.Add(-r.Window))
			if err != nil {
				return err
			}
			if n >= r.Limit {
				refused = &RateLimitedError{Rule: r}
				return nil
			}
		}
		n, err := countEvents(ctx, tx, codeSendAllKey, now.Add(-br.Window))
		if err != nil {
			return err
		}
		if n >= br.Sends {
			until := now.Add(br.Pause)
			b.PausedSince, b.PausedUntil, b.Sends, b.WindowSeconds = &now, &until, n, int(br.Window/time.Second)
			if _, err := tx.NewUpdate().Model(b).WherePK().Column("paused_since", "paused_until", "sends", "window_seconds").Exec(ctx); err != nil {
				return fmt.Errorf("open code breaker: %w", err)
			}
			p := b.pause(now)
			p.Tripped = true
			refused = &p
			return nil
		}
		events := []rateEvent{{Key: codeSendAllKey, At: now}}
		seen := map[string]bool{codeSendAllKey: true}
		for _, r := range rules {
			if !seen[r.Key] {
				seen[r.Key] = true
				events = append(events, rateEvent{Key: r.Key, At: now})
			}
		}
		if _, err := tx.NewInsert().Model(&events).Exec(ctx); err != nil {
			return fmt.Errorf("count code send: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return refused
}

// CodesPaused returns the breaker's pause in force, or a zero CodePause
// while codes go out.
func (s *Store) CodesPaused(ctx context.Context) (CodePause, error) {
	b := &smsBreaker{Name: codesBreaker}
	if err := s.db.NewSelect().Model(b).WherePK().Scan(ctx); err != nil {
		return CodePause{}, fmt.Errorf("code breaker: %w", err)
	}
	return b.pause(s.now()), nil
}

func countEvents(ctx context.Context, db bun.IDB, key string, since time.Time) (int, error) {
	n, err := db.NewSelect().Model((*rateEvent)(nil)).Where("key = ? AND at > ?", key, since).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("rate %s: %w", key, err)
	}
	return int(n), nil
}
