package booking

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Callers test them with errors.Is; each maps to one message
// a person can read at the edge.
var (
	ErrNotFound           = errors.New("not found")
	ErrFull               = errors.New("event is full")
	ErrStarted            = errors.New("event has started")
	ErrInsideBuffer       = errors.New("event starts too soon to book online")
	ErrOnlineBookingOff   = errors.New("online booking is off for this service")
	ErrNotOnLink          = errors.New("event is not offered by this link")
	ErrDifferentService   = errors.New("event has another service or team member than the first")
	ErrTooManyEvents      = errors.New("more events than the link allows")
	ErrDuplicateEvent     = errors.New("event selected twice")
	ErrAlreadyBooked      = errors.New("client already holds a booking for this event")
	ErrSeatsOutOfRange    = errors.New("seat count outside the allowed range")
	ErrCancelNotAllowed   = errors.New("this link does not allow cancellation")
	ErrCutoffPassed       = errors.New("the cancellation cutoff has passed")
	ErrAlreadyCancelled   = errors.New("booking is already cancelled")
	ErrCapacityBelowTaken = errors.New("capacity below the seats already taken")
	ErrEventDeleted       = errors.New("event was deleted")
	ErrKeyReused          = errors.New("request key reused for a different request")
	ErrLinkDisabled       = errors.New("widget link is disabled")
	ErrInvalid            = errors.New("invalid input")
	ErrConflict           = errors.New("changed by someone else meanwhile, try again")
	ErrLastOwner          = errors.New("the last active owner cannot be deactivated or demoted")
)

// EventProblem is why one event of a reservation could not be booked.
type EventProblem struct {
	EventID int64
	Err     error
}

// ReserveError reports every event that stopped an all-or-nothing
// reservation, so the client sees which ones and keeps the rest.
type ReserveError struct {
	Problems []EventProblem
}

func (e *ReserveError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = fmt.Sprintf("event %d: %v", p.EventID, p.Err)
	}
	return "reserve: " + strings.Join(parts, "; ")
}

// Unwrap lets errors.Is(err, ErrFull) match any problem.
func (e *ReserveError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p.Err
	}
	return errs
}

// ProblemFor returns the problem reported for one event, or nil.
func (e *ReserveError) ProblemFor(eventID int64) error {
	for _, p := range e.Problems {
		if p.EventID == eventID {
			return p.Err
		}
	}
	return nil
}

// FieldErrors maps a field name to a message id for the locale files. The
// core says what is wrong; the edge translates it and puts it at the field.
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	parts := make([]string, 0, len(f))
	for k, v := range f {
		parts = append(parts, k+": "+v)
	}
	return "invalid: " + strings.Join(parts, ", ")
}

// Is makes errors.Is(err, ErrInvalid) true for any FieldErrors.
func (f FieldErrors) Is(target error) bool { return target == ErrInvalid }

// orNil returns nil for an empty set, so callers can `return fe.orNil()`.
func (f FieldErrors) orNil() error {
	if len(f) == 0 {
		return nil
	}
	return f
}
