package main

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"groupbook/notify"
)

func mailEnvOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestMailConfig: SMTP_URL and MAIL_FROM go together; neither means the
// development mailer; bad values stop the server with a reason that never
// shows the password.
func TestMailConfig(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	build := func(env func(string) string) (mailParts, error) {
		cfg, _, err := mailConfig(env)
		if err != nil {
			return mailParts{}, err
		}
		return buildMailer(cfg, log)
	}
	p, err := build(mailEnvOf(nil))
	if _, dev := p.mailer.(*notify.DevMailer); err != nil || !dev {
		t.Errorf("no variables: %T, %v", p.mailer, err)
	}
	p, err = build(mailEnvOf(map[string]string{EnvSMTPURL: "smtps://u:s3cret@mail.example.com", EnvMailFrom: "Bookings <bookings@studio.example>"}))
	if _, smtp := p.mailer.(*notify.SMTPMailer); err != nil || !smtp || p.domain != "studio.example" {
		t.Errorf("both set: %T %q, %v", p.mailer, p.domain, err)
	}
	for name, env := range map[string]map[string]string{
		"url only":      {EnvSMTPURL: "smtp://u:s3cret@mail.example.com:587"},
		"from only":     {EnvMailFrom: "bookings@studio.example"},
		"http scheme":   {EnvSMTPURL: "http://u:s3cret@mail.example.com", EnvMailFrom: "bookings@studio.example"},
		"no host":       {EnvSMTPURL: "smtp://u:s3cret@:587", EnvMailFrom: "bookings@studio.example"},
		"bad from":      {EnvSMTPURL: "smtp://u:s3cret@mail.example.com", EnvMailFrom: "bookings"},
		"injected from": {EnvSMTPURL: "smtp://u:s3cret@mail.example.com", EnvMailFrom: "a@b.example\r\nBcc: x@y.example"},
		"starttls":      {EnvSMTPURL: "smtp://u:s3cret@mail.example.com?starttls=maybe", EnvMailFrom: "bookings@studio.example"},
		"port":          {EnvSMTPURL: "smtp://u:s3cret@mail.example.com:99999", EnvMailFrom: "bookings@studio.example"},
		"bad url":       {EnvSMTPURL: "smtp://u:s3cret@mail.example.com:%zz", EnvMailFrom: "bookings@studio.example"},
	} {
		_, err := build(mailEnvOf(env))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: password in %q", name, err)
		}
	}
}
