package booking

import (
	"time"

	"github.com/uptrace/bun"
)

// Location is one studio or gym: its zone decides local days and times, its
// country is the default region for phone numbers.
type Location struct {
	bun.BaseModel `bun:"table:locations"`

	ID          int64  `bun:"id,pk,autoincrement"`
	Name        string `bun:"name"`
	Address     string `bun:"address"`
	Phone       string `bun:"phone"`
	TimeZone    string `bun:"time_zone"`
	Country     string `bun:"country"`
	DefaultLang string `bun:"default_lang"`
	// ReturnVisitsLateCancel gives a pass its visits back when a booking it
	// paid is cancelled late (after the link's cutoff) or is a no-show.
	ReturnVisitsLateCancel bool `bun:"return_visits_late_cancel"`
	// PaymentHoldMin is how long seats held for an online payment stay
	// taken before they go back (5..60, default 15).
	PaymentHoldMin int `bun:"payment_hold_min,default:15"`
	// RefundOnClientCancel refunds a client's online payment for a
	// booking they cancel before the link's cutoff.
	RefundOnClientCancel bool `bun:"refund_on_client_cancel,default:true"`
	// Waitlist (waitlist_api.go): how freed seats are offered, how long an
	// offer waits for its claim, and how long one event's line may grow.
	WaitlistMode     WaitlistMode `bun:"waitlist_mode,default:'in_order'"`
	WaitlistClaimMin int          `bun:"waitlist_claim_min,default:120"`
	WaitlistMax      int          `bun:"waitlist_max,default:20"`
	// MinAutoCancel cancels an event below its minimum attendees at its
	// decision time; off, staff are warned instead (min_attendees.go).
	MinAutoCancel bool `bun:"min_auto_cancel"`
	// MessageChannel is how client messages go (channel.go in notify
	// terms: sms, email or both).
	MessageChannel MessageChannel `bun:"message_channel,default:'sms'"`
	// StaffEmailNotify e-mails staff about online bookings and cancels.
	StaffEmailNotify bool `bun:"staff_email_notify"`
	// AnyMemberAnyService lets events pair any team member with any
	// service; off, an event's member must run its service
	// (schedule_integrity.go).
	AnyMemberAnyService bool      `bun:"any_member_any_service"`
	CreatedAt           time.Time `bun:"created_at"`
}

// Zone returns the location's time zone (UTC if it cannot be loaded, which
// validation on save prevents).
func (l *Location) Zone() *time.Location {
	z, err := time.LoadLocation(l.TimeZone)
	if err != nil {
		return time.UTC
	}
	return z
}

// Service is a group service such as "Yoga".
type Service struct {
	bun.BaseModel `bun:"table:services"`

	ID              int64  `bun:"id,pk,autoincrement"`
	LocationID      int64  `bun:"location_id"`
	Name            string `bun:"name"`
	Category        string `bun:"category"`
	DurationMin     int    `bun:"duration_min"`
	DefaultCapacity int    `bun:"default_capacity"`
	PriceMinor      int64  `bun:"price_minor"`
	Currency        string `bun:"currency"`
	Color           string `bun:"color"`
	OnlineBooking   bool   `bun:"online_booking"`
	Active          bool   `bun:"active"`
	// MinAttendees is the seats an event needs to run (0: no minimum),
	// decided MinDecideHours before its start (min_attendees.go).
	MinAttendees   int       `bun:"min_attendees"`
	MinDecideHours int       `bun:"min_decide_hours,default:3"`
	CreatedAt      time.Time `bun:"created_at"`
}

// TeamMember is a trainer or teacher who runs events.
type TeamMember struct {
	bun.BaseModel `bun:"table:team_members"`

	ID         int64     `bun:"id,pk,autoincrement"`
	LocationID int64     `bun:"location_id"`
	Name       string    `bun:"name"`
	Title      string    `bun:"title"`
	Active     bool      `bun:"active"`
	CreatedAt  time.Time `bun:"created_at"`
	ServiceIDs []int64   `bun:"-"`
}

type teamMemberService struct {
	bun.BaseModel `bun:"table:team_member_services"`

	TeamMemberID int64 `bun:"team_member_id,pk"`
	ServiceID    int64 `bun:"service_id,pk"`
}

// Event is one scheduled occurrence with a capacity.
type Event struct {
	bun.BaseModel `bun:"table:events,alias:e"`

	ID           int64      `bun:"id,pk,autoincrement"`
	LocationID   int64      `bun:"location_id"`
	ServiceID    int64      `bun:"service_id"`
	TeamMemberID int64      `bun:"team_member_id"`
	SeriesID     int64      `bun:"series_id,nullzero"`
	StartsAt     time.Time  `bun:"starts_at"`
	DurationMin  int        `bun:"duration_min"`
	Capacity     int        `bun:"capacity"`
	SeatsTaken   int        `bun:"seats_taken"`
	Color        string     `bun:"color"`
	Category     string     `bun:"category"`
	Comment      string     `bun:"comment"`
	DeletedAt    *time.Time `bun:"deleted_at"`
	CreatedAt    time.Time  `bun:"created_at"`
	// MinAttendees overrides the service's minimum (nil: the service's).
	MinAttendees *int `bun:"min_attendees"`
	// MinState is the minimum-attendee decision, made once: MinUndecided,
	// MinOK, MinWarned or MinCancelled.
	MinState MinState `bun:"min_state"`
}

// EndsAt is the event's end.
func (e Event) EndsAt() time.Time {
	return e.StartsAt.Add(time.Duration(e.DurationMin) * time.Minute)
}

// SeatsLeft is how many seats can still be booked.
func (e Event) SeatsLeft() int { return e.Capacity - e.SeatsTaken }

// Client is a person known by phone at one location.
type Client struct {
	bun.BaseModel `bun:"table:clients"`

	ID         int64     `bun:"id,pk,autoincrement"`
	LocationID int64     `bun:"location_id"`
	Phone      string    `bun:"phone"`
	FirstName  string    `bun:"first_name"`
	LastName   string    `bun:"last_name"`
	Email      string    `bun:"email"`
	CreatedAt  time.Time `bun:"created_at"`
}

// Status of a booking.
type Status string

// Booking statuses. Cancelled bookings keep their row for history and for the
// client's manage page.
const (
	StatusExpected  Status = "expected"
	StatusConfirmed Status = "confirmed"
	StatusArrived   Status = "arrived"
	StatusNoShow    Status = "no_show"
	StatusCancelled Status = "cancelled"
)

// Valid tells whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusExpected, StatusConfirmed, StatusArrived, StatusNoShow, StatusCancelled:
		return true
	}
	return false
}

// Source says who made a booking.
type Source string

// Booking sources.
const (
	SourceWidget Source = "widget"
	SourceAdmin  Source = "admin"
)

// Who cancelled a booking.
const (
	CancelledByClient       = "client"
	CancelledByAdmin        = "admin"
	CancelledByEventDeleted = "event_deleted"
)

// UTM is the marketing channel a widget booking came through.
type UTM struct {
	Source   string `bun:"utm_source"`
	Medium   string `bun:"utm_medium"`
	Campaign string `bun:"utm_campaign"`
}

// Booking is one client's seats in one event. Bookings made together share a
// group but are otherwise independent.
type Booking struct {
	bun.BaseModel `bun:"table:bookings"`

	ID          int64      `bun:"id,pk,autoincrement"`
	LocationID  int64      `bun:"location_id"`
	GroupID     int64      `bun:"group_id,nullzero"`
	EventID     int64      `bun:"event_id"`
	ClientID    int64      `bun:"client_id"`
	VisitorName string     `bun:"visitor_name"`
	Seats       int        `bun:"seats"`
	Status      Status     `bun:"status"`
	Comment     string     `bun:"comment"`
	Source      Source     `bun:"source"`
	LinkID      int64      `bun:"link_id,nullzero"`
	UTM         UTM        `bun:"embed:"`
	Lang        string     `bun:"lang"`
	CancelledBy string     `bun:"cancelled_by"`
	Sequence    int        `bun:"sequence"`
	CreatedAt   time.Time  `bun:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
	CancelledAt *time.Time `bun:"cancelled_at"`
	// Payment is how the booking is paid (payment.go); PassID is the pass
	// when Payment is PaymentPass, the Paid* fields what the desk took when
	// it is PaymentDesk.
	Payment         Payment    `bun:"payment,default:'unpaid'"`
	PassID          int64      `bun:"pass_id,nullzero"`
	PaidMethod      string     `bun:"paid_method"`
	PaidAmountMinor int64      `bun:"paid_amount_minor"`
	PaidCurrency    string     `bun:"paid_currency"`
	PaidByUserID    int64      `bun:"paid_by_user_id,nullzero"`
	PaidAt          *time.Time `bun:"paid_at"`
	// OnlinePaymentID is the Checkout payment that paid (or, while the
	// Payment is PaymentOnlinePending, is to pay) the booking.
	OnlinePaymentID int64 `bun:"online_payment_id,nullzero"`
}

// Active tells whether the booking still holds seats.
func (b *Booking) Active() bool { return b.Status != StatusCancelled }

// Group is the set of bookings one request created. Its token opens the
// client's manage page without a login.
type Group struct {
	bun.BaseModel `bun:"table:booking_groups"`

	ID          int64     `bun:"id,pk,autoincrement"`
	LocationID  int64     `bun:"location_id"`
	ClientID    int64     `bun:"client_id,nullzero"`
	RequestKey  string    `bun:"request_key"`
	Fingerprint string    `bun:"fingerprint"`
	Token       string    `bun:"token"`
	LinkID      int64     `bun:"link_id,nullzero"`
	Lang        string    `bun:"lang"`
	UTM         UTM       `bun:"embed:"`
	CreatedAt   time.Time `bun:"created_at"`
	// State is GroupBooked, or GroupPendingPayment while its seats are held
	// for an online payment until HoldUntil, or GroupExpired when the hold
	// ran out and the seats went back.
	State     GroupState `bun:"state,default:'booked'"`
	HoldUntil *time.Time `bun:"hold_until"`
	// BuyPassTypeID is the pass type the held group buys online and then
	// books with (0: it pays for the bookings themselves).
	BuyPassTypeID int64 `bun:"buy_pass_type_id,nullzero"`
}
