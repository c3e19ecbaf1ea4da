package notify

import (
	"context"
	"errors"
)

// Verifier sends a one-time code to a phone and checks it (Twilio Verify
// in production). Implementations hold no state between calls that one
// server process would keep from another.
type Verifier interface {
	// Start sends a code by SMS in the client's language.
	Start(ctx context.Context, phone, lang string) error
	// Check reports whether code is the phone's current code.
	Check(ctx context.Context, phone, code string) (bool, error)
}

// Verification errors the widget shows differently.
var (
	// ErrVerifyInvalidPhone: the provider cannot send to this number.
	ErrVerifyInvalidPhone = errors.New("cannot send a code to this phone")
	// ErrVerifyExhausted: too many codes or checks for this phone; the
	// provider refuses more for a while.
	ErrVerifyExhausted = errors.New("too many verification attempts")
	// ErrVerifyExpired: there is no pending code to check (it expired or
	// was never sent).
	ErrVerifyExpired = errors.New("no pending code for this phone")
)
