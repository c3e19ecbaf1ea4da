package widget

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"time"

	"groupbook/booking"
)

// CodeSender sends and checks one-time codes (notify.Verifier satisfies it;
// the widget names only what it uses).
type CodeSender interface {
	Start(ctx context.Context, phone, lang string) error
	Check(ctx context.Context, phone, code string) (bool, error)
}

// Phone confirmation limits. A code costs money and can be used to annoy
// someone, so sends are limited per phone, per client address, per link
// and per location, a resend waits for a cooldown, and wrong codes are
// limited per phone; over all of them an install-wide circuit breaker
// pauses sending after a burst. The counts live in the database, shared by
// every server process, and are taken atomically (booking.TakeCodeSend).
const (
	CodeCooldown         = 30 * time.Second
	SendsPerPhone        = 3
	SendsPerPhoneSpan    = 15 * time.Minute
	SendsPerIP           = 10
	SendsPerIPSpan       = time.Hour
	SendsPerLinkHour     = 60
	SendsPerLinkDay      = 300
	SendsPerLocationHour = 100
	SendsPerLocationDay  = 500
	// The breaker: more than BreakerSends codes within BreakerWindow across
	// the install pause sending everywhere for BreakerPause.
	BreakerSends   = 100
	BreakerWindow  = 10 * time.Minute
	BreakerPause   = 30 * time.Minute
	WrongCodes     = 5
	WrongCodesSpan = 15 * time.Minute
	// PendingTTL bounds the code form; ProofTTL how long a confirmed phone
	// may book again without a new code (after a refused booking, say).
	PendingTTL = 15 * time.Minute
	ProofTTL   = 15 * time.Minute
)

// CodeLimits are the send limits in force; Flow.CodeLimits overrides the
// defaults (tests lower them).
type CodeLimits struct {
	Cooldown                        time.Duration
	PerPhone                        int
	PerPhoneSpan                    time.Duration
	PerIP                           int
	PerIPSpan                       time.Duration
	PerLinkHour, PerLinkDay         int
	PerLocationHour, PerLocationDay int
	Breaker                         booking.CodeBreaker
}

// DefaultCodeLimits are the constants above.
func DefaultCodeLimits() CodeLimits {
	return CodeLimits{
		Cooldown: CodeCooldown, PerPhone: SendsPerPhone, PerPhoneSpan: SendsPerPhoneSpan,
		PerIP: SendsPerIP, PerIPSpan: SendsPerIPSpan,
		PerLinkHour: SendsPerLinkHour, PerLinkDay: SendsPerLinkDay,
		PerLocationHour: SendsPerLocationHour, PerLocationDay: SendsPerLocationDay,
		Breaker: booking.CodeBreaker{Sends: BreakerSends, Window: BreakerWindow, Pause: BreakerPause},
	}
}

func (f *Flow) codeLimits() CodeLimits {
	if f.CodeLimits != nil {
		return *f.CodeLimits
	}
	return DefaultCodeLimits()
}

// Confirmation errors, each with its own message to the client.
var (
	ErrCodeCooldown = errors.New("a code was sent moments ago")
	// ErrTooManySends wraps the *booking.RateLimitedError that refused.
	ErrTooManySends = errors.New("too many codes requested")
	ErrWrongCode    = errors.New("wrong code")
	ErrTooManyWrong = errors.New("too many wrong codes")
	ErrCodeNotSent  = errors.New("the code could not be sent")
)

const (
	pendingPurpose = "pending-phone"
	proofPurpose   = "phone-proof"
)

// Pending is a contact step waiting for its code: the selection and what
// the client typed, with the phone normalised, signed into the code form.
type Pending struct {
	Selection Selection    `json:"sel"`
	Contact   ContactInput `json:"c"`
	Phone     string       `json:"p"`
}

// Proof says a phone was confirmed for a link; it lets the same client book
// again shortly after (a refused booking, a changed selection) without a
// second code. It travels in URLs (pv=), and a signed token is readable by
// anyone (base64 JSON), so it names the phone only by an opaque reference
// (Signer.PhoneRef): the phone never appears in a URL, not even encoded.
type Proof struct {
	LinkID int64  `json:"l"`
	Ref    string `json:"r"`
}

// SealPending signs a pending confirmation for the code form.
func (f *Flow) SealPending(p *Pending) (string, error) {
	return f.Signer.Seal(pendingPurpose, p, f.Now())
}

// OpenPending verifies a code form's pending confirmation for the link.
func (f *Flow) OpenPending(link *booking.Link, token string) (*Pending, error) {
	p := new(Pending)
	if err := f.Signer.Open(pendingPurpose, token, PendingTTL, f.Now(), p); err != nil {
		return nil, err
	}
	if p.Selection.LinkID != link.ID {
		return nil, ErrBadToken
	}
	return p, nil
}

// SealProof signs a confirmed phone.
func (f *Flow) SealProof(link *booking.Link, phone string) (string, error) {
	return f.Signer.Seal(proofPurpose, Proof{LinkID: link.ID, Ref: f.Signer.PhoneRef(phone)}, f.Now())
}

// HasProof tells whether token proves this phone was confirmed for the
// link recently. A forged, expired or other phone's proof is simply no
// proof: the client is asked for a code.
func (f *Flow) HasProof(link *booking.Link, token, phone string) bool {
	if token == "" {
		return false
	}
	var p Proof
	if err := f.Signer.Open(proofPurpose, token, ProofTTL, f.Now(), &p); err != nil {
		return false
	}
	return p.LinkID == link.ID && p.Ref != "" && hmac.Equal([]byte(p.Ref), []byte(f.Signer.PhoneRef(phone)))
}

// NormalizedContact checks the contact fields and returns the phone in
// E.164, or the FieldErrors to show.
func (f *Flow) NormalizedContact(link *booking.Link, cat *Catalog, in ContactInput) (string, error) {
	phone, err := booking.NormalizePhone(in.Phone, cat.Location.Country)
	if err != nil {
		phone = in.Phone
	}
	client := booking.ClientInput{Phone: phone, FirstName: in.FirstName, LastName: in.LastName, Email: in.Email}
	if err := booking.ValidateContact(link, client, in.Comment, cat.Location.Country); err != nil {
		return "", err
	}
	return phone, nil
}

// SendCode sends a confirmation code for link to phone, within the
// limits; ip is the client's address. It refuses a phone from a country
// the location does not take (booking.FieldErrors at the phone, before
// anything is counted or sent), a send within the cooldown
// (ErrCodeCooldown) or over a cap (ErrTooManySends), and every send while
// the breaker is open (an error matching booking.ErrCodesPaused, a
// *booking.CodePause). A provider failure comes back as ErrCodeNotSent
// wrapping the provider's error.
func (f *Flow) SendCode(ctx context.Context, codes CodeSender, link *booking.Link, phone, ip, lang string) error {
	ok, err := f.Store.WidgetPhoneAllowed(ctx, link, phone)
	if err != nil {
		return err
	}
	if !ok {
		return booking.FieldErrors{"phone": booking.MsgPhoneCountry}
	}
	l := f.codeLimits()
	addr := booking.AddressKey(ip)
	rules := []booking.RateRule{
		{Name: "cooldown", Key: "code-send:" + phone, Limit: 1, Window: l.Cooldown},
		{Name: "phone", Key: "code-send:" + phone, Limit: l.PerPhone, Window: l.PerPhoneSpan},
		{Name: "address", Key: "code-send-ip:" + addr, Limit: l.PerIP, Window: l.PerIPSpan},
		{Name: "link:hour", Key: fmt.Sprintf("code-send-link:%d", link.ID), Limit: l.PerLinkHour, Window: time.Hour},
		{Name: "link:day", Key: fmt.Sprintf("code-send-link:%d", link.ID), Limit: l.PerLinkDay, Window: 24 * time.Hour},
		{Name: "location:hour", Key: fmt.Sprintf("code-send-location:%d", link.LocationID), Limit: l.PerLocationHour, Window: time.Hour},
		{Name: "location:day", Key: fmt.Sprintf("code-send-location:%d", link.LocationID), Limit: l.PerLocationDay, Window: 24 * time.Hour},
	}
	err = f.Store.TakeCodeSend(ctx, rules, l.Breaker)
	var limited *booking.RateLimitedError
	switch {
	case errors.As(err, &limited) && limited.Rule.Name == "cooldown":
		return ErrCodeCooldown
	case errors.As(err, &limited):
		return fmt.Errorf("%w: %w", ErrTooManySends, err)
	case err != nil:
		return err
	}
	if err := codes.Start(ctx, phone, lang); err != nil {
		return fmt.Errorf("%w: %w", ErrCodeNotSent, err)
	}
	return nil
}

// CheckCode checks a code, counting wrong ones against the phone.
func (f *Flow) CheckCode(ctx context.Context, codes CodeSender, phone, code string) error {
	// Refuse before asking the provider once the phone used up its tries.
	n, err := f.wrongCodes(ctx, phone)
	if err != nil {
		return err
	}
	if n >= WrongCodes {
		return ErrTooManyWrong
	}
	ok, err := codes.Check(ctx, phone, code)
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	allowed, err := f.Store.RateAllow(ctx, "code-wrong:"+phone, WrongCodes, WrongCodesSpan)
	if err != nil {
		return err
	}
	if !allowed {
		return ErrTooManyWrong
	}
	return ErrWrongCode
}

// wrongCodes counts the phone's recent wrong codes without adding one.
func (f *Flow) wrongCodes(ctx context.Context, phone string) (int, error) {
	return f.Store.RateCount(ctx, "code-wrong:"+phone, WrongCodesSpan)
}
