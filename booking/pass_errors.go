package booking

import (
	"errors"
	"fmt"
)

// Message ids of pass and payment field errors (see validate.go).
const (
	MsgInvalidPassKind    = "error_pass_kind"
	MsgInvalidValidFrom   = "error_pass_valid_from"
	MsgPassVisitsRange    = "error_pass_visits_range"
	MsgPassValidityRange  = "error_pass_validity_range"
	MsgPassNoServices     = "error_pass_no_services"
	MsgUnknownPassType    = "error_unknown_pass_type"
	MsgInvalidPayMethod   = "error_payment_method"
	MsgPassCorrection     = "error_pass_correction"
	MsgPassBalanceBelow   = "error_pass_balance_below_zero"
	MsgPassExtendDays     = "error_pass_extend_days"
	MsgPassUnlimitedVisit = "error_pass_unlimited_visits"
)

// Pass errors. Each is a 4xx at the edge: the pass cannot do what was asked.
var (
	// ErrPass matches every error about a pass that cannot pay (errors.Is),
	// so an edge can tell them from other booking problems.
	ErrPass            = errors.New("pass cannot pay")
	ErrPassVoided      = fmt.Errorf("pass is voided: %w", ErrPass)
	ErrPassFrozen      = fmt.Errorf("pass is frozen: %w", ErrPass)
	ErrPassNotCovering = fmt.Errorf("pass does not cover this service: %w", ErrPass)
	ErrPassShort       = fmt.Errorf("pass has too few visits left: %w", ErrPass)
	ErrPassNotValid    = fmt.Errorf("pass is not valid on the event's date: %w", ErrPass)
	// ErrPassNotFrozen refuses an unfreeze of a pass that is not frozen
	// (and ErrPassAlreadyFrozen the reverse).
	ErrPassNotFrozen     = errors.New("pass is not frozen")
	ErrPassAlreadyFrozen = errors.New("pass is already frozen")
	// ErrPassRequired refuses a widget booking without a pass through a
	// link whose prepayment setting ("pay before booking: pass required")
	// is on.
	ErrPassRequired = fmt.Errorf("this link requires a pass: %w", ErrPass)
	// ErrAlreadyPaid refuses to pay a booking twice.
	ErrAlreadyPaid = errors.New("booking is already paid")
)

// PassShortError says how many visits a pass has and a request needs
// ("2 visits left, 3 needed"). errors.Is(err, ErrPassShort) matches it.
type PassShortError struct {
	PassID int64
	Left   int
	Needed int
}

func (e *PassShortError) Error() string {
	return fmt.Sprintf("pass %d: %d visits left, %d needed", e.PassID, e.Left, e.Needed)
}

// Is makes errors.Is(err, ErrPassShort) and errors.Is(err, ErrPass) true.
func (e *PassShortError) Is(target error) bool { return target == ErrPassShort || target == ErrPass }

// PassNotValidError names the first date of a request the pass is not
// valid on: before it starts (ValidFrom) or after it ends (ValidUntil),
// all local dates YYYY-MM-DD ("valid until 2026-12-10, not on 2026-12-15").
// EventID is the event on that date. errors.Is(err, ErrPassNotValid) matches.
type PassNotValidError struct {
	PassID     int64
	EventID    int64
	Date       string
	ValidFrom  string
	ValidUntil string
}

func (e *PassNotValidError) Error() string {
	return fmt.Sprintf("pass %d valid %s..%s, not on %s (event %d)", e.PassID, e.ValidFrom, e.ValidUntil, e.Date, e.EventID)
}

// Is makes errors.Is(err, ErrPassNotValid) and errors.Is(err, ErrPass) true.
func (e *PassNotValidError) Is(target error) bool {
	return target == ErrPassNotValid || target == ErrPass
}

// Expired tells whether the date is after the pass's validity (rather
// than before its start).
func (e *PassNotValidError) Expired() bool { return e.ValidUntil != "" && e.Date > e.ValidUntil }
