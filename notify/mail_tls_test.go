package notify_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"groupbook/notify"
)

// authSession is a fakeSession that requires AUTH PLAIN with one user.
type authSession struct {
	fakeSession
	mu     *sync.Mutex
	logins *[]string
}

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *authSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		s.mu.Lock()
		*s.logins = append(*s.logins, user)
		s.mu.Unlock()
		if user != "studio" || pass != "p@ss:word/1" {
			return errors.New("invalid credentials")
		}
		return nil
	}), nil
}

// TestSMTPMailerTLSAndLogin: smtps:// with a user and a password that
// needs percent-encoding logs in over TLS (the certificate checked against
// the given CA) and delivers; a wrong password is not delivered and the
// error is one to retry (the operator's to fix).
func TestSMTPMailerTLSAndLogin(t *testing.T) {
	// httptest's certificate (for 127.0.0.1) serves the SMTP server too.
	ts := httptest.NewTLSServer(nil)
	defer ts.Close()
	var mu sync.Mutex
	var logins []string
	f := &fakeSMTP{t: t}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &authSession{fakeSession: fakeSession{f: f}, mu: &mu, logins: &logins}, nil
	}))
	s.Domain, s.ReadTimeout, s.WriteTimeout = "fake.test", 5*time.Second, 5*time.Second
	s.TLSConfig = &tls.Config{Certificates: ts.TLS.Certificates}
	l, err := tls.Listen("tcp", "127.0.0.1:0", s.TLSConfig)
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	defer s.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	pool := ts.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs

	send := func(pass string) error {
		m, err := notify.NewSMTPMailer(notify.SMTPConfig{
			URL: "smtps://studio:" + pass + "@127.0.0.1:" + port, From: "bookings@studio.example", Timeout: 3 * time.Second, RootCAs: pool,
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.SendMail(context.Background(), notify.Mail{To: "anna@example.com", Subject: "Hi", Text: "Hello", MessageID: "<outbox-1@studio.example>"})
		return err
	}
	if err := send("p%40ss%3Aword%2F1"); err != nil {
		t.Fatalf("login over TLS: %v", err)
	}
	if got := f.Messages(); len(got) != 1 || got[0].To[0] != "anna@example.com" {
		t.Fatalf("delivered %+v", got)
	}
	err = send("wrong")
	if err == nil || notify.IsPermanentMail(err) || !strings.Contains(strings.ToLower(err.Error()), "auth") {
		t.Errorf("wrong password: %v (permanent %v)", err, notify.IsPermanentMail(err))
	}
	if len(f.Messages()) != 1 || len(logins) != 2 || logins[0] != "studio" {
		t.Errorf("messages %d, logins %v", len(f.Messages()), logins)
	}
}

// TestSMTPMailerRequiresSTARTTLS: plain smtp:// insists on STARTTLS by
// default, so a server without it gets nothing (and the row waits: the
// error is not permanent); ?starttls=none is needed to send in clear.
func TestSMTPMailerRequiresSTARTTLS(t *testing.T) {
	f := newFakeSMTP(t)
	m, err := notify.NewSMTPMailer(notify.SMTPConfig{URL: "smtp://" + f.addr, From: "bookings@studio.example", Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.SendMail(context.Background(), notify.Mail{To: "anna@example.com", Subject: "Hi", Text: "Hello"})
	if err == nil || notify.IsPermanentMail(err) || len(f.Messages()) != 0 {
		t.Errorf("without STARTTLS: %v (permanent %v), %d delivered", err, notify.IsPermanentMail(err), len(f.Messages()))
	}
}
