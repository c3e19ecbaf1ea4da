package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/migrations"
)

// smtpSink is an in-process SMTP server that keeps what it receives.
type smtpSink struct {
	mu   sync.Mutex
	msgs [][]byte
	to   []string
}

func (s *smtpSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }

func (s *smtpSink) received() (msgs [][]byte, to []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.msgs...), append([]string(nil), s.to...)
}

type sinkSession struct {
	s  *smtpSink
	to string
}

func (x *sinkSession) Reset()                                    {}
func (x *sinkSession) Logout() error                             { return nil }
func (x *sinkSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (x *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error { x.to = to; return nil }
func (x *sinkSession) Data(r io.Reader) error {
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		return err
	}
	x.s.mu.Lock()
	x.s.msgs, x.s.to = append(x.s.msgs, b.Bytes()), append(x.s.to, x.to)
	x.s.mu.Unlock()
	return nil
}

// TestKill9WhileSMTPDown: the real server, in its own process, tries a
// booking's e-mail while the SMTP server is down and records the failure;
// it is killed with SIGKILL; the SMTP server comes up; the restarted
// server delivers the e-mail, once, with the Message-ID of its outbox row.
func TestKill9WhileSMTPDown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) { kill9Mail(t, bin, kind) })
	}
}

func kill9Mail(t *testing.T, bin, kind string) {
	ctx := context.Background()
	dsn := booktest.URL(t, kind)
	db, err := booking.OpenDB(dsn, booking.DBOptions{MaxOpenConns: 4})
	must(t, err)
	defer db.Close()
	_, err = migrations.Up(ctx, db)
	must(t, err)
	f := booktest.Seed(t, db)
	f.Now = time.Now().UTC()
	_, err = db.NewUpdate().Table("locations").Set("message_channel = ?", booking.ChannelEmailFirst).Where("id = ?", f.Location.ID).Exec(ctx)
	must(t, err)
	ev := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(72*time.Hour).Truncate(time.Hour), 10)
	c := booktest.Client(1)
	c.Email = "anna@example.com"
	_, err = f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{ev.ID}, Seats: 1, Client: c, Lang: "en"})
	must(t, err)
	var row booking.OutboxMessage
	must(t, db.NewSelect().Model(&row).Where("channel = ?", booking.ChannelEmail).Scan(ctx))

	smtpAddr := freeAddr(t) // nothing listens there yet: SMTP is down
	addr := freeAddr(t)
	base := "http://" + addr
	env := map[string]string{
		EnvAddr: addr, EnvBaseURL: base, EnvDatabaseURL: dsn, EnvLogLevel: "debug",
		EnvSecret: "kill9-test-secret-0123456789abcdef", EnvJobWorker: "false",
		EnvSMTPURL: "smtp://" + smtpAddr + "?starttls=none", EnvMailFrom: "Bookings <bookings@studio.example>",
	}
	first := startBinary(t, bin, base, env)
	// Wait until the first process has tried and recorded the failure.
	deadline := time.Now().Add(30 * time.Second)
	for {
		must(t, db.NewSelect().Model(&row).WherePK().Scan(ctx))
		if row.Attempts >= 1 && row.LeaseOwner == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the e-mail was never tried: %+v\n%s", row, first.out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if row.Status != booking.OutboxPending || row.LastError == "" {
		t.Fatalf("with SMTP down: %+v", row)
	}
	first.kill(t)

	sink := &smtpSink{}
	ln, err := net.Listen("tcp", smtpAddr)
	must(t, err)
	srv := smtp.NewServer(sink)
	srv.Domain = "sink.test"
	go srv.Serve(ln)
	defer srv.Close()

	second := startBinary(t, bin, base, env)
	// The retry waits out its backoff (at most DefaultBackoffBase).
	deadline = time.Now().Add(60 * time.Second)
	for {
		if msgs, _ := sink.received(); len(msgs) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not delivered after the restart\n%s", second.out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a second copy would come now
	msgs, to := sink.received()
	must(t, db.NewSelect().Model(&row).WherePK().Scan(ctx))
	wantID := fmt.Sprintf("<outbox-%d@studio.example>", row.ID)
	if len(msgs) != 1 || to[0] != "anna@example.com" || !strings.Contains(string(msgs[0]), "Message-ID: "+wantID) {
		t.Errorf("received %d messages to %v, want one with %s\n%s", len(msgs), to, wantID, msgs)
	}
	if row.Status != booking.OutboxSent || row.ProviderSID != wantID {
		t.Errorf("row %+v", row)
	}
	if t.Failed() {
		t.Logf("first process:\n%s\nsecond process:\n%s", first.out, second.out)
	}
}
