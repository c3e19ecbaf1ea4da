package notify

import (
	"context"
	"errors"
	"net/http"

	"github.com/twilio/twilio-go/client"
)

// Sender hands one SMS to the provider and returns the provider's id for
// it, which the delivery status webhook later refers to.
type Sender interface {
	Send(ctx context.Context, m Message) (sid string, err error)
}

// Message is one SMS to send.
type Message struct {
	To   string // E.164
	Body string
	// From overrides the sender's configured sender (a location's own
	// number or alphanumeric sender id); empty for the default.
	From string
	// StatusCallback is where the provider reports delivery; empty for none.
	StatusCallback string
}

// PermanentError marks a failure that sending again cannot fix (an
// invalid or unsubscribed number, a message that cannot be rendered).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a PermanentError.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// transientCodes are Twilio error codes that come with a 4xx status but
// pass with time: rate limits and full queues.
var transientCodes = map[int]bool{
	20429: true, // too many requests
	21611: true, // the From number's queue is full
	14107: true, // SMS send rate limit exceeded
}

// IsPermanent reports whether retrying err is pointless. Anything it cannot
// recognise counts as transient: retrying a permanent failure costs a few
// attempts (bounded by the worker's MaxAttempts), while giving up on a
// passing one loses the client's message.
//
// From Twilio: 429 and 5xx are transient, and so are 401, 403 and 404 on
// sending, which mean the server's credentials or account are wrong; that
// is the operator's to fix, and failing every message meanwhile would lose
// them all. Other 4xx (21211 invalid number, 21610 unsubscribed, 21614 not
// a mobile, 21408 region not enabled...) are about the message: permanent.
// Timeouts, network errors and error bodies that are not Twilio's JSON (a
// proxy's 502 page) are transient.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	var pe *PermanentError
	if errors.As(err, &pe) {
		return true
	}
	var te *client.TwilioRestError
	if errors.As(err, &te) {
		return permanentStatus(te.Status, te.Code)
	}
	var ve *client.RestErrorV1
	if errors.As(err, &ve) {
		return permanentStatus(ve.HttpStatusCode, ve.Code)
	}
	return false
}

func permanentStatus(status, code int) bool {
	switch {
	case transientCodes[code]:
		return false
	case status == http.StatusTooManyRequests, status >= 500:
		return false
	case status == http.StatusUnauthorized, status == http.StatusForbidden, status == http.StatusNotFound:
		return false
	case status >= 400:
		return true
	}
	return false
}

// twilioCode returns the Twilio error code and HTTP status in err, if it is
// a Twilio JSON error.
func twilioCode(err error) (code, status int, ok bool) {
	var te *client.TwilioRestError
	if errors.As(err, &te) {
		return te.Code, te.Status, true
	}
	var ve *client.RestErrorV1
	if errors.As(err, &ve) {
		return ve.Code, ve.HttpStatusCode, true
	}
	return 0, 0, false
}
