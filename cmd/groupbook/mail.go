package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"strings"

	"groupbook/booking"
	"groupbook/notify"
)

// E-mail is configured by environment only, like Twilio: the URL carries a
// password, which must stay out of ps.
const (
	// EnvSMTPURL is smtp://user:pass@host:587 (STARTTLS required; add
	// ?starttls=opportunistic or ?starttls=none for a local relay) or
	// smtps://user:pass@host:465 (TLS from the start).
	EnvSMTPURL = "SMTP_URL"
	// EnvMailFrom is the sender address, "bookings@example.com" or
	// "Studio bookings <bookings@example.com>".
	EnvMailFrom = "MAIL_FROM"
)

// mailParts are what sends e-mail in this process.
type mailParts struct {
	mailer notify.Mailer
	// domain ends the Message-IDs: the sender's domain with SMTP, the
	// base URL's host without.
	domain string
}

// mailComplete checks SMTP_URL and MAIL_FROM while the configuration
// loads, into cfg: both or neither.
func mailComplete(values map[string]*string, cfg *notify.SMTPConfig) []error {
	c, _, err := mailConfig(func(env string) string { return *values[env] })
	if err != nil {
		return []error{err}
	}
	*cfg = c
	return nil
}

// buildMailer uses SMTP when SMTP_URL and MAIL_FROM are both set, else the
// development mailer, which logs each e-mail. One without the other is an
// error (mailConfig): a half-configured mailer would silently log what
// the operator meant to send.
func buildMailer(cfg notify.SMTPConfig, log *slog.Logger) (mailParts, error) {
	if cfg.URL == "" {
		log.Info("e-mail: development mailer, messages are logged, not sent",
			"hint", "set "+EnvSMTPURL+" and "+EnvMailFrom+" to send them")
		return mailParts{mailer: &notify.DevMailer{Log: log}}, nil
	}
	m, err := notify.NewSMTPMailer(cfg)
	if err != nil {
		return mailParts{}, fmt.Errorf("%s: %w", EnvSMTPURL, redact(err, cfg.URL))
	}
	u, _ := url.Parse(cfg.URL)
	log.Info("e-mail: SMTP", "server", u.Host, "scheme", u.Scheme, "user", u.User.Username(), "from", cfg.From)
	return mailParts{mailer: m, domain: m.Domain()}, nil
}

// mailConfig reads and checks the variables; ok is false when neither is
// set.
func mailConfig(getenv func(string) string) (cfg notify.SMTPConfig, ok bool, err error) {
	raw, from := getenv(EnvSMTPURL), getenv(EnvMailFrom)
	switch {
	case raw == "" && from == "":
		return cfg, false, nil
	case raw == "":
		return cfg, false, fmt.Errorf("%s is set but %s is not: set both to send e-mail, or neither to log it", EnvMailFrom, EnvSMTPURL)
	case from == "":
		return cfg, false, fmt.Errorf("%s is set but %s is not: set both to send e-mail, or neither to log it", EnvSMTPURL, EnvMailFrom)
	}
	u, perr := url.Parse(raw)
	if perr != nil {
		// url.Error repeats the URL, password included; say less.
		return cfg, false, fmt.Errorf("%s is not a valid URL", EnvSMTPURL)
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return cfg, false, fmt.Errorf("%s must start with smtp:// or smtps://, got %q", EnvSMTPURL, u.Scheme+"://")
	}
	if u.Hostname() == "" {
		return cfg, false, fmt.Errorf("%s has no host", EnvSMTPURL)
	}
	addr, perr := mail.ParseAddress(from)
	if perr != nil || !booking.ValidEmail(addr.Address) {
		return cfg, false, fmt.Errorf("%s must be an e-mail address such as bookings@example.com, got %q", EnvMailFrom, from)
	}
	cfg = notify.SMTPConfig{URL: raw, From: from}
	if _, err := notify.NewSMTPMailer(cfg); err != nil {
		return notify.SMTPConfig{}, false, fmt.Errorf("%s: %w", EnvSMTPURL, redact(err, raw))
	}
	return cfg, true, nil
}

// redact removes the URL's password from an error.
func redact(err error, raw string) error {
	u, perr := url.Parse(raw)
	if perr != nil || u.User == nil {
		return err
	}
	if _, has := u.User.Password(); !has {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), raw, u.Redacted()))
}
