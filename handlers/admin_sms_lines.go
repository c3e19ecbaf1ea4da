package handlers

import (
	"context"

	"groupbook/booking"
)

// smsLine is one outgoing message as staff read it: what, by which
// channel to whom, and how it went.
type smsLine struct {
	Kind, Status, When, Error, Phone string
	// Channel is "by SMS" or "by e-mail"; To the phone or the address.
	Channel, To string
	Email       bool
	Failed      bool
}

// kindLabel names a message kind: the first kinds have admin_sms_kind_*
// texts, the booking core's Msg* kinds are their own message ids.
func kindLabel(v *adminView, kind string) string {
	switch kind {
	case booking.SMSBooked, booking.SMSCancelled, booking.SMSMoved, booking.SMSReminder:
		return v.L.T("admin_sms_kind_" + kind)
	case booking.SMSRefunded:
		return v.L.T("admin_mail_kind_refunded")
	}
	return v.L.T(kind)
}

// smsLines describes messages in the admin's language and zone; limits
// name the limit a suppressed message would have passed.
func smsLines(v *adminView, limits booking.SMSLimits, msgs []booking.OutboxMessage) []smsLine {
	zone := v.Location.Zone()
	out := make([]smsLine, 0, len(msgs))
	for _, m := range msgs {
		at := m.CreatedAt
		switch {
		case m.SentAt != nil:
			at = *m.SentAt
		case m.Status == booking.OutboxPending:
			at = m.NextAttemptAt
		}
		status := m.Status
		if m.DeliveryStatus != "" && m.Status == booking.OutboxSent {
			status = m.DeliveryStatus
		}
		l := smsLine{
			Kind: kindLabel(v, m.Kind), Status: v.L.T("admin_sms_status_" + statusKey(status)),
			When: v.L.DateShort(at.In(zone)) + " " + v.L.Clock(at.In(zone)), Error: m.LastError,
			Phone:  booking.FormatPhone(m.Phone),
			Failed: m.Status == booking.OutboxFailed || status == "undelivered" || status == "failed",
		}
		if m.Channel == booking.ChannelEmail {
			l.Channel, l.To, l.Email = v.L.T("admin_mail_channel_email"), m.Email, true
		} else {
			l.Channel, l.To = v.L.T("admin_mail_channel_sms"), l.Phone
		}
		if m.Status == booking.OutboxSuppressed {
			l.Error = suppressedReason(v, limits, m.LastError)
		}
		out = append(out, l)
	}
	return out
}

// statusKey folds the provider's many delivery states into the few staff
// need to tell apart.
func statusKey(s string) string {
	switch s {
	case booking.OutboxPending, booking.OutboxSent, booking.OutboxFailed, booking.OutboxSkipped, booking.OutboxSuppressed, "delivered", "undelivered":
		return s
	case "failed_delivery":
		return "undelivered"
	}
	return booking.OutboxSent // queued, sending, accepted…: on its way
}

// attachMessages adds each active booking's messages to the event window.
func (h *adminHandlers) attachMessages(ctx context.Context, v *adminView, p *eventPage) error {
	limits := h.store.ActiveSMSLimits()
	for i := range p.Rows {
		msgs, err := h.store.BookingMessages(ctx, &p.Rows[i].Booking)
		if err != nil {
			return err
		}
		p.Rows[i].Messages = smsLines(v, limits, msgs)
	}
	return nil
}
