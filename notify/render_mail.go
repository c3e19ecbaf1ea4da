package notify

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"groupbook/booking"
	"groupbook/locales"
	"groupbook/widget"
)

// Email is an outbox message as an e-mail: a subject, the plain text, the
// same as simple HTML, and the calendar file of the bookings it is about.
type Email struct {
	Subject     string
	Text        string
	HTML        string
	Attachments []Attachment
}

// mailLine is one line of the e-mail's list: a booking's date and what.
type mailLine struct{ When, What string }

// mailBody is what the text and HTML templates show.
type mailBody struct {
	Lang       string
	Subject    string
	Paragraphs []string
	Lines      []mailLine
	Link       string
	Button     string
	Footer     string
}

// RenderEmail renders an outbox message of any kind as an e-mail in the
// message's language. Client messages say what their SMS says, with every
// booking listed and a button for the link; "booked", "moved" and
// "changed" carry the bookings' .ics (the widget's UIDs, so a calendar
// that imported them updates), "cancelled" one that removes them. Staff messages name the
// client and link to the event in the admin. now is the calendar's
// DTSTAMP. An error is permanent, as for Render.
func RenderEmail(b *locales.Bundle, baseURL string, m *booking.OutboxMessage, now time.Time, opts ...RenderOptions) (*Email, error) {
	if isStaffKind(m.Kind) {
		return renderStaffEmail(b, baseURL, m)
	}
	c, err := compose(b, baseURL, m, firstOpts(opts))
	if err != nil {
		return nil, err
	}
	l := c.l
	body := mailBody{Lang: m.Lang, Paragraphs: []string{c.lead}, Link: c.link,
		Footer: l.T("mail_footer", map[string]any{"Location": c.p.Location})}
	if c.link != "" {
		body.Button = l.T(c.buttonID)
	}
	subjectData := map[string]any{"Location": c.p.Location}
	if m.Kind != booking.SMSRefunded {
		body.Lines = c.lines()
		subjectData["Service"] = c.p.Items[0].Service
		subjectData["Date"] = c.data["Date"]
	}
	body.Subject = l.T("mail_subject_"+m.Kind, subjectData)
	e, err := body.render()
	if err != nil {
		return nil, Permanent(fmt.Errorf("outbox %d: %w", m.ID, err))
	}
	if method, ok := icsMethods[m.Kind]; ok {
		a, err := c.calendar(baseURL, method, now)
		if err != nil {
			return nil, Permanent(fmt.Errorf("outbox %d: %w", m.ID, err))
		}
		if a != nil {
			e.Attachments = append(e.Attachments, *a)
		}
	}
	return e, nil
}

// icsMethods are the kinds that carry a calendar file, and its METHOD.
var icsMethods = map[string]string{
	booking.SMSBooked: "PUBLISH",
	booking.SMSMoved:  "PUBLISH",
	// A staff change: the same UIDs at a higher SEQUENCE, so a calendar
	// that imported the bookings moves them. PUBLISH, as for "moved": a
	// REQUEST is an invitation that needs an ORGANIZER and ATTENDEEs
	// (RFC 5546) and asks the client to answer, which nobody reads.
	booking.SMSChanged:   "PUBLISH",
	booking.SMSCancelled: "CANCEL",
}

// lines lists every booking of the message: "Tuesday, 3 March, 19:00" and
// "Yoga (2 seats)".
func (c *composed) lines() []mailLine {
	out := make([]mailLine, 0, len(c.p.Items))
	for _, it := range c.p.Items {
		start := it.Start.In(c.zone)
		what := it.Service
		if it.Seats > 1 {
			what += " (" + c.l.N("sms_seats", it.Seats) + ")"
		}
		what += c.changedNote(it)
		out = append(out, mailLine{When: c.l.DateLong(start) + ", " + c.l.Clock(start), What: what})
	}
	return out
}

// calendar builds the .ics of the message's bookings with the widget's
// writer; nil when no item knows its length (a payload queued before
// e-mail existed).
func (c *composed) calendar(baseURL, method string, now time.Time) (*Attachment, error) {
	status := booking.StatusConfirmed
	if method == "CANCEL" {
		status = booking.StatusCancelled
	}
	var items []widget.CalendarItem
	for _, it := range c.p.Items {
		if it.Minutes <= 0 || it.BookingID == 0 {
			continue
		}
		items = append(items, widget.CalendarItem{
			Booking: booking.Booking{ID: it.BookingID, Seats: it.Seats, Sequence: it.Sequence, Status: status},
			Event:   booking.Event{StartsAt: it.Start, DurationMin: it.Minutes},
			Service: booking.Service{Name: it.Service},
			// The team member, where the message names one, titles the
			// event as the widget's own .ics does.
			Member:   booking.TeamMember{Name: it.Member},
			Location: booking.Location{Name: c.p.Location},
		})
	}
	if len(items) == 0 {
		return nil, nil
	}
	var buf bytes.Buffer
	err := widget.WriteICS(&buf, items, widget.CalendarOptions{
		Host: calendarHost(baseURL), ManageURL: c.link, Now: now,
		Description: func(it widget.CalendarItem) string {
			d := c.l.N("seats_count", it.Booking.Seats)
			if c.link != "" {
				d += ". " + c.l.T("widget_calendar_manage", map[string]any{"URL": c.link})
			}
			return d
		},
	})
	if err != nil {
		return nil, err
	}
	return &Attachment{Name: "booking.ics", ContentType: "text/calendar; charset=utf-8; method=" + method, Data: buf.Bytes()}, nil
}

// calendarHost is the base URL's host, as the widget's .ics uses it for
// UIDs (handlers/widget_ics.go).
func calendarHost(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return "groupbook.local"
	}
	return u.Hostname()
}

// renderStaffEmail tells staff about an online booking, cancellation or move,
// or warns that an event is below its minimum; the button opens the event
// window.
func renderStaffEmail(b *locales.Bundle, baseURL string, m *booking.OutboxMessage) (*Email, error) {
	p, err := m.DecodePayload()
	if err != nil {
		return nil, Permanent(err)
	}
	if p.Staff == nil || len(p.Items) == 0 {
		return nil, Permanent(fmt.Errorf("outbox %d: %s without its client or event", m.ID, m.Kind))
	}
	zone, err := payloadZone(m, p)
	if err != nil {
		return nil, err
	}
	c := &composed{l: b.Localizer(m.Lang), p: p, zone: zone}
	l := c.l
	start := p.Items[0].Start.In(zone)
	client := p.Staff.Client
	if p.Staff.Phone != "" {
		client += " (" + booking.FormatPhone(p.Staff.Phone) + ")"
	}
	data := map[string]any{
		"Location": p.Location, "Client": client, "Service": p.Items[0].Service,
		"Date": l.DateShort(start), "Time": l.Clock(start), "Booked": p.Staff.Booked, "Min": p.Staff.Min,
	}
	body := mailBody{Lang: m.Lang, Lines: c.lines(), Footer: l.T("mail_footer_staff", data)}
	switch m.Kind {
	case booking.MsgStaffBooked, booking.MsgStaffCancelled, booking.MsgStaffMoved:
		body.Paragraphs = []string{l.T("mail_lead_"+m.Kind, data)}
	case booking.MsgStaffMinWarning:
		body.Paragraphs = []string{l.T("mail_lead_staff_min_warning", data), l.T("mail_staff_min_counts", data)}
	default:
		return nil, Permanent(fmt.Errorf("outbox %d: unknown kind %q", m.ID, m.Kind))
	}
	if p.Staff.EventID > 0 {
		body.Link = strings.TrimRight(baseURL, "/") + "/admin/events/" + strconv.FormatInt(p.Staff.EventID, 10)
		body.Button = l.T("mail_button_event")
	}
	body.Subject = l.T("mail_subject_"+m.Kind, data)
	e, err := body.render()
	if err != nil {
		return nil, Permanent(fmt.Errorf("outbox %d: %w", m.ID, err))
	}
	return e, nil
}
