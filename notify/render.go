package notify

import (
	"fmt"
	"strings"
	"time"

	"groupbook/booking"
	"groupbook/locales"
)

// Render returns the SMS text of an outbox message in the client's
// language, with times in the location's zone and the manage link built on
// baseURL. The texts aim at one SMS segment in English (160 GSM-7
// characters) for a booking of one event: the location first, so the
// client knows who writes; the date as "Tue 3 Mar"; several events as the
// first one and "and N more", since the manage link lists them all. An
// error here is permanent: the same payload will not render better later.
func Render(b *locales.Bundle, baseURL string, m *booking.OutboxMessage, opts ...RenderOptions) (string, error) {
	if isStaffKind(m.Kind) {
		return "", Permanent(fmt.Errorf("outbox %d: %s goes by e-mail only", m.ID, m.Kind))
	}
	c, err := compose(b, baseURL, m, firstOpts(opts))
	if err != nil {
		return "", err
	}
	text := c.lead
	if c.link != "" {
		text += " " + c.l.T(c.linkID, map[string]any{"Link": c.link})
	}
	return text, nil
}

// RenderOptions are what a text needs beyond its payload, read from the
// location when the message is sent.
type RenderOptions struct {
	// FirstClaim: the location offers freed seats to everyone who fits
	// and the first claim wins, so an offer holds nothing and says so.
	FirstClaim bool
}

func firstOpts(opts []RenderOptions) RenderOptions {
	if len(opts) > 0 {
		return opts[0]
	}
	return RenderOptions{}
}

// composed is what both channels say about a client message: the lead
// sentence (the SMS text without its link), the link and how to label it.
type composed struct {
	l    *locales.Localizer
	p    *booking.MessagePayload
	zone *time.Location
	// data are the lead's template values (Location, Service, Date, Time).
	data map[string]any
	lead string
	link string
	// linkID labels the link in an SMS ("Manage your booking: URL"),
	// buttonID on the e-mail's button.
	linkID, buttonID string
}

// isStaffKind tells the messages that go to staff, by e-mail only.
func isStaffKind(kind string) bool { return strings.HasPrefix(kind, "staff_") }

// compose builds the parts of a client message of any kind.
func compose(b *locales.Bundle, baseURL string, m *booking.OutboxMessage, opt RenderOptions) (*composed, error) {
	p, err := m.DecodePayload()
	if err != nil {
		return nil, Permanent(err)
	}
	zone, err := payloadZone(m, p)
	if err != nil {
		return nil, err
	}
	c := &composed{l: b.Localizer(m.Lang), p: p, zone: zone}
	base := strings.TrimRight(baseURL, "/")
	if m.Kind == booking.SMSRefunded {
		return c, c.refunded(m, base)
	}
	if len(p.Items) == 0 {
		return nil, Permanent(fmt.Errorf("outbox %d: payload without bookings", m.ID))
	}
	l := c.l
	first := p.Items[0]
	start := first.Start.In(zone)
	c.data = map[string]any{
		"Location": p.Location,
		"Service":  first.Service,
		"Date":     l.DateShort(start),
		"Time":     l.Clock(start),
	}
	data := c.data
	if first.Seats > 1 {
		data["Service"] = first.Service + " (" + l.N("sms_seats", first.Seats) + ")"
	}
	if p.Token != "" {
		c.link = base + "/m/" + p.Token
	}

	switch m.Kind {
	case booking.SMSBooked:
		c.linkID, c.buttonID = "sms_link_manage", "mail_button_manage"
		if more := len(p.Items) - 1; more > 0 {
			c.lead = l.N("sms_booked_many", more, data)
		} else {
			c.lead = l.T("sms_booked_one", data)
		}
		if pp := p.Pass; pp != nil {
			// A pass is money: the client learns at once what it paid and
			// what is left on it.
			if pp.Unlimited {
				c.lead += " " + l.T("sms_booked_pass_unlimited", map[string]any{"Pass": pp.Name})
			} else {
				c.lead += " " + l.T("sms_booked_pass", map[string]any{"Pass": pp.Name, "Left": l.N("sms_pass_left", pp.Left)})
			}
		}
	case booking.SMSReminder:
		c.linkID, c.buttonID = "sms_link_manage", "mail_button_manage"
		c.lead = l.T("sms_reminder", data)
	case booking.SMSMoved:
		if p.From == nil {
			return nil, Permanent(fmt.Errorf("outbox %d: moved without the old time", m.ID))
		}
		from := p.From.In(zone)
		data["FromDate"], data["FromTime"] = l.DateShort(from), l.Clock(from)
		c.linkID, c.buttonID = "sms_link_details", "mail_button_details"
		c.lead = l.T("sms_moved", data)
	case booking.SMSChanged:
		if err := c.changed(m); err != nil {
			return nil, err
		}
	case booking.SMSCancelled:
		c.linkID, c.buttonID = "sms_link_details", "mail_button_details"
		switch p.By {
		case booking.CancelledByAdmin:
			c.lead = l.T("sms_cancelled_admin", data)
		case booking.CancelledByEventDeleted:
			c.lead = l.T("sms_cancelled_event", data)
		case booking.CancelledByMinAttendees:
			c.lead = l.T("sms_cancelled_min", data)
		default:
			c.lead = l.T("sms_cancelled_client", data)
		}
	case booking.MsgWaitlistJoined, booking.MsgWaitlistOffer:
		if err := c.waitlist(m, base, opt); err != nil {
			return nil, err
		}
	default:
		return nil, Permanent(fmt.Errorf("outbox %d: unknown kind %q", m.ID, m.Kind))
	}
	return c, nil
}

// waitlist composes a place in line or an offer of seats; the link opens
// the client's waitlist page, where the offer is claimed.
func (c *composed) waitlist(m *booking.OutboxMessage, base string, opt RenderOptions) error {
	w := c.p.Waitlist
	if w == nil || w.Token == "" || w.Seats < 1 {
		return Permanent(fmt.Errorf("outbox %d: %s without its waitlist entry", m.ID, m.Kind))
	}
	l, data := c.l, c.data
	// The party size is the point of a waitlist message: always said.
	data["Service"] = c.p.Items[0].Service
	data["Seats"] = l.N("sms_seats", w.Seats)
	c.link = base + "/wl/" + w.Token
	if m.Kind == booking.MsgWaitlistJoined {
		c.linkID, c.buttonID = "sms_link_waitlist", "mail_button_waitlist"
		data["Position"] = w.Position
		if w.Position > 0 {
			c.lead = l.T("sms_waitlist_joined", data)
		} else {
			c.lead = l.T("sms_waitlist_joined_noplace", data)
		}
		return nil
	}
	c.linkID, c.buttonID = "sms_link_claim", "mail_button_claim"
	if w.Until == nil {
		// An offer without an end runs until the seats are gone.
		c.lead = l.T("sms_waitlist_offer_first", data)
		return nil
	}
	until := w.Until.In(c.zone)
	data["Until"] = l.Clock(until)
	if sent := m.CreatedAt; !sent.IsZero() && !sameDay(sent.In(c.zone), until) {
		data["Until"] = l.DateShort(until) + " " + l.Clock(until)
	}
	if opt.FirstClaim {
		// Nothing is held: everyone who fits heard the same.
		c.lead = l.T("sms_waitlist_offer_first_until", data)
		return nil
	}
	c.lead = l.T("sms_waitlist_offer", data)
	return nil
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// payloadZone is the location's zone the message's times are shown in.
func payloadZone(m *booking.OutboxMessage, p *booking.MessagePayload) (*time.Location, error) {
	if p.TimeZone == "" {
		return time.UTC, nil
	}
	z, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return nil, Permanent(fmt.Errorf("outbox %d: time zone: %w", m.ID, err))
	}
	return z, nil
}

// refunded tells a client that a payment which came too late, or twice,
// is being refunded: the amount is money, so it is named; the details link
// shows where the booking stands.
func (c *composed) refunded(m *booking.OutboxMessage, base string) error {
	p := c.p
	if p.Refund == nil || p.Refund.AmountMinor <= 0 || p.Refund.Currency == "" {
		return Permanent(fmt.Errorf("outbox %d: refunded without an amount", m.ID))
	}
	// Money keeps its parts together with no-break spaces on a page; in an
	// SMS any character outside GSM-7 makes the whole text UCS-2, a third
	// of the length per segment, so they become plain spaces.
	amount := smsSpaces.Replace(c.l.Money(p.Refund.AmountMinor, p.Refund.Currency))
	c.data = map[string]any{"Location": p.Location, "Amount": amount}
	c.lead = c.l.T("sms_refunded", c.data)
	if p.Token != "" {
		c.link = base + "/m/" + p.Token
		c.linkID, c.buttonID = "sms_link_details", "mail_button_details"
	}
	return nil
}

// smsSpaces turns the no-break spaces of formatted numbers into spaces.
var smsSpaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2009", " ")
