package payments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"

	"github.com/stripe/stripe-go/v82"
)

// StatusError is an error answer without Stripe's JSON error body (a
// proxy's or load balancer's page), with its HTTP status.
type StatusError struct {
	Code int
	Body string // the first bytes, for the logs
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("stripe answered %d without an error body: %q", e.Code, e.Body)
}

// statusTransport turns an error answer whose body is not JSON into a
// *StatusError, which stripe-go hands back wrapped (it would otherwise
// only say it could not decode the body).
type statusTransport struct{ next http.RoundTripper }

func (t statusTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/json" {
		return resp, nil
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	return nil, &StatusError{Code: resp.StatusCode, Body: string(b)}
}

// temporary: 429, 409 (Stripe's answer to a concurrent request with the
// same idempotency key, or a lock timeout), 5xx, Stripe's api_error, and
// anything that never got an answer (network, timeouts).
func temporary(err error) bool {
	if err == nil {
		return false
	}
	var se *stripe.Error
	if errors.As(err, &se) {
		switch {
		case se.HTTPStatusCode == http.StatusTooManyRequests, se.HTTPStatusCode == http.StatusConflict,
			se.HTTPStatusCode >= 500, se.Type == stripe.ErrorTypeAPI:
			return true
		}
		return false
	}
	var st *StatusError
	if errors.As(err, &st) {
		return st.Code == http.StatusTooManyRequests || st.Code >= 500
	}
	if errors.Is(err, ErrGone) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	// Anything else is an answer Stripe gave that made no sense (a
	// success body we cannot read) or our own refusal: trying again
	// would give the same.
	return false
}
