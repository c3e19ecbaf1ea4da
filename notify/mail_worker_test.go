package notify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/notify"
)

// mailEnv is a worker environment whose location sends by SMS and e-mail,
// with a real SMTP server in the process.
type mailEnv struct {
	*workerEnv
	smtp *fakeSMTP
}

func newMailEnv(t *testing.T, db *bun.DB, channel booking.MessageChannel) *mailEnv {
	t.Helper()
	e := &mailEnv{workerEnv: newWorkerEnv(t, db, booking.SMSSettings{}), smtp: newFakeSMTP(t)}
	e.setLocation(t, "message_channel", string(channel))
	return e
}

func (e *mailEnv) setLocation(t *testing.T, column string, v any) {
	t.Helper()
	if _, err := e.db.NewUpdate().Table("locations").Set("? = ?", bun.Ident(column), v).Where("id = ?", e.f.Location.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// mailWorker is the SMS worker of workerEnv with an SMTP mailer to the
// fake.
func (e *mailEnv) mailWorker(t *testing.T) *notify.Worker {
	t.Helper()
	m, err := notify.NewSMTPMailer(notify.SMTPConfig{URL: e.smtp.URL(), From: "Bookings <bookings@book.example.com>", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w := e.worker(t, "w1")
	w.Mailer, w.CallTimeout = m, 2*time.Second
	return w
}

// bookWithEmail books one seat of ev for client n with an e-mail address.
func (e *mailEnv) bookWithEmail(t *testing.T, n int, lang, email string, evs ...*booking.Event) *booking.Reservation {
	t.Helper()
	ids := make([]int64, len(evs))
	for i, ev := range evs {
		ids[i] = ev.ID
	}
	c := booktest.Client(n)
	c.Email = email
	res, err := e.f.Store.Reserve(context.Background(), booking.ReserveRequest{
		LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: ids, Seats: 2, Client: c, Lang: lang,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (e *mailEnv) emailRows(t *testing.T) []booking.OutboxMessage {
	t.Helper()
	var out []booking.OutboxMessage
	if err := e.db.NewSelect().Model(&out).Where("channel = ?", booking.ChannelEmail).Order("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

// parsedMail is a received message taken apart by the standard library.
type parsedMail struct {
	Header      mail.Header
	Subject     string
	Text, HTML  string
	Calendar    []byte
	CalendarCT  string
	Attachments int
}

func parseMail(t *testing.T, raw []byte) *parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	p := &parsedMail{Header: msg.Header}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	var walk func(ct string, r io.Reader, enc string)
	walk = func(ct string, r io.Reader, enc string) {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatalf("content type %q: %v", ct, err)
		}
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(r, params["boundary"])
			for {
				part, err := mr.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				walk(part.Header.Get("Content-Type"), part, part.Header.Get("Content-Transfer-Encoding"))
			}
		}
		body := decodeBody(t, r, enc)
		switch mt {
		case "text/plain":
			p.Text = string(body)
		case "text/html":
			p.HTML = string(body)
		case "text/calendar":
			p.Calendar, p.CalendarCT = body, ct
			p.Attachments++
		default:
			p.Attachments++
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
	return p
}

func decodeBody(t *testing.T, r io.Reader, enc string) []byte {
	t.Helper()
	switch strings.ToLower(enc) {
	case "base64":
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]byte, len(b))
		n, err := base64.StdEncoding.Decode(out, bytes.Join(bytes.Fields(b), nil))
		if err != nil {
			t.Fatal(err)
		}
		return out[:n]
	case "quoted-printable":
		b, err := io.ReadAll(quotedprintable.NewReader(r))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEmailDelivered: with "both", a booking's messages go by SMS and by
// e-mail; the e-mail reaches a real SMTP server with the Hungarian (and,
// for another client, Russian) subject, a text and an HTML part, and the
// bookings' .ics, which an independent parser reads with the widget's UIDs.
func TestEmailDelivered(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newMailEnv(t, db, booking.ChannelBoth)
		evs := e.f.YogaEvents(t, 2, 10)
		hu := e.bookWithEmail(t, 1, "hu", "anna@example.com", evs[0], evs[1])
		e.bookWithEmail(t, 2, "ru", "olga@example.com", evs[0])
		rows := e.emailRows(t)
		if len(rows) != 2 || rows[0].Email != "anna@example.com" || rows[0].Phone != "" {
			t.Fatalf("e-mail rows %+v", rows)
		}
		w := e.mailWorker(t)
		e.drain(t, w, 5)

		got := e.smtp.Messages()
		if len(got) != 2 {
			t.Fatalf("SMTP server took %d messages, want 2", len(got))
		}
		if len(e.fake.Messages()) != 2 {
			t.Errorf("fake Twilio took %d SMS, want 2 (channel both)", len(e.fake.Messages()))
		}
		var anna, olga *parsedMail
		for _, r := range got {
			switch r.To[0] {
			case "anna@example.com":
				anna = parseMail(t, r.Data)
			case "olga@example.com":
				olga = parseMail(t, r.Data)
			}
			if r.From != "bookings@book.example.com" {
				t.Errorf("envelope from %q", r.From)
			}
		}
		if anna == nil || olga == nil {
			t.Fatalf("recipients %v", got)
		}
		if want := "Sunrise Yoga: foglalás visszaigazolva – Yoga, márc. 3., K"; !strings.HasPrefix(anna.Subject, want) {
			t.Errorf("hu subject %q, want prefix %q", anna.Subject, want)
		}
		if !strings.Contains(olga.Subject, "запись подтверждена") {
			t.Errorf("ru subject %q", olga.Subject)
		}
		from, err := mail.ParseAddress(anna.Header.Get("From"))
		if err != nil || from.Name != "Sunrise Yoga" || from.Address != "bookings@book.example.com" {
			t.Errorf("From %q (%v)", anna.Header.Get("From"), err)
		}
		rows = e.emailRows(t)
		wantID := fmt.Sprintf("<outbox-%d@book.example.com>", rows[0].ID)
		if anna.Header.Get("Message-ID") != wantID || rows[0].Status != booking.OutboxSent || rows[0].ProviderSID != wantID {
			t.Errorf("Message-ID %q, row %+v, want %s", anna.Header.Get("Message-ID"), rows[0], wantID)
		}
		manage := "https://book.example.com/m/" + hu.Group.Token
		if !strings.Contains(anna.Text, "foglalását rögzítettük") || !strings.Contains(anna.Text, manage) {
			t.Errorf("text part %q", anna.Text)
		}
		if !strings.Contains(anna.HTML, `href="`+manage+`"`) || !strings.Contains(anna.HTML, "Foglalás kezelése") || !strings.Contains(anna.HTML, `lang="hu"`) {
			t.Errorf("html part %q", anna.HTML)
		}
		// Both bookings listed, in the text too.
		if strings.Count(anna.Text, "\n- ") != 2 || !strings.Contains(anna.Text, "Yoga (2 fő)") {
			t.Errorf("text lists %q", anna.Text)
		}

		if anna.Attachments != 1 || !strings.HasPrefix(anna.CalendarCT, "text/calendar") || !strings.Contains(anna.CalendarCT, "method=PUBLISH") {
			t.Fatalf("attachments %d, calendar %q", anna.Attachments, anna.CalendarCT)
		}
		if !bytes.Contains(anna.Calendar, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(anna.Calendar, []byte("\r\n"), nil), []byte("\n")) {
			t.Error(".ics lines not CRLF")
		}
		cal, err := ical.NewDecoder(bytes.NewReader(anna.Calendar)).Decode()
		if err != nil {
			t.Fatalf(".ics: %v\n%s", err, anna.Calendar)
		}
		events := cal.Events()
		if len(events) != 2 {
			t.Fatalf(".ics has %d events", len(events))
		}
		for i, ev := range events {
			uid, _ := ev.Props.Text(ical.PropUID)
			if want := fmt.Sprintf("booking-%d@book.example.com", hu.Bookings[i].ID); uid != want {
				t.Errorf("UID %q, want %q (the widget's)", uid, want)
			}
			start, err := ev.DateTimeStart(time.UTC)
			if err != nil || !start.Equal(evs[i].StartsAt) {
				t.Errorf("DTSTART %v (%v), want %v", start, err, evs[i].StartsAt)
			}
			end, err := ev.DateTimeEnd(time.UTC)
			if err != nil || !end.Equal(evs[i].EndsAt()) {
				t.Errorf("DTEND %v (%v), want %v", end, err, evs[i].EndsAt())
			}
		}
	})
}

// TestEmailSMTPDownRetried: with the SMTP server down the e-mail waits
// (pending, the reason recorded), and once it is back the next run
// delivers it, once.
func TestEmailSMTPDownRetried(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newMailEnv(t, db, booking.ChannelEmailFirst)
		e.bookWithEmail(t, 1, "en", "anna@example.com", e.f.YogaEvents(t, 1, 10)...)
		e.smtp.stop()
		w := e.mailWorker(t)
		ctx := context.Background()
		for attempt := 1; attempt <= 2; attempt++ {
			if _, err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			r := e.emailRows(t)[0]
			if r.Status != booking.OutboxPending || r.Attempts != attempt || r.LastError == "" {
				t.Fatalf("after attempt %d with SMTP down: %+v", attempt, r)
			}
			e.f.Now = e.f.Now.Add(time.Minute)
		}
		// "email" channel and an address: no SMS at all.
		if n := len(e.fake.Requests()); n != 0 {
			t.Errorf("%d SMS requests with the e-mail channel", n)
		}
		e.smtp.start()
		e.drain(t, w, 5)
		if got := e.smtp.Messages(); len(got) != 1 || got[0].To[0] != "anna@example.com" {
			t.Fatalf("after SMTP came back: %+v", got)
		}
		if r := e.emailRows(t)[0]; r.Status != booking.OutboxSent || r.Attempts != 3 {
			t.Errorf("row %+v", r)
		}
		e.f.Now = e.f.Now.Add(time.Hour)
		if n, _ := w.RunOnce(ctx); n != 0 || len(e.smtp.Messages()) != 1 {
			t.Errorf("sent again: claimed %d, server has %d", n, len(e.smtp.Messages()))
		}
	})
}

// TestEmailSMTPCodes: a 4xx answer is retried, a 5xx to the recipient
// fails the row for good with the server's words.
func TestEmailSMTPCodes(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newMailEnv(t, db, booking.ChannelEmailFirst)
		evs := e.f.YogaEvents(t, 1, 10)
		e.bookWithEmail(t, 1, "en", "full@example.com", evs...)
		e.bookWithEmail(t, 2, "en", "gone@example.com", evs...)
		e.smtp.setRcpt(func(to string) error {
			switch to {
			case "full@example.com":
				return mailboxFull
			case "gone@example.com":
				return noSuchMailbx
			}
			return nil
		})
		w := e.mailWorker(t)
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, r := range e.emailRows(t) {
			switch r.Email {
			case "full@example.com":
				if r.Status != booking.OutboxPending || r.Attempts != 1 || !strings.Contains(r.LastError, "452") {
					t.Errorf("4xx row %+v", r)
				}
			case "gone@example.com":
				if r.Status != booking.OutboxFailed || !strings.Contains(r.LastError, "550") {
					t.Errorf("5xx row %+v", r)
				}
			}
		}
		e.smtp.setRcpt(nil)
		e.drain(t, w, 5)
		if got := e.smtp.Messages(); len(got) != 1 || got[0].To[0] != "full@example.com" {
			t.Errorf("delivered %+v", got)
		}
	})
}

// TestEmailSkippedByChannel: an e-mail queued while the location sent
// e-mail is skipped once it went back to SMS only; staff notices are
// skipped while staff e-mails are off, but a minimum warning always goes.
func TestEmailSkippedByChannel(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newMailEnv(t, db, booking.ChannelBoth)
		ev := e.f.YogaEvents(t, 1, 10)[0]
		e.bookWithEmail(t, 1, "en", "anna@example.com", ev)
		e.setLocation(t, "message_channel", string(booking.ChannelSMSOnly))
		staff := func(kind string) {
			p := fmt.Sprintf(`{"location":"Sunrise Yoga","tz":"Europe/Budapest","items":[{"booking":0,"service":"Yoga","start":%q,"seats":2}],"staff":{"client":"Anna Kovács","phone":"+36201234567","event":%d,"booked":2,"min":4}}`,
				ev.StartsAt.UTC().Format(time.RFC3339), ev.ID)
			m := &booking.OutboxMessage{LocationID: e.f.Location.ID, Kind: kind, Channel: booking.ChannelEmail, Email: "owner@example.com",
				Lang: "en", Payload: p, Status: booking.OutboxPending, DueAt: e.f.Now, NextAttemptAt: e.f.Now, CreatedAt: e.f.Now, UpdatedAt: e.f.Now}
			if _, err := e.db.NewInsert().Model(m).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		staff(booking.MsgStaffBooked)
		staff(booking.MsgStaffMinWarning)
		e.drain(t, e.mailWorker(t), 5)
		got := e.smtp.Messages()
		if len(got) != 1 || got[0].To[0] != "owner@example.com" {
			t.Fatalf("delivered %+v, want only the minimum warning", got)
		}
		warn := parseMail(t, got[0].Data)
		if warn.Subject != "Sunrise Yoga: Yoga on "+e.warnDate(ev)+" is below its minimum" ||
			!strings.Contains(warn.Text, "Booked: 2. Minimum: 4.") ||
			!strings.Contains(warn.Text, fmt.Sprintf("https://book.example.com/admin/events/%d", ev.ID)) {
			t.Errorf("warning %q\n%s", warn.Subject, warn.Text)
		}
		for _, r := range e.emailRows(t) {
			switch r.Kind {
			case booking.SMSBooked, booking.MsgStaffBooked:
				if r.Status != booking.OutboxSkipped {
					t.Errorf("%s row %+v, want skipped", r.Kind, r)
				}
			}
		}
	})
}

// warnDate is the event's short English date in Budapest.
func (e *mailEnv) warnDate(ev *booking.Event) string {
	return e.bundle.Localizer("en").DateShort(ev.StartsAt.In(e.f.Location.Zone()))
}

// TestEmailInvalidAddressFails: a row whose address the stricter check
// refuses (saved before it) fails at once and reaches no server.
func TestEmailInvalidAddressFails(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newMailEnv(t, db, booking.ChannelEmailFirst)
		e.bookWithEmail(t, 1, "en", "anna@example.com", e.f.YogaEvents(t, 1, 10)...)
		if _, err := e.db.NewUpdate().Table("outbox").Set("email = ?", `"anna,x"@example.com`).Where("channel = ?", booking.ChannelEmail).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.mailWorker(t).RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if r := e.emailRows(t)[0]; r.Status != booking.OutboxFailed || r.LastError != "invalid e-mail address" {
			t.Errorf("row %+v", r)
		}
		if n := len(e.smtp.Messages()); n != 0 {
			t.Errorf("%d messages sent", n)
		}
	})
}

// TestEmailWaitlistOfferFirstClaim: the worker reads the location's
// waitlist mode, so a first-to-claim offer does not promise held seats;
// the link opens the waitlist page.
func TestEmailWaitlistOfferFirstClaim(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newMailEnv(t, db, booking.ChannelEmailFirst)
		e.setLocation(t, "waitlist_mode", string(booking.WaitlistFirstClaim))
		ev := e.f.YogaEvents(t, 1, 10)[0]
		until := ev.StartsAt.Add(-2 * time.Hour).UTC()
		p := fmt.Sprintf(`{"location":"Sunrise Yoga","tz":"Europe/Budapest","items":[{"booking":0,"service":"Yoga","start":%q,"seats":2,"min":60}],"waitlist":{"token":"wlTOKEN","seats":2,"until":%q}}`,
			ev.StartsAt.UTC().Format(time.RFC3339), until.Format(time.RFC3339))
		m := &booking.OutboxMessage{LocationID: e.f.Location.ID, Kind: booking.MsgWaitlistOffer, Channel: booking.ChannelEmail, Email: "anna@example.com",
			Lang: "en", Payload: p, Status: booking.OutboxPending, DueAt: e.f.Now, NextAttemptAt: e.f.Now, CreatedAt: e.f.Now, UpdatedAt: e.f.Now}
		if _, err := e.db.NewInsert().Model(m).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.drain(t, e.mailWorker(t), 3)
		got := e.smtp.Messages()
		if len(got) != 1 {
			t.Fatalf("%d messages", len(got))
		}
		pm := parseMail(t, got[0].Data)
		if !strings.Contains(pm.Text, "first to book gets it") || strings.Contains(pm.Text, "held until") ||
			!strings.Contains(pm.HTML, `href="https://book.example.com/wl/wlTOKEN"`) || pm.Attachments != 0 {
			t.Errorf("offer e-mail %q\n%s", pm.Subject, pm.Text)
		}
	})
}
