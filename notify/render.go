package notify

import (
	"fmt"
	"strings"
	"time"

	"groupbook/booking"
	"groupbook/locales"
)

// Render returns the text of an outbox message in the client's language,
// with times in the location's zone and the manage link built on baseURL.
// The texts aim at one SMS segment in English (160 GSM-7 characters) for a
// booking of one event: the location first, so the client knows who
// writes; the date as "Tue 3 Mar"; several events as the first one and
// "and N more", since the manage link lists them all. An error here is
// permanent: the same payload will not render better later.
func Render(b *locales.Bundle, baseURL string, m *booking.OutboxMessage) (string, error) {
	p, err := m.DecodePayload()
	if err != nil {
		return "", Permanent(err)
	}
	if m.Kind == booking.SMSRefunded {
		return renderRefunded(b, baseURL, m, p)
	}
	if len(p.Items) == 0 {
		return "", Permanent(fmt.Errorf("outbox %d: payload without bookings", m.ID))
	}
	zone := time.UTC
	if p.TimeZone != "" {
		z, err := time.LoadLocation(p.TimeZone)
		if err != nil {
			return "", Permanent(fmt.Errorf("outbox %d: time zone: %w", m.ID, err))
		}
		zone = z
	}
	l := b.Localizer(m.Lang)
	first := p.Items[0]
	start := first.Start.In(zone)
	data := map[string]any{
		"Location": p.Location,
		"Service":  first.Service,
		"Date":     l.DateShort(start),
		"Time":     l.Clock(start),
	}
	if first.Seats > 1 {
		data["Service"] = first.Service + " (" + l.N("sms_seats", first.Seats) + ")"
	}
	link := ""
	if p.Token != "" {
		link = strings.TrimRight(baseURL, "/") + "/m/" + p.Token
	}

	var text, linkID string
	switch m.Kind {
	case booking.SMSBooked:
		linkID = "sms_link_manage"
		if more := len(p.Items) - 1; more > 0 {
			text = l.N("sms_booked_many", more, data)
		} else {
			text = l.T("sms_booked_one", data)
		}
		if pp := p.Pass; pp != nil {
			// A pass is money: the client learns at once what it paid and
			// what is left on it.
			if pp.Unlimited {
				text += " " + l.T("sms_booked_pass_unlimited", map[string]any{"Pass": pp.Name})
			} else {
				text += " " + l.T("sms_booked_pass", map[string]any{"Pass": pp.Name, "Left": l.N("sms_pass_left", pp.Left)})
			}
		}
	case booking.SMSReminder:
		linkID = "sms_link_manage"
		text = l.T("sms_reminder", data)
	case booking.SMSMoved:
		if p.From == nil {
			return "", Permanent(fmt.Errorf("outbox %d: moved without the old time", m.ID))
		}
		from := p.From.In(zone)
		data["FromDate"], data["FromTime"] = l.DateShort(from), l.Clock(from)
		linkID = "sms_link_details"
		text = l.T("sms_moved", data)
	case booking.SMSCancelled:
		linkID = "sms_link_details"
		switch p.By {
		case booking.CancelledByAdmin:
			text = l.T("sms_cancelled_admin", data)
		case booking.CancelledByEventDeleted:
			text = l.T("sms_cancelled_event", data)
		default:
			text = l.T("sms_cancelled_client", data)
		}
	default:
		return "", Permanent(fmt.Errorf("outbox %d: unknown kind %q", m.ID, m.Kind))
	}
	if link != "" {
		text += " " + l.T(linkID, map[string]any{"Link": link})
	}
	return text, nil
}

// renderRefunded tells a client that a payment which came too late, or
// twice, is being refunded: the amount is money, so it is named; the
// details link shows where the booking stands.
func renderRefunded(b *locales.Bundle, baseURL string, m *booking.OutboxMessage, p *booking.MessagePayload) (string, error) {
	if p.Refund == nil || p.Refund.AmountMinor <= 0 || p.Refund.Currency == "" {
		return "", Permanent(fmt.Errorf("outbox %d: refunded without an amount", m.ID))
	}
	l := b.Localizer(m.Lang)
	// Money keeps its parts together with no-break spaces on a page; in an
	// SMS any character outside GSM-7 makes the whole text UCS-2, a third
	// of the length per segment, so they become plain spaces.
	amount := smsSpaces.Replace(l.Money(p.Refund.AmountMinor, p.Refund.Currency))
	text := l.T("sms_refunded", map[string]any{"Location": p.Location, "Amount": amount})
	if p.Token != "" {
		text += " " + l.T("sms_link_details", map[string]any{"Link": strings.TrimRight(baseURL, "/") + "/m/" + p.Token})
	}
	return text, nil
}

// smsSpaces turns the no-break spaces of formatted numbers into spaces.
var smsSpaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2009", " ")
