package booking

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Kinds of outgoing message.
const (
	SMSBooked    = "booked"
	SMSCancelled = "cancelled"
	SMSMoved     = "moved"
	SMSReminder  = "reminder"
	// SMSChanged tells a client that staff changed a booked class (time or
	// team member): one message per client and change, listing every
	// booking it moved, each with its old time (MessageItem.From).
	SMSChanged = "changed"
)

// Outbox message statuses.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"  // permanently: the reason is in LastError
	OutboxSkipped = "skipped" // no longer relevant (a reminder of a cancelled booking)
	// OutboxSuppressed: never sent, by rule (an SMS limit, a country the
	// location does not send to); the reason is in LastError. Workers only
	// claim pending messages, so it is never sent.
	OutboxSuppressed = "suppressed"
)

// OutboxMessage is one SMS to send. It is written in the same transaction
// as the change it reports, so a crash or an SMS outage loses nothing; the
// notify worker sends it.
type OutboxMessage struct {
	bun.BaseModel `bun:"table:outbox"`

	ID         int64  `bun:"id,pk,autoincrement"`
	LocationID int64  `bun:"location_id"`
	Kind       string `bun:"kind"`
	// Channel is ChannelSMS (to Phone) or ChannelEmail (to Email).
	Channel        string     `bun:"channel,default:'sms'"`
	Phone          string     `bun:"phone"`
	Email          string     `bun:"email"`
	WaitlistID     int64      `bun:"waitlist_id,nullzero"`
	Lang           string     `bun:"lang"`
	GroupID        int64      `bun:"group_id,nullzero"`
	BookingID      int64      `bun:"booking_id,nullzero"`
	Payload        string     `bun:"payload"` // JSON MessagePayload
	Status         string     `bun:"status"`
	Attempts       int        `bun:"attempts"`
	DueAt          time.Time  `bun:"due_at"`
	NextAttemptAt  time.Time  `bun:"next_attempt_at"`
	LeaseOwner     string     `bun:"lease_owner"`
	LeaseUntil     *time.Time `bun:"lease_until"`
	ProviderSID    string     `bun:"provider_sid"`
	DeliveryStatus string     `bun:"delivery_status"`
	LastError      string     `bun:"last_error"`
	CreatedAt      time.Time  `bun:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at"`
	SentAt         *time.Time `bun:"sent_at"`
}

// MessagePayload is what a message's text is made from, captured when the
// change happened, so the text says what was true then.
type MessagePayload struct {
	Location string        `json:"location"`
	TimeZone string        `json:"tz"`
	Token    string        `json:"token,omitempty"` // the manage link's token
	Items    []MessageItem `json:"items"`
	// From is the old start of a moved booking.
	From *time.Time `json:"from,omitempty"`
	// By says who cancelled: client, admin or event_deleted.
	By string `json:"by,omitempty"`
	// Pass is the pass that paid a booking, for the "booked" text.
	Pass *MessagePass `json:"pass,omitempty"`
	// Refund is the money given back, for the "refunded" text.
	Refund *MessageRefund `json:"refund,omitempty"`
	// Waitlist is the place in line of a waitlist message.
	Waitlist *MessageWaitlist `json:"waitlist,omitempty"`
	// Staff is the client and event of a message to staff.
	Staff *MessageStaff `json:"staff,omitempty"`
}

// MessageRefund is a refund as a message names it: the amount in minor
// units of its currency (ISO 4217, upper case).
type MessageRefund struct {
	AmountMinor int64  `json:"amount"`
	Currency    string `json:"currency"`
}

// MessagePass is a pass as a message names it: its name and the visits
// left after the change (Unlimited: it counts none).
type MessagePass struct {
	Name      string `json:"name"`
	Left      int    `json:"left"`
	Unlimited bool   `json:"unlimited,omitempty"`
}

// MessageItem is one booking in a message.
type MessageItem struct {
	BookingID int64     `json:"booking"`
	Service   string    `json:"service"`
	Start     time.Time `json:"start"`
	Seats     int       `json:"seats"`
	// Minutes and Sequence build the e-mail's .ics (the event's length,
	// the booking's iCalendar SEQUENCE).
	Minutes  int `json:"min,omitempty"`
	Sequence int `json:"seq,omitempty"`
	// From and FromMember are what a "changed" or client-rescheduled
	// booking was before: its old start and old team member's name
	// (empty when the team member stayed). Member is the team member now.
	From       *time.Time `json:"from_start,omitempty"`
	FromMember string     `json:"from_member,omitempty"`
	Member     string     `json:"member,omitempty"`
}

// Payload decodes the message's payload.
func (m *OutboxMessage) DecodePayload() (*MessagePayload, error) {
	p := new(MessagePayload)
	if err := json.Unmarshal([]byte(m.Payload), p); err != nil {
		return nil, fmt.Errorf("outbox %d payload: %w", m.ID, err)
	}
	return p, nil
}

// outboxWriter queues the messages of one transaction, if the location
// has SMS on.
type outboxWriter struct {
	tx       bun.Tx
	now      time.Time
	settings *SMSSettings
	loc      *Location
	services map[int64]string
	// allowed are the countries SMS may go to (see AllowedCountries).
	allowed []string
	// origin is the widget client the change came from; nil for staff,
	// whose messages are not limited. counts are its keys' counts.
	origin *smsOrigin
	counts map[string]*smsCount
	// tokens are manage tokens of groups already known to the caller.
	tokens map[int64]string
	// waitlistID is the entry a waitlist message is about (outbox.waitlist_id).
	waitlistID int64
	// batched: messages and counted SMS wait in msgs and rates until
	// flush writes each kind in one INSERT (a booking's messages are
	// decided one by one, but need not travel one by one).
	batched bool
	msgs    []OutboxMessage
	rates   []rateEvent
	phoneOK map[string]bool
}

func newOutboxWriter(ctx context.Context, tx bun.Tx, locationID int64, now time.Time) (*outboxWriter, error) {
	st, err := smsSettings(ctx, tx, locationID)
	if err != nil {
		return nil, err
	}
	// The location is read even with SMS off: its channel may send e-mail.
	loc := new(Location)
	if err := tx.NewSelect().Model(loc).Where("id = ?", locationID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("outbox location: %w", err)
	}
	return outboxWriterFor(tx, loc, st, now), nil
}

// outboxWriterFor is newOutboxWriter for a caller that has already read
// the location and its SMS settings.
func outboxWriterFor(tx bun.Tx, loc *Location, st *SMSSettings, now time.Time) *outboxWriter {
	w := &outboxWriter{tx: tx, now: now, settings: st, loc: loc, services: map[int64]string{}, tokens: map[int64]string{}}
	if st.Enabled {
		w.allowed = st.AllowedCountries(loc.Country)
	}
	return w
}

// flush writes what a batched writer holds.
func (w *outboxWriter) flush(ctx context.Context) error {
	if len(w.rates) > 0 {
		if _, err := w.tx.NewInsert().Model(&w.rates).Exec(ctx); err != nil {
			return fmt.Errorf("count sms: %w", err)
		}
	}
	if len(w.msgs) > 0 {
		if _, err := w.tx.NewInsert().Model(&w.msgs).Exec(ctx); err != nil {
			return fmt.Errorf("queue messages: %w", err)
		}
	}
	w.rates, w.msgs = nil, nil
	return nil
}

// on tells whether the location sends client messages by any channel.
func (w *outboxWriter) on() bool {
	return w.settings.Enabled || (w.loc != nil && w.loc.MessageChannel != ChannelSMSOnly && w.loc.MessageChannel.Valid())
}

func (w *outboxWriter) item(ctx context.Context, b *Booking, ev *Event) (MessageItem, error) {
	name, ok := w.services[ev.ServiceID]
	if !ok {
		svc := new(Service)
		if err := w.tx.NewSelect().Model(svc).Column("name").Where("id = ?", ev.ServiceID).Scan(ctx); err != nil {
			return MessageItem{}, fmt.Errorf("outbox service: %w", err)
		}
		name = svc.Name
		w.services[ev.ServiceID] = name
	}
	return MessageItem{BookingID: b.ID, Service: name, Start: ev.StartsAt.UTC(), Seats: b.Seats, Minutes: ev.DurationMin, Sequence: b.Sequence}, nil
}

// recipient is who a client message goes to: the channels chosen for the
// location pick from the contacts the client gave.
type recipient struct {
	Phone string
	Email string
}

// channels says which channels a message to r goes by under the
// location's settings: SMS only while SMS is on; e-mail to a client who
// gave an address when the location sends e-mail; with "e-mail" chosen,
// SMS only for a client without one.
func (w *outboxWriter) channels(r recipient) (sms, email bool) {
	ch := ChannelSMSOnly
	if w.loc != nil && w.loc.MessageChannel.Valid() {
		ch = w.loc.MessageChannel
	}
	email = r.Email != "" && ch != ChannelSMSOnly
	sms = w.settings.Enabled && r.Phone != "" && (ch != ChannelEmailFirst || !email)
	return sms, email
}

// add writes one message due at `due`, one row per channel the location
// and the client's contacts call for.
func (w *outboxWriter) add(ctx context.Context, kind string, to recipient, lang string, groupID, bookingID int64, p MessagePayload, due time.Time) error {
	sms, email := w.channels(to)
	if !sms && !email {
		return nil
	}
	p.Location, p.TimeZone = w.loc.Name, w.loc.TimeZone
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("outbox payload: %w", err)
	}
	if lang == "" {
		lang = w.loc.DefaultLang
	}
	var waitlistID int64
	if p.Waitlist != nil {
		waitlistID = w.waitlistID
	}
	row := func(channel, phone, addr string) OutboxMessage {
		return OutboxMessage{
			LocationID: w.loc.ID, Kind: kind, Channel: channel, Phone: phone, Email: addr, Lang: lang,
			GroupID: groupID, BookingID: bookingID, WaitlistID: waitlistID,
			Payload: string(raw), Status: OutboxPending, DueAt: due, NextAttemptAt: due,
			CreatedAt: w.now, UpdatedAt: w.now,
		}
	}
	var rows []OutboxMessage
	if sms {
		m := row(ChannelSMS, to.Phone, "")
		if m.Status, m.LastError, err = w.decide(ctx, to.Phone); err != nil {
			return err
		}
		rows = append(rows, m)
	}
	if email {
		rows = append(rows, row(ChannelEmail, "", to.Email))
	}
	if w.batched {
		w.msgs = append(w.msgs, rows...)
		return nil
	}
	if _, err := w.tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("queue %s message: %w", kind, err)
	}
	return nil
}

// decide says whether a message to phone is sent (pending) or suppressed,
// and why. No SMS goes to a country the location did not allow, whoever
// caused it (staff may enter any client, but a premium foreign number must
// not cost the studio); a widget client's messages count against the SMS
// limits.
func (w *outboxWriter) decide(ctx context.Context, phone string) (status, reason string, err error) {
	if !w.phoneAllowed(phone) {
		return OutboxSuppressed, "country:" + cmp.Or(PhoneCountry(phone), "?"), nil
	}
	if w.origin == nil {
		return OutboxPending, "", nil
	}
	reason, err = w.take(ctx, phone)
	if err != nil || reason == "" {
		return OutboxPending, "", err
	}
	return OutboxSuppressed, reason, nil
}

// phoneAllowed is phoneAllowed for the location's countries, parsing each
// phone once per writer: a booking's messages all go to one phone, and
// parsing a number is the costliest step of deciding.
func (w *outboxWriter) phoneAllowed(phone string) bool {
	if ok, seen := w.phoneOK[phone]; seen {
		return ok
	}
	ok := phoneAllowed(w.allowed, phone)
	if w.phoneOK == nil {
		w.phoneOK = map[string]bool{}
	}
	w.phoneOK[phone] = ok
	return ok
}

// reminder queues a booking's reminder, unless reminders are off or the
// reminder time has already passed.
func (w *outboxWriter) reminder(ctx context.Context, to recipient, b *Booking, ev *Event) error {
	if w.settings.ReminderHours == 0 {
		return nil
	}
	due := ev.StartsAt.Add(-time.Duration(w.settings.ReminderHours) * time.Hour)
	if !due.After(w.now) {
		return nil
	}
	it, err := w.item(ctx, b, ev)
	if err != nil {
		return err
	}
	return w.add(ctx, SMSReminder, to, b.Lang, b.GroupID, b.ID, MessagePayload{Items: []MessageItem{it}, Token: w.token(ctx, b.GroupID)}, due)
}

// token returns a group's manage token for the message's link.
func (w *outboxWriter) token(ctx context.Context, groupID int64) string {
	if groupID == 0 {
		return ""
	}
	if t, ok := w.tokens[groupID]; ok {
		return t
	}
	g := new(Group)
	if err := w.tx.NewSelect().Model(g).Column("token").Where("id = ?", groupID).Scan(ctx); err != nil {
		return ""
	}
	return g.Token
}

// skipReminders drops a booking's pending reminders: it was cancelled or
// moved (a moved booking gets a new one).
func (w *outboxWriter) skipReminders(ctx context.Context, bookingID int64) error {
	_, err := w.tx.NewUpdate().Model((*OutboxMessage)(nil)).
		Set("status = ?", OutboxSkipped).Set("updated_at = ?", w.now).
		Where("booking_id = ? AND kind = ? AND status = ?", bookingID, SMSReminder, OutboxPending).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("skip reminders of booking %d: %w", bookingID, err)
	}
	return nil
}

// clientContact reads a client's phone and e-mail for a message.
func clientContact(ctx context.Context, tx bun.Tx, clientID int64) (recipient, error) {
	cl := new(Client)
	if err := tx.NewSelect().Model(cl).Column("phone", "email").Where("id = ?", clientID).Scan(ctx); err != nil {
		return recipient{}, fmt.Errorf("client %d contact: %w", clientID, err)
	}
	return recipient{Phone: cl.Phone, Email: cl.Email}, nil
}
