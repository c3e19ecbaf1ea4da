package notify

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	twilio "github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"
	verify "github.com/twilio/twilio-go/rest/verify/v2"
)

// TwilioConfig is the account and senders the Twilio implementations use.
type TwilioConfig struct {
	AccountSID string
	AuthToken  string
	// From (a number or alphanumeric sender id) or MessagingServiceSID
	// picks who messages come from; TwilioSender needs one of them.
	From                string
	MessagingServiceSID string
	// VerifyServiceSID is the Verify service of the phone confirmation
	// codes; TwilioVerifier needs it.
	VerifyServiceSID string
	// Timeout bounds each call, connection and response body included
	// (default DefaultCallTimeout). twilio-go takes no context, so this is
	// the only way to stop a call that hangs.
	Timeout time.Duration
}

// DefaultCallTimeout bounds one call to Twilio when no timeout is set.
const DefaultCallTimeout = 10 * time.Second

// TwilioOption changes how the Twilio implementations reach Twilio.
type TwilioOption func(*twilioOptions)

type twilioOptions struct {
	transport http.RoundTripper
}

// WithTransport sends the client's requests through rt instead of
// http.DefaultTransport.
func WithTransport(rt http.RoundTripper) TwilioOption {
	return func(o *twilioOptions) { o.transport = rt }
}

// WithEndpoint sends every request meant for Twilio to base (scheme and
// host, e.g. an httptest server's URL) and refuses requests to any other
// host, so a test using it can never reach the real Twilio.
func WithEndpoint(base string) TwilioOption {
	return func(o *twilioOptions) { o.transport = &rewriteTransport{base: base, next: o.transport} }
}

// rewriteTransport points twilio-go, which has no base URL setting, at
// another server.
type rewriteTransport struct {
	base string
	next http.RoundTripper
}

func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Hostname()
	if host != "twilio.com" && !strings.HasSuffix(host, ".twilio.com") {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("notify: refusing a request to %s: only Twilio's hosts are redirected", host)
	}
	u, err := url.Parse(t.base)
	if err != nil {
		return nil, fmt.Errorf("notify: endpoint %q: %w", t.base, err)
	}
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = u.Scheme, u.Host, ""
	return cmp.Or(t.next, http.DefaultTransport).RoundTrip(r)
}

// maxErrorBody bounds how much of an error response is kept.
const maxErrorBody = 64 << 10

// bufferErrors reads error responses into memory. twilio-go decodes an
// error body but never closes it, which would keep the connection (and its
// read goroutine) busy until the call's timeout; buffered, the connection
// goes back to the pool at once.
type bufferErrors struct{ next http.RoundTripper }

func (t bufferErrors) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read error response %d: %w", resp.StatusCode, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// newTwilioClient builds the real twilio-go client with our transport and
// timeout.
func newTwilioClient(cfg TwilioConfig, opts []TwilioOption) (*twilio.RestClient, error) {
	if cfg.AccountSID == "" || cfg.AuthToken == "" {
		return nil, errors.New("notify: Twilio needs an account SID and an auth token")
	}
	var o twilioOptions
	for _, opt := range opts {
		opt(&o)
	}
	c := &client.Client{
		Credentials: client.NewCredentials(cfg.AccountSID, cfg.AuthToken),
		HTTPClient: &http.Client{
			Transport: bufferErrors{next: cmp.Or(o.transport, http.DefaultTransport)},
			Timeout:   cmp.Or(cfg.Timeout, DefaultCallTimeout),
			// As twilio-go's own default: a redirect is an answer, not
			// something to follow with our credentials.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	c.SetAccountSid(cfg.AccountSID)
	return twilio.NewRestClientWithParams(twilio.ClientParams{Client: c}), nil
}

// TwilioSender sends messages through Twilio Programmable Messaging.
type TwilioSender struct {
	rest               *twilio.RestClient
	from, messagingSvc string
}

// NewTwilioSender returns a sender for cfg's account and sender.
func NewTwilioSender(cfg TwilioConfig, opts ...TwilioOption) (*TwilioSender, error) {
	if cfg.From == "" && cfg.MessagingServiceSID == "" {
		return nil, errors.New("notify: Twilio messages need a From number or a messaging service SID")
	}
	rest, err := newTwilioClient(cfg, opts)
	if err != nil {
		return nil, err
	}
	return &TwilioSender{rest: rest, from: cfg.From, messagingSvc: cfg.MessagingServiceSID}, nil
}

// Send creates the message. ctx is only checked before the call: twilio-go
// cannot cancel a request, and the client's timeout bounds it instead.
// Errors keep twilio-go's error wrapped, for IsPermanent.
func (s *TwilioSender) Send(ctx context.Context, m Message) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	p := &openapi.CreateMessageParams{}
	p.SetTo(m.To)
	p.SetBody(m.Body)
	if s.messagingSvc != "" {
		p.SetMessagingServiceSid(s.messagingSvc)
	}
	// With a messaging service, From picks one of its senders (an
	// alphanumeric id a location registered); alone, it is the sender.
	if from := cmp.Or(m.From, s.from); from != "" {
		p.SetFrom(from)
	}
	if m.StatusCallback != "" {
		p.SetStatusCallback(m.StatusCallback)
	}
	msg, err := s.rest.Api.CreateMessage(p)
	if err != nil {
		return "", fmt.Errorf("twilio message: %w", err)
	}
	if msg.Sid == nil || *msg.Sid == "" {
		return "", errors.New("twilio message: the answer has no sid")
	}
	return *msg.Sid, nil
}

// TwilioVerifier sends and checks phone confirmation codes with Twilio
// Verify, which keeps the codes, their expiry and the attempt limits, so
// every server process sees the same state.
type TwilioVerifier struct {
	rest    *twilio.RestClient
	service string
}

// NewTwilioVerifier returns a verifier for cfg's Verify service.
func NewTwilioVerifier(cfg TwilioConfig, opts ...TwilioOption) (*TwilioVerifier, error) {
	if cfg.VerifyServiceSID == "" {
		return nil, errors.New("notify: Twilio Verify needs a service SID")
	}
	rest, err := newTwilioClient(cfg, opts)
	if err != nil {
		return nil, err
	}
	return &TwilioVerifier{rest: rest, service: cfg.VerifyServiceSID}, nil
}

// verifyLocales are the languages whose Verify locale is our language
// code ("pt" is European Portuguese there, as in our texts). Any other
// language is left to Verify, which picks one from the phone's country.
var verifyLocales = map[string]bool{"en": true, "hu": true, "pt": true, "ru": true, "uk": true}

// Start sends a code by SMS in lang.
func (v *TwilioVerifier) Start(ctx context.Context, phone, lang string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p := &verify.CreateVerificationParams{}
	p.SetTo(phone)
	p.SetChannel("sms")
	if verifyLocales[lang] {
		p.SetLocale(lang)
	}
	_, err := v.rest.VerifyV2.CreateVerification(v.service, p)
	if _, status, _ := twilioCode(err); status == http.StatusNotFound && p.Locale != nil {
		// Verify answers a locale it has no template for with 404 and
		// sends nothing; without one, it picks the phone's country's
		// language, which beats no code at all.
		p.Locale = nil
		_, err = v.rest.VerifyV2.CreateVerification(v.service, p)
	}
	if err == nil {
		return nil
	}
	code, status, _ := twilioCode(err)
	switch {
	case invalidPhoneCodes[code]:
		return fmt.Errorf("%w: %w", ErrVerifyInvalidPhone, err)
	case code == 60202 || code == 60203 || code == 20429 || status == http.StatusTooManyRequests:
		return fmt.Errorf("%w: %w", ErrVerifyExhausted, err)
	}
	return fmt.Errorf("twilio verify start: %w", err)
}

// invalidPhoneCodes are Twilio's answers about the number itself. 60200
// is "invalid parameter": the only one we pass from a client is the phone.
// 60205: a landline cannot get SMS. 21408: the account may not send to
// the number's region.
var invalidPhoneCodes = map[int]bool{60200: true, 60205: true, 21211: true, 21214: true, 21408: true, 21610: true, 21614: true}

// verifyCodeRe is the shape of a Verify code (4 to 10 digits); anything
// else is wrong without asking Twilio, and costs the client no attempt.
var verifyCodeRe = regexp.MustCompile(`^[0-9]{4,10}$`)

// Check reports whether code is the phone's pending code.
func (v *TwilioVerifier) Check(ctx context.Context, phone, code string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if !verifyCodeRe.MatchString(code) {
		return false, nil
	}
	p := &verify.CreateVerificationCheckParams{}
	p.SetTo(phone)
	p.SetCode(code)
	res, err := v.rest.VerifyV2.CreateVerificationCheck(v.service, p)
	if err != nil {
		c, status, _ := twilioCode(err)
		switch {
		case invalidPhoneCodes[c]:
			return false, fmt.Errorf("%w: %w", ErrVerifyInvalidPhone, err)
		case c == 20404 || status == http.StatusNotFound:
			// Verify forgets a verification once it is approved,
			// expired (10 minutes) or cancelled.
			return false, fmt.Errorf("%w: %w", ErrVerifyExpired, err)
		case c == 60202 || c == 60203 || c == 20429 || status == http.StatusTooManyRequests:
			return false, fmt.Errorf("%w: %w", ErrVerifyExhausted, err)
		}
		return false, fmt.Errorf("twilio verify check: %w", err)
	}
	status := ""
	if res.Status != nil {
		status = *res.Status
	}
	switch status {
	case "approved":
		return true, nil
	case "pending":
		return false, nil // a wrong code; Verify counts it
	case "max_attempts_reached":
		return false, ErrVerifyExhausted
	case "canceled", "expired", "deleted", "failed":
		return false, ErrVerifyExpired
	}
	return false, fmt.Errorf("twilio verify check: unexpected status %q", status)
}
