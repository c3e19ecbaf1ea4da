package notify_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// received is one message the fake SMTP server took.
type received struct {
	From string
	To   []string
	Data []byte
}

// fakeSMTP is a real SMTP server (emersion/go-smtp) in the test process.
// rcpt decides each recipient's answer (nil: accept); stop and start take
// it down and bring it back on the same address, as an outage would.
type fakeSMTP struct {
	t    *testing.T
	addr string

	mu     sync.Mutex
	srv    *smtp.Server
	msgs   []received
	rcpt   func(to string) error
	tries  int
	closed bool
}

func newFakeSMTP(t *testing.T) *fakeSMTP {
	t.Helper()
	f := &fakeSMTP{t: t}
	f.start()
	t.Cleanup(f.stop)
	return f
}

// URL is the SMTP_URL for the fake: plain SMTP, no STARTTLS.
func (f *fakeSMTP) URL() string { return "smtp://" + f.addr + "?starttls=none" }

func (f *fakeSMTP) start() {
	f.t.Helper()
	addr := f.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var l net.Listener
	var err error
	// The port was just freed by stop: the OS may take a moment.
	for range 50 {
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &fakeSession{f: f}, nil }))
	s.Domain = "fake.test"
	s.ReadTimeout, s.WriteTimeout = 5*time.Second, 5*time.Second
	s.AllowInsecureAuth = true
	f.mu.Lock()
	f.srv, f.addr, f.closed = s, l.Addr().String(), false
	f.mu.Unlock()
	go func() { _ = s.Serve(l) }()
}

// stop closes the listener and every connection: clients then get
// "connection refused".
func (f *fakeSMTP) stop() {
	f.mu.Lock()
	s, closed := f.srv, f.closed
	f.closed = true
	f.mu.Unlock()
	if s != nil && !closed {
		_ = s.Close()
	}
}

func (f *fakeSMTP) Messages() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.msgs...)
}

func (f *fakeSMTP) setRcpt(fn func(string) error) {
	f.mu.Lock()
	f.rcpt = fn
	f.mu.Unlock()
}

type fakeSession struct {
	f    *fakeSMTP
	from string
	to   []string
}

func (s *fakeSession) Reset()        { s.from, s.to = "", nil }
func (s *fakeSession) Logout() error { return nil }
func (s *fakeSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *fakeSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.f.mu.Lock()
	fn := s.f.rcpt
	s.f.tries++
	s.f.mu.Unlock()
	if fn != nil {
		if err := fn(to); err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *fakeSession) Data(r io.Reader) error {
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		return err
	}
	if len(s.to) == 0 {
		return errors.New("no recipients")
	}
	s.f.mu.Lock()
	s.f.msgs = append(s.f.msgs, received{From: s.from, To: s.to, Data: b.Bytes()})
	s.f.mu.Unlock()
	return nil
}

// SMTP answers the tests use.
var (
	mailboxFull  = &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "Mailbox full, try later"}
	noSuchMailbx = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
)
