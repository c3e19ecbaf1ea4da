package notify

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"

	mail "github.com/wneessen/go-mail"
)

// Mailer hands one e-mail to the mail server and returns its Message-ID,
// recorded as the outbox row's provider id.
type Mailer interface {
	SendMail(ctx context.Context, m Mail) (id string, err error)
}

// Mail is one e-mail to send: plain text with an HTML alternative and any
// attachments (the .ics of a booking).
type Mail struct {
	To string
	// FromName is the display name of the sender (the location); the
	// address is the mailer's.
	FromName string
	Subject  string
	Text     string
	HTML     string
	// MessageID is derived from the outbox row ("<outbox-42@host>"), so a
	// message sent twice after a crash is recognisable as one.
	MessageID   string
	Lang        string
	Attachments []Attachment
}

// Attachment is a file carried by a Mail.
type Attachment struct {
	Name        string
	ContentType string // e.g. "text/calendar; method=PUBLISH"
	Data        []byte
}

// IsPermanentMail reports whether retrying a mailer's error is pointless.
// SMTP says it in the reply code: 5xx to the recipient or the content is
// permanent (no such mailbox, message refused), 4xx passes with time. A
// 5xx to MAIL FROM or to the login means the server's settings are wrong:
// the operator's to fix, so, as with Twilio's 401, the messages wait
// instead of failing all at once. Anything not an SMTP reply (the server
// down, a timeout) is transient.
func IsPermanentMail(err error) bool {
	if err == nil {
		return false
	}
	var pe *PermanentError
	if errors.As(err, &pe) {
		return true
	}
	var se *mail.SendError
	if !errors.As(err, &se) {
		return false
	}
	if se.IsTemp() {
		return false
	}
	switch se.Reason {
	case mail.ErrGetRcpts:
		return true // no valid recipient in the message itself
	case mail.ErrSMTPRcptTo, mail.ErrSMTPData, mail.ErrSMTPDataClose:
		return se.ErrorCode()/100 == 5
	}
	return false
}

// DevMailer stands in for SMTP without settings: it logs each e-mail
// instead of sending it, so the e-mail path runs on a laptop.
type DevMailer struct {
	Log *slog.Logger
	n   atomic.Int64
}

// SendMail logs m and returns its Message-ID.
func (d *DevMailer) SendMail(ctx context.Context, m Mail) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	d.n.Add(1)
	if d.Log != nil {
		names := make([]string, 0, len(m.Attachments))
		for _, a := range m.Attachments {
			names = append(names, a.Name)
		}
		d.Log.InfoContext(ctx, "development e-mail", "message_id", m.MessageID, "to", m.To, "subject", m.Subject,
			"attachments", strings.Join(names, ","), "body", m.Text)
	}
	return m.MessageID, nil
}
