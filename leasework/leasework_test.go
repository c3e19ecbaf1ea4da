package leasework_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"groupbook/leasework"
)

var testDefaults = leasework.Defaults{
	OwnerTag: "t", Batch: 3, Poll: time.Second, Lease: time.Minute, CallTimeout: 10 * time.Second,
	MaxAttempts: 4, BackoffBase: time.Second, BackoffMax: 5 * time.Second,
}

// TestWithDefaults: zero settings take the defaults, a long call timeout
// stretches the default lease, and a lease under two calls is refused.
func TestWithDefaults(t *testing.T) {
	s, err := leasework.WithDefaults(leasework.Settings{}, testDefaults)
	if err != nil {
		t.Fatal(err)
	}
	if s.Batch != 3 || s.Poll != time.Second || s.Lease != time.Minute || s.CallTimeout != 10*time.Second ||
		s.MaxAttempts != 4 || s.BackoffBase != time.Second || s.BackoffMax != 5*time.Second || s.Log == nil {
		t.Errorf("defaults not applied: %+v", s)
	}
	if !strings.Contains(s.Owner, "-t-") {
		t.Errorf("owner %q lacks its tag", s.Owner)
	}
	s, err = leasework.WithDefaults(leasework.Settings{Owner: "me", CallTimeout: time.Minute}, testDefaults)
	if err != nil || s.Lease != 4*time.Minute || s.Owner != "me" {
		t.Errorf("long call: lease %v owner %q, %v", s.Lease, s.Owner, err)
	}
	_, err = leasework.WithDefaults(leasework.Settings{CallTimeout: time.Second, Lease: 1500 * time.Millisecond}, testDefaults)
	if !errors.Is(err, leasework.ErrLeaseTooShort) {
		t.Errorf("short lease: %v", err)
	}
}

// TestOwnerUnique: two names of one process differ.
func TestOwnerUnique(t *testing.T) {
	if a, b := leasework.Owner(""), leasework.Owner(""); a == b || !strings.Contains(a, "-") {
		t.Errorf("owners %q %q", a, b)
	}
}

// TestBackoffAndRetry: the wait stays under the exponential ceiling and
// BackoffMax, and MaxAttempts ends the retries.
func TestBackoffAndRetry(t *testing.T) {
	s := leasework.Settings{MaxAttempts: 3, BackoffBase: time.Second, BackoffMax: 3 * time.Second}
	for range 200 {
		if d := leasework.Backoff(&s, 1); d < 0 || d >= time.Second {
			t.Fatalf("attempt 1: %v", d)
		}
		if d := leasework.Backoff(&s, 60); d < 0 || d >= 3*time.Second {
			t.Fatalf("attempt 60: %v", d)
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if at, giveUp := leasework.Retry(&s, 2, now, errors.New("down")); giveUp != "" || at.Before(now) || !at.Before(now.Add(2*time.Second)) {
		t.Errorf("attempt 2: %v %q", at, giveUp)
	}
	if _, giveUp := leasework.Retry(&s, 3, now, errors.New("down")); giveUp != "gave up after 3 attempts: down" {
		t.Errorf("attempt 3: %q", giveUp)
	}
}

// TestRunBatch: the claim gets the settings, every row is handled at
// once with the same deadline, inside the lease.
func TestRunBatch(t *testing.T) {
	s := leasework.Settings{Owner: "o", Batch: 4, Lease: 10 * time.Second, CallTimeout: 2 * time.Second}
	claim := func(ctx context.Context, owner string, limit int, lease time.Duration) ([]int, error) {
		if owner != "o" || limit != 4 || lease != 10*time.Second {
			t.Errorf("claim(%q, %d, %v)", owner, limit, lease)
		}
		return []int{1, 2, 3}, nil
	}
	before := time.Now()
	var sum atomic.Int64
	started := make(chan struct{})
	n, err := leasework.RunBatch(context.Background(), &s, claim, func(ctx context.Context, row *int, callBy time.Time) {
		if callBy.Before(before.Add(7*time.Second)) || callBy.After(time.Now().Add(7*time.Second)) {
			t.Errorf("callBy %v", callBy)
		}
		if sum.Add(int64(*row)) == 6 {
			close(started)
		}
		<-started // all three run together, or this never returns
	})
	if n != 3 || err != nil || sum.Load() != 6 {
		t.Errorf("RunBatch: %d %v, sum %d", n, err, sum.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := leasework.RunBatch(ctx, &s, claim, func(context.Context, *int, time.Time) {}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestLoop: full batches are run again at once, and the loop returns
// when ctx ends.
func TestLoop(t *testing.T) {
	s := leasework.Settings{Batch: 2, Poll: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	leasework.Loop(ctx, &s, "test", func(context.Context) (int, error) {
		calls++
		if calls == 3 {
			cancel()
			return 0, nil
		}
		return 2, nil
	})
	if calls != 3 {
		t.Errorf("%d batches", calls)
	}
}

// TestRecordContext: recording outlives the worker's context.
func TestRecordContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec, done := leasework.RecordContext(ctx)
	defer done()
	if rec.Err() != nil {
		t.Errorf("record context ended with the worker's: %v", rec.Err())
	}
	if dl, ok := rec.Deadline(); !ok || time.Until(dl) > leasework.RecordTimeout {
		t.Errorf("deadline %v %v", dl, ok)
	}
}
