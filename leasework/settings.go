// Package leasework holds what the workers of leased work have in common:
// the SMS outbox worker (notify) and the payment job worker (payments).
// Both claim due rows under a lease in the database, so several server
// processes share the work and one that dies only delays its part. This
// package knows nothing of what the work is or where it is stored: it has
// the settings with their defaults, the owner's name, the backoff between
// attempts and the claim, handle and poll loop.
package leasework

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// ErrLeaseTooShort refuses a lease under twice the call timeout: a slow
// call could outlive it, and another worker would do the work again.
var ErrLeaseTooShort = errors.New("lease must be at least twice the call timeout, or a slow call could outlive it and its work be done twice")

// Settings are a worker's settings, embedded in notify.Worker and
// payments.Worker; a zero field takes the worker's default. They have no
// methods (the functions here take them), so that nothing is promoted
// onto the workers.
type Settings struct {
	// Owner names the worker in the leases (default: Owner).
	Owner string
	// Batch is how many rows one claim takes; they are handled
	// concurrently, so every call of a batch starts right after the claim.
	Batch int
	// Lease is how long a claimed row is this worker's alone. It must
	// exceed CallTimeout comfortably (WithDefaults refuses less than
	// twice): if a call outlived the lease, another worker would repeat it.
	Lease time.Duration
	// Poll is the pause between claims when there was nothing to do.
	Poll time.Duration
	// CallTimeout bounds one call to the outside service.
	CallTimeout time.Duration
	// MaxAttempts is how many passing failures a row gets before it is
	// given up.
	MaxAttempts int
	// BackoffBase and BackoffMax shape the wait before attempt n+1 (see
	// Backoff).
	BackoffBase, BackoffMax time.Duration
	// Log is where the worker logs (default: nowhere).
	Log *slog.Logger
}

// Defaults are one kind of worker's values for the settings left zero.
type Defaults struct {
	// OwnerTag goes into a generated owner name, so that a lease says
	// which kind of worker holds it; empty for none.
	OwnerTag                 string
	Batch                    int
	Poll, Lease, CallTimeout time.Duration
	MaxAttempts              int
	BackoffBase, BackoffMax  time.Duration
}

// WithDefaults returns s with every zero field set from d, or an error
// wrapping ErrLeaseTooShort. A lease left zero is at least four calls
// long, so a long call timeout never makes the default lease refused.
func WithDefaults(s Settings, d Defaults) (Settings, error) {
	if s.Owner == "" {
		s.Owner = Owner(d.OwnerTag)
	}
	if s.Batch <= 0 {
		s.Batch = d.Batch
	}
	if s.Poll <= 0 {
		s.Poll = d.Poll
	}
	if s.CallTimeout <= 0 {
		s.CallTimeout = d.CallTimeout
	}
	if s.Lease <= 0 {
		s.Lease = max(d.Lease, 4*s.CallTimeout)
	}
	if s.Lease < 2*s.CallTimeout {
		return Settings{}, fmt.Errorf("%w (lease %v, call timeout %v)", ErrLeaseTooShort, s.Lease, s.CallTimeout)
	}
	if s.MaxAttempts <= 0 {
		s.MaxAttempts = d.MaxAttempts
	}
	if s.BackoffBase <= 0 {
		s.BackoffBase = d.BackoffBase
	}
	if s.BackoffMax <= 0 {
		s.BackoffMax = d.BackoffMax
	}
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}
