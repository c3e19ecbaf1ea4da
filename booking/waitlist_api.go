package booking

// The API of the waitlist, minimum attendees and the e-mail channel
// (issue 12), agreed before it was built so the core, the widget, the
// admin and the senders could be written at once. Types live here; the
// methods in waitlist_*.go, min_attendees*.go and outbox*.go.

import (
	"errors"
	"time"

	"github.com/uptrace/bun"
)

// WaitlistMode is how a location offers freed seats.
type WaitlistMode string

// Waitlist modes.
const (
	// WaitlistInOrder offers freed seats to the first entry in line whose
	// party fits, reserving them for the claim window.
	WaitlistInOrder WaitlistMode = "in_order"
	// WaitlistFirstClaim tells every entry that fits; nothing is reserved
	// and the first claim wins.
	WaitlistFirstClaim WaitlistMode = "first_claim"
)

// Valid tells whether m is a known mode.
func (m WaitlistMode) Valid() bool { return m == WaitlistInOrder || m == WaitlistFirstClaim }

// Limits of the location's waitlist settings.
const (
	DefaultWaitlistClaimMin = 120
	MinWaitlistClaimMin     = 15
	MaxWaitlistClaimMin     = 1440
	DefaultWaitlistMax      = 20
	MaxWaitlistMax          = 500
)

// WaitlistState is where a waitlist entry stands.
type WaitlistState string

// Waitlist entry states. Waiting and offered entries are "in line"; the
// others are history.
const (
	WaitWaiting WaitlistState = "waiting"
	// WaitOffered: seats were offered until OfferUntil (reserved for it in
	// in-order mode).
	WaitOffered WaitlistState = "offered"
	// WaitBooked: claimed (or moved in by staff); GroupID is the booking.
	WaitBooked WaitlistState = "booked"
	// WaitLeft: the client left the line or declined an offer.
	WaitLeft WaitlistState = "left"
	// WaitRemoved: staff removed the entry.
	WaitRemoved WaitlistState = "removed"
	// WaitExpired: an offer ran out unclaimed; the seats went to the next.
	WaitExpired WaitlistState = "expired"
	// WaitClosed: the event started, was deleted or cancelled.
	WaitClosed WaitlistState = "closed"
)

// InLine tells whether the state still holds a place in line.
func (s WaitlistState) InLine() bool { return s == WaitWaiting || s == WaitOffered }

// WaitlistEntry is one client's place in line for one event, for a party
// of Seats. Its Token opens the client's waitlist page without a login.
type WaitlistEntry struct {
	bun.BaseModel `bun:"table:waitlist_entries,alias:w"`

	ID         int64         `bun:"id,pk,autoincrement"`
	LocationID int64         `bun:"location_id"`
	EventID    int64         `bun:"event_id"`
	ClientID   int64         `bun:"client_id"`
	LinkID     int64         `bun:"link_id,nullzero"`
	Seats      int           `bun:"seats"`
	Lang       string        `bun:"lang"`
	Token      string        `bun:"token"`
	Position   int64         `bun:"position"`
	State      WaitlistState `bun:"state"`
	// Reserved: the offer holds its seats in the event's seats_taken.
	Reserved   bool       `bun:"reserved"`
	OfferedAt  *time.Time `bun:"offered_at"`
	OfferUntil *time.Time `bun:"offer_until"`
	GroupID    int64      `bun:"group_id,nullzero"`
	UTM        UTM        `bun:"embed:"`
	CreatedAt  time.Time  `bun:"created_at"`
	UpdatedAt  time.Time  `bun:"updated_at"`
}

// JoinWaitlistRequest asks for a place in line. Like a ReserveRequest it
// comes through a widget link (nil Link: staff adding someone) and its
// contact is checked by the link's rules.
type JoinWaitlistRequest struct {
	LocationID int64
	Link       *Link
	EventID    int64
	Seats      int
	Client     ClientInput
	Lang       string
	UTM        UTM
	// ClientIP is counted by the SMS limits for the "joined" message.
	ClientIP string
}

// WaitlistView is an entry as its client's page shows it.
type WaitlistView struct {
	Entry   WaitlistEntry
	Event   Event
	Service string
	Member  string
	Client  Client
	// Position is the 1-based place among the entries in line (0 when the
	// entry is no longer in line).
	Position int
	// GroupToken is the manage token of the booking a claim made.
	GroupToken string
}

// WaitlistRow is an entry as the event window lists it.
type WaitlistRow struct {
	Entry    WaitlistEntry
	Client   Client
	Position int // 1-based among the entries in line
}

// Errors of the waitlist.
var (
	// ErrWaitlistOff: the link (or the event) takes no waitlist.
	ErrWaitlistOff = errors.New("waitlist is not available")
	// ErrWaitlistFull: the line reached the location's maximum.
	ErrWaitlistFull = errors.New("waitlist is full")
	// ErrSeatsAvailable: the seats wanted are free: book them instead.
	ErrSeatsAvailable = errors.New("seats are available")
	// ErrPartyTooLarge: more seats than the event holds.
	ErrPartyTooLarge = errors.New("party larger than the event")
	// ErrOfferGone: the offer expired, was declined, claimed, or is not
	// this client's.
	ErrOfferGone = errors.New("waitlist offer is no longer valid")
	// ErrOfferNotYours: the claim's phone is not the entry's client's.
	ErrOfferNotYours = errors.New("waitlist offer belongs to another client")
)

// AlreadyWaitingError refuses a second place in line for one client and
// event; Entry is the existing place (its token opens its page).
type AlreadyWaitingError struct{ Entry WaitlistEntry }

func (e *AlreadyWaitingError) Error() string { return "already on the waitlist" }

// Job kinds of the core, run by the job worker through Store.RunCoreJob.
const (
	// JobOfferExpire ends a waitlist offer (RefID: the entry) at its
	// OfferUntil and offers the seats to the next.
	JobOfferExpire = "waitlist_offer_expire"
	// JobMinAttendees is the recurring sweep that decides events whose
	// minimum-attendee decision time has come (one row, rescheduled).
	JobMinAttendees = "min_attendees_sweep"
)

// MinAttendeesSweepKey is the unique key of the recurring sweep job.
const MinAttendeesSweepKey = "min_attendees_sweep"

// MinAttendeesSweepEvery is how often the sweep runs: decisions are at most
// this late.
const MinAttendeesSweepEvery = time.Minute

// MinState is an event's minimum-attendee decision.
type MinState string

// Minimum-attendee decisions.
const (
	MinUndecided MinState = ""
	MinOK        MinState = "ok"
	MinWarned    MinState = "warned"
	MinCancelled MinState = "cancelled"
)

// CancelledByMinAttendees marks bookings of an event cancelled because it
// did not reach its minimum: like a deleted event, visits come back and
// online payments are refunded in full.
const CancelledByMinAttendees = "min_attendees"

// Limits of a service's minimum-attendee decision time.
const (
	DefaultMinDecideHours = 3
	MaxMinDecideHours     = 168
)

// MessageChannel is how a location's client messages go.
type MessageChannel string

// Message channels of a location.
const (
	ChannelSMSOnly MessageChannel = "sms"
	// ChannelEmailFirst: e-mail; SMS (if on) for a client without e-mail.
	ChannelEmailFirst MessageChannel = "email"
	ChannelBoth       MessageChannel = "both"
)

// Valid tells whether c is a known channel setting.
func (c MessageChannel) Valid() bool {
	return c == ChannelSMSOnly || c == ChannelEmailFirst || c == ChannelBoth
}

// Channels of one outbox row.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// Kinds of outgoing message added by issue 12 (see outbox.go for the rest).
const (
	// MsgWaitlistJoined confirms a place in line (link to its page).
	MsgWaitlistJoined = "waitlist_joined"
	// MsgWaitlistOffer offers seats until a time (link to claim).
	MsgWaitlistOffer = "waitlist_offer"
	// MsgStaffBooked and MsgStaffCancelled tell staff by e-mail about a
	// booking or cancellation made online.
	MsgStaffBooked    = "staff_booked"
	MsgStaffCancelled = "staff_cancelled"
	// MsgStaffMoved tells staff a client rescheduled a booking online
	// (issue 13): the line is the new time, with the old one beside it.
	MsgStaffMoved = "staff_moved"
	// MsgStaffMinWarning warns staff that an event is below its minimum at
	// its decision time (the location does not cancel automatically).
	MsgStaffMinWarning = "staff_min_warning"
)

// MessageWaitlist is a waitlist place as a message names it.
type MessageWaitlist struct {
	Token    string     `json:"token"`
	Seats    int        `json:"seats"`
	Position int        `json:"position,omitempty"`
	Until    *time.Time `json:"until,omitempty"`
}

// MessageStaff is what a staff message says about the client and event.
type MessageStaff struct {
	Client  string `json:"client"`
	Phone   string `json:"phone,omitempty"`
	EventID int64  `json:"event"`
	// Booked and Min are the seats taken and the minimum (warnings).
	Booked int `json:"booked,omitempty"`
	Min    int `json:"min,omitempty"`
}
