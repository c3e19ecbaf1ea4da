package booking

// The API of online payment (issue 11), agreed before it was built so the
// widget, the admin, the webhook and the job worker could be written at
// once. Types live here; the methods are in online_*.go and jobs.go (see
// online_doc.go for how they fit together).

import (
	"errors"
	"time"

	"github.com/uptrace/bun"
)

// PaymentMode is how a widget link's clients pay.
type PaymentMode string

// Payment modes of a link.
const (
	// PayAtStudio: the booking is final at once and paid at the studio; a
	// client's pass may pay (offered after the phone is confirmed).
	PayAtStudio PaymentMode = "desk"
	// PayPassRequired: a pass must pay (the former "prepayment").
	PayPassRequired PaymentMode = "pass"
	// PayOnline: paid online through Stripe Checkout before the booking is
	// final; the seats are held meanwhile.
	PayOnline PaymentMode = "online"
	// PayPassOrOnline: a pass pays, or else online.
	PayPassOrOnline PaymentMode = "pass_or_online"
)

// Valid tells whether m is a known mode.
func (m PaymentMode) Valid() bool {
	switch m {
	case PayAtStudio, PayPassRequired, PayOnline, PayPassOrOnline:
		return true
	}
	return false
}

// Online tells whether the mode takes money online.
func (m PaymentMode) Online() bool { return m == PayOnline || m == PayPassOrOnline }

// PassRequired tells whether only a pass may pay for the link's bookings.
func (l *Link) PassRequired() bool { return l.PaymentMode == PayPassRequired }

// PrepaymentRequired tells whether a booking through the link needs a pass
// or an online payment before it is final.
func (l *Link) PrepaymentRequired() bool { return l.PaymentMode != PayAtStudio && l.PaymentMode != "" }

// GroupState is where a booking group stands with its payment.
type GroupState string

// Group states.
const (
	GroupBooked         GroupState = "booked"
	GroupPendingPayment GroupState = "pending_payment"
	GroupExpired        GroupState = "expired"
)

// CancelledByPaymentExpired marks bookings whose payment hold ran out.
const CancelledByPaymentExpired = "payment_expired"

// Default and limits of Location.PaymentHoldMin.
const (
	DefaultPaymentHoldMin = 15
	MinPaymentHoldMin     = 5
	MaxPaymentHoldMin     = 60
)

// Errors of online payment.
var (
	// ErrPaymentRequired refuses a widget booking without a pass or an
	// online payment through a link that requires one.
	ErrPaymentRequired = errors.New("this link requires payment before booking")
	// ErrHoldExpired: the hold ran out; the seats went back.
	ErrHoldExpired = errors.New("payment hold expired")
	// ErrNotPending: the group is not waiting for a payment (paid already,
	// or never held).
	ErrNotPending = errors.New("booking group is not awaiting payment")
	// ErrRefundTooMuch: a refund larger than what is left to refund.
	ErrRefundTooMuch = errors.New("refund exceeds the amount paid")
	// ErrNotPaidOnline: a refund asked for a booking not paid online.
	ErrNotPaidOnline = errors.New("booking was not paid online")
	// ErrPassNotForSale: the pass type is not on sale online, or cannot
	// pay for this selection.
	ErrPassNotForSale = errors.New("pass type is not for sale online for this selection")
	// ErrPaymentPending refuses to change the seats of a booking whose
	// online payment is under way.
	ErrPaymentPending = errors.New("booking awaits its online payment")
	// ErrPaidOnline refuses to clear an online payment: it is refunded.
	ErrPaidOnline = errors.New("booking was paid online: refund it instead")
)

// Online payment statuses (OnlinePayment.Status).
const (
	OnlineCreating = "creating" // row written, the Checkout Session not yet
	OnlineOpen     = "open"     // Checkout Session open at Stripe
	OnlinePaid     = "paid"     // completed and applied to its group
	OnlineExpired  = "expired"  // expired (by us or Stripe) or superseded
	OnlineFailed   = "failed"   // the session could not be created
	OnlineMismatch = "mismatch" // paid, but amount or currency differ: flagged to staff
	OnlineLate     = "late"     // paid after the hold was released (or twice): refunded
)

// Purposes of an online payment.
const (
	PurposeBooking = "booking"
	PurposePass    = "pass"
)

// OnlinePayment is one Checkout Session opened for a held group.
type OnlinePayment struct {
	bun.BaseModel `bun:"table:online_payments"`

	ID              int64      `bun:"id,pk,autoincrement"`
	LocationID      int64      `bun:"location_id"`
	GroupID         int64      `bun:"group_id"`
	ClientID        int64      `bun:"client_id"`
	Purpose         string     `bun:"purpose"`
	PassTypeID      int64      `bun:"pass_type_id,nullzero"`
	PassID          int64      `bun:"pass_id,nullzero"`
	IdempotencyKey  string     `bun:"idempotency_key"`
	SessionID       string     `bun:"session_id,nullzero"`
	SessionURL      string     `bun:"session_url"`
	AmountMinor     int64      `bun:"amount_minor"`
	Currency        string     `bun:"currency"`
	Status          string     `bun:"status"`
	PaymentIntent   string     `bun:"payment_intent"`
	PaidAmountMinor int64      `bun:"paid_amount_minor"`
	PaidCurrency    string     `bun:"paid_currency"`
	LastError       string     `bun:"last_error"`
	CreatedAt       time.Time  `bun:"created_at"`
	UpdatedAt       time.Time  `bun:"updated_at"`
	PaidAt          *time.Time `bun:"paid_at"`
}

// Ledger entry kinds and statuses (PaymentEntry).
const (
	EntryCharge = "charge"
	EntryRefund = "refund"

	EntryPending   = "pending"
	EntrySucceeded = "succeeded"
	EntryFailed    = "failed"
)

// PaymentEntry is one row of the money ledger: a charge Stripe took or a
// refund (pending until Stripe confirms it, failed when it kept failing).
type PaymentEntry struct {
	bun.BaseModel `bun:"table:payment_entries"`

	ID              int64     `bun:"id,pk,autoincrement"`
	LocationID      int64     `bun:"location_id"`
	OnlinePaymentID int64     `bun:"online_payment_id"`
	BookingID       int64     `bun:"booking_id,nullzero"`
	Kind            string    `bun:"kind"`
	AmountMinor     int64     `bun:"amount_minor"`
	Currency        string    `bun:"currency"`
	StripeID        string    `bun:"stripe_id"`
	Status          string    `bun:"status"`
	Reason          string    `bun:"reason"`
	StaffUserID     int64     `bun:"staff_user_id,nullzero"`
	LastError       string    `bun:"last_error"`
	CreatedAt       time.Time `bun:"created_at"`
	UpdatedAt       time.Time `bun:"updated_at"`
}

// Refund reasons (PaymentEntry.Reason).
const (
	RefundClientCancel = "client_cancel" // cancelled before the cutoff
	RefundEventDeleted = "event_deleted" // the studio cancelled the class
	RefundStaff        = "staff"         // a staff refund from the event window
	RefundLate         = "late"          // paid after the hold was released
	RefundDuplicate    = "duplicate"     // a second session of a group paid
)

// CheckoutLine is one line of a Checkout Session: a date of the selection
// (UnitMinor is the price of a seat, Quantity the seats) or the pass bought.
type CheckoutLine struct {
	BookingID int64     // 0 for a pass
	Service   string    // the service's name, or the pass's
	Start     time.Time // the event's start (zero for a pass)
	UnitMinor int64
	Quantity  int
}

// Checkout is what a Checkout Session is created from: the payment row
// (its IdempotencyKey is the key for Stripe) and its lines.
type Checkout struct {
	Payment  OnlinePayment
	Group    Group
	Client   Client
	Location Location
	Lines    []CheckoutLine
	TimeZone string
}

// Stripe refuses a Checkout Session expiring sooner than 30 minutes or
// later than 24 hours after its creation.
const (
	MinCheckoutExpiry = 31 * time.Minute // 30 and a margin for the clock
	MaxCheckoutExpiry = 24 * time.Hour
)

// ExpiresAt is when the session should expire at Stripe: the hold's end,
// but no sooner than Stripe allows (the hold's job expires it at Stripe
// when the hold ends anyway).
func (c *Checkout) ExpiresAt(now time.Time) time.Time {
	at := now.Add(MinCheckoutExpiry)
	if c.Group.HoldUntil != nil && c.Group.HoldUntil.After(at) {
		at = *c.Group.HoldUntil
	}
	if limit := now.Add(MaxCheckoutExpiry); at.After(limit) {
		return limit
	}
	return at
}

// StripeEvent is a verified webhook event as the core needs it.
type StripeEvent struct {
	ID   string // evt_..., the idempotency key of the delivery
	Type string // checkout.session.completed, checkout.session.expired, ...
	// SessionID is the Checkout Session (cs_...).
	SessionID     string
	PaymentIntent string
	PaymentStatus string // "paid", "unpaid", "no_payment_required"
	AmountTotal   int64
	Currency      string // lower case, as Stripe sends it
	// PaymentID is our online_payments id from the session's metadata
	// ("groupbook_payment"); 0 when the session is not ours.
	PaymentID int64
}

// Outcome of applying a webhook event.
const (
	StripeDuplicate = "duplicate" // the event id was seen before: nothing done
	StripeIgnored   = "ignored"   // a type or session we do not act on
	StripeConfirmed = "confirmed" // the group is paid and booked
	StripeRefunding = "refunding" // paid too late or twice: a refund is queued
	StripeMismatch  = "mismatch"  // amount or currency differ: flagged
	StripeExpired   = "expired"   // the session expired
)

// StripeOutcome says what a webhook event did.
type StripeOutcome struct {
	Result  string
	GroupID int64
}

// SMSRefunded tells a client that a payment which came too late (or
// twice) is refunded (outbox kind, beside SMSBooked).
const SMSRefunded = "refunded"

// Job kinds.
const (
	JobHoldExpire     = "hold_expire"     // RefID: the group
	JobCheckoutExpire = "checkout_expire" // RefID: the online payment
	JobRefund         = "refund"          // RefID: the refund's payment entry
)

// Job statuses.
const (
	JobPending = "pending"
	JobDone    = "done"
	JobFailed  = "failed"
)

// Job is one piece of timed or retried work, leased like the outbox.
type Job struct {
	bun.BaseModel `bun:"table:jobs"`

	ID         int64      `bun:"id,pk,autoincrement"`
	Kind       string     `bun:"kind"`
	LocationID int64      `bun:"location_id,nullzero"`
	RefID      int64      `bun:"ref_id"`
	UniqueKey  string     `bun:"unique_key"`
	Status     string     `bun:"status"`
	Attempts   int        `bun:"attempts"`
	RunAt      time.Time  `bun:"run_at"`
	LeaseOwner string     `bun:"lease_owner"`
	LeaseUntil *time.Time `bun:"lease_until"`
	LastError  string     `bun:"last_error"`
	CreatedAt  time.Time  `bun:"created_at"`
	UpdatedAt  time.Time  `bun:"updated_at"`
	DoneAt     *time.Time `bun:"done_at"`
}

// RefundToSend is a pending refund as the worker sends it to Stripe.
type RefundToSend struct {
	Entry          PaymentEntry
	PaymentIntent  string
	IdempotencyKey string // "groupbook-refund-<entry id>"
}

// StaffRefund asks to refund part or all of a booking's online payment.
type StaffRefund struct {
	LocationID  int64
	BookingID   int64
	AmountMinor int64 // 0: everything still refundable
	StaffUserID int64
}

// PaymentFilter selects the Payments page's rows.
type PaymentFilter struct {
	LocationID int64
	From, To   time.Time // [From, To)
	Method     string    // "", "online", "cash", "card", "other", "pass_sale"
	Status     string    // "", "paid", "refunded", "refund_pending", "refund_failed", "flagged"
	ClientID   int64     // 0: every client
}

// PaymentRow is one row of the Payments page: money taken or given back.
type PaymentRow struct {
	At          time.Time
	Kind        string // "charge" or "refund"
	Method      string // online, cash, card, other
	What        string // the service (with Start) or the pass's name
	Start       *time.Time
	ClientID    int64
	ClientName  string
	ClientPhone string
	BookingID   int64
	AmountMinor int64 // positive; refunds are shown negative by the page
	Currency    string
	Status      string // succeeded, pending, failed, mismatch
	StripeID    string
	Reason      string
	EntryID     int64 // the payment entry (0 for desk payments and pass sales)
}

// BookingMoney is a booking's online money as staff see it.
type BookingMoney struct {
	PaidMinor     int64
	RefundedMinor int64 // succeeded
	PendingMinor  int64 // refunds pending
	FailedRefunds []PaymentEntry
	Currency      string
}

// Refundable is what is left to refund.
func (m BookingMoney) Refundable() int64 { return m.PaidMinor - m.RefundedMinor - m.PendingMinor }
