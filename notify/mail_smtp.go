package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPConfig is where e-mail goes: SMTP_URL and MAIL_FROM.
type SMTPConfig struct {
	// URL is smtp://user:pass@host:587 (STARTTLS, required unless
	// ?starttls=opportunistic or ?starttls=none) or smtps://user:pass@host:465
	// (TLS from the first byte). Without a user no login is attempted.
	URL string
	// From is the sender address, e.g. "bookings@example.com" or
	// "Groupbook <bookings@example.com>"; each message shows the
	// location's name with this address.
	From string
	// Timeout bounds connecting and each SMTP command (default 30 s).
	Timeout time.Duration
	// RootCAs verify the server's certificate instead of the system's
	// (a private CA; tests); nil for the system's.
	RootCAs *x509.CertPool
}

// SMTPMailer sends through an SMTP server with go-mail. It dials per
// message: the outbox sends few e-mails at a time, and a fresh connection
// never carries the state of a failed one.
type SMTPMailer struct {
	from    *mail.Address
	host    string
	options []gomail.Option
}

// NewSMTPMailer checks cfg and returns a mailer; nothing is dialled yet.
func NewSMTPMailer(cfg SMTPConfig) (*SMTPMailer, error) {
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail from %q: %w", cfg.From, err)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("smtp url: %w", err)
	}
	if u.Hostname() == "" {
		return nil, errors.New("smtp url: no host")
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	if cfg.RootCAs != nil {
		opts = append(opts, gomail.WithTLSConfig(&tls.Config{ServerName: u.Hostname(), RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}))
	}
	port := 0
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port <= 0 || port > 65535 {
			return nil, fmt.Errorf("smtp url: bad port %q", p)
		}
	}
	switch u.Scheme {
	case "smtps":
		opts = append(opts, gomail.WithSSL(), gomail.WithPort(cmpPort(port, 465)))
	case "smtp":
		policy := gomail.TLSMandatory
		switch v := u.Query().Get("starttls"); v {
		case "", "mandatory":
		case "opportunistic":
			policy = gomail.TLSOpportunistic
		case "none":
			// A local relay or a test server; never across the internet.
			policy = gomail.NoTLS
		default:
			return nil, fmt.Errorf("smtp url: starttls=%q (want mandatory, opportunistic or none)", v)
		}
		opts = append(opts, gomail.WithTLSPolicy(policy), gomail.WithPort(cmpPort(port, 587)))
	default:
		return nil, fmt.Errorf("smtp url: scheme %q (want smtp or smtps)", u.Scheme)
	}
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(user), gomail.WithPassword(pass))
	}
	return &SMTPMailer{from: from, host: u.Hostname(), options: opts}, nil
}

// headerLine folds line breaks out of header text: the subject and the
// sender's name are made of names staff typed (checked to be one line when
// saved, but a header is no place to trust that).
var headerLine = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ", "\u0085", " ", "\u2028", " ", "\u2029", " ")

func oneLine(s string) string { return headerLine.Replace(s) }

func cmpPort(p, def int) int {
	if p == 0 {
		return def
	}
	return p
}

// Domain is the sender address's domain, for Message-IDs.
func (s *SMTPMailer) Domain() string { return addrDomain(s.from.Address) }

func addrDomain(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return ""
}

// SendMail sends m and returns its Message-ID.
func (s *SMTPMailer) SendMail(ctx context.Context, m Mail) (string, error) {
	msg, err := buildMsg(s.from, m)
	if err != nil {
		return "", Permanent(err)
	}
	c, err := gomail.NewClient(s.host, s.options...)
	if err != nil {
		return "", fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return "", fmt.Errorf("smtp send: %w", err)
	}
	return m.MessageID, nil
}

// buildMsg turns m into a go-mail message: text, HTML alternative,
// attachments.
func buildMsg(from *mail.Address, m Mail) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	name := from.Name
	if m.FromName != "" {
		name = oneLine(m.FromName)
	}
	if err := msg.FromFormat(name, from.Address); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	msg.Subject(oneLine(m.Subject))
	if m.MessageID != "" {
		msg.SetMessageIDWithValue(strings.Trim(m.MessageID, "<>"))
	}
	msg.SetDate()
	if m.Lang != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	}
	// Automatic messages: auto-responders should not answer them.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, fmt.Errorf("attach %s: %w", a.Name, err)
		}
	}
	return msg, nil
}
