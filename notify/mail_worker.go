package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"groupbook/booking"
)

// attemptEmail decides and, when it should, sends one e-mail row. Like an
// SMS it is skipped when the location stopped sending by e-mail after it
// was queued (staff rows: when staff e-mails were turned off; warnings
// about a minimum always go, since nothing else tells staff in time).
func (w *Worker) attemptEmail(ctx context.Context, m *booking.OutboxMessage, settings *settingsCache, sendBy time.Time) outcome {
	now := w.Now()
	loc, err := settings.location(ctx, m.LocationID)
	if err != nil {
		return w.retry(m, now, fmt.Errorf("location: %w", err))
	}
	switch {
	case m.Kind == booking.MsgStaffMinWarning:
	case isStaffKind(m.Kind):
		if !loc.StaffEmailNotify {
			return outcome{skip: "staff e-mails turned off for the location"}
		}
	case loc.MessageChannel != booking.ChannelEmailFirst && loc.MessageChannel != booking.ChannelBoth:
		return outcome{skip: "e-mail turned off for the location"}
	}
	if !booking.ValidEmail(m.Email) {
		// An address saved before the stricter check, or none: no server
		// will take it later either.
		return outcome{fail: "invalid e-mail address"}
	}
	if m.Kind == booking.SMSReminder {
		if skip, err := w.staleReminder(ctx, m, now); err != nil {
			return w.retry(m, now, err)
		} else if skip != "" {
			return outcome{skip: skip}
		}
	}
	if w.Mailer == nil {
		// A process without a mailer leaves the row to one that has it,
		// or to this one once it is configured: nothing is lost.
		return w.retry(m, now, errors.New("no mailer configured"))
	}
	e, err := RenderEmail(w.Locales, w.BaseURL, m, now, RenderOptions{FirstClaim: loc.WaitlistMode == booking.WaitlistFirstClaim})
	if err != nil {
		return outcome{fail: "render: " + err.Error()}
	}
	if time.Now().After(sendBy) {
		return outcome{retryAt: now, reason: "lease too short to send"}
	}
	p, _ := m.DecodePayload() // RenderEmail decoded it already
	sctx, cancel := context.WithTimeout(ctx, w.CallTimeout)
	defer cancel()
	id, err := w.Mailer.SendMail(sctx, Mail{
		To: m.Email, FromName: p.Location, Subject: e.Subject, Text: e.Text, HTML: e.HTML,
		MessageID: MessageID(m.ID, w.MailDomain), Lang: m.Lang, Attachments: e.Attachments,
	})
	switch {
	case err == nil:
		return outcome{sid: id}
	case IsPermanentMail(err):
		return outcome{fail: err.Error()}
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return outcome{retryAt: now, reason: "worker stopped before sending"}
	}
	return w.retry(m, now, err)
}

// MessageID is the Message-ID of an outbox row's e-mail. It is derived
// from the row, not random: when a crash after the server took a message
// makes the worker send it again, the two copies carry one id, which
// mail servers and clients recognise as the same message.
func MessageID(outboxID int64, domain string) string {
	if domain == "" {
		domain = "groupbook.local"
	}
	return fmt.Sprintf("<outbox-%d@%s>", outboxID, domain)
}
