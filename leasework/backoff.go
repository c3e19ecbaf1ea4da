package leasework

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Backoff is the wait after the attempt-th failure: a random time up to
// min(BackoffMax, BackoffBase·2^(attempt-1)) ("full jitter"), so that rows
// that failed together (the provider down) are not retried together.
func Backoff(s *Settings, attempt int) time.Duration {
	ceiling := s.BackoffMax
	// Past 40 doublings any base has long passed any sensible maximum;
	// the bound also keeps the shift from overflowing.
	if attempt >= 1 && attempt < 40 {
		if d := s.BackoffBase << (attempt - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling)
}

// Retry decides after the attempts-th passing failure, err: the time of
// the next attempt, or, once MaxAttempts are spent, why to give up (then
// giveUp is not empty). The claim counts the attempts.
func Retry(s *Settings, attempts int, now time.Time, err error) (at time.Time, giveUp string) {
	if attempts >= s.MaxAttempts {
		return time.Time{}, fmt.Sprintf("gave up after %d attempts: %v", attempts, err)
	}
	return now.Add(Backoff(s, attempts)), ""
}
