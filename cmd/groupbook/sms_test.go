package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/notify"
)

// twilioEnv is a complete Twilio configuration in the shapes Twilio uses.
func twilioEnv() map[string]string {
	return map[string]string{
		EnvTwilioAccountSID:       "AC0123456789abcdef0123456789abcdef",
		EnvTwilioAuthToken:        "fedcba9876543210fedcba9876543210",
		EnvTwilioFrom:             "+15005550006",
		EnvTwilioVerifyServiceSID: "VA0123456789abcdef0123456789abcdef",
	}
}

func with(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestConfigTwilio(t *testing.T) {
	cfg, err := parseTestConfig(twilioEnv())
	must(t, err)
	want := notify.TwilioConfig{
		AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: "fedcba9876543210fedcba9876543210",
		From: "+15005550006", VerifyServiceSID: "VA0123456789abcdef0123456789abcdef",
	}
	if cfg.Twilio != want || !cfg.HasTwilio() || cfg.NoSMSWorker {
		t.Errorf("config %+v", cfg)
	}
	env := with(twilioEnv(), EnvTwilioFrom, "", EnvTwilioMessagingServiceSID, "MG0123456789abcdef0123456789abcdef")
	cfg, err = parseTestConfig(env)
	must(t, err)
	if cfg.Twilio.MessagingServiceSID != env[EnvTwilioMessagingServiceSID] || cfg.Twilio.From != "" {
		t.Errorf("messaging service: %+v", cfg.Twilio)
	}
	cfg, err = parseTestConfig(with(twilioEnv(), EnvTwilioFrom, "Sunrise"))
	if err != nil || cfg.Twilio.From != "Sunrise" {
		t.Errorf("alphanumeric sender: %+v, %v", cfg.Twilio, err)
	}

	// Without any: the development sender, and the worker on.
	cfg, err = parseTestConfig(nil)
	must(t, err)
	if cfg.HasTwilio() || cfg.NoSMSWorker {
		t.Errorf("defaults %+v", cfg)
	}
	for _, tc := range []struct {
		env  map[string]string
		args []string
		off  bool
	}{
		{map[string]string{EnvSMSWorker: "false"}, nil, true},
		{map[string]string{EnvSMSWorker: "off"}, nil, true},
		{map[string]string{EnvSMSWorker: "1"}, nil, false},
		{map[string]string{EnvSMSWorker: "true"}, []string{"-sms-worker=false"}, true},
	} {
		cfg, err := parseTestConfig(tc.env, tc.args...)
		if err != nil || cfg.NoSMSWorker != tc.off {
			t.Errorf("%v %v: NoSMSWorker %v, %v", tc.env, tc.args, cfg.NoSMSWorker, err)
		}
	}
}

// TestConfigTwilioAllOrNothing: a partial or malformed Twilio setup stops
// the start with errors that name the variables.
func TestConfigTwilioAllOrNothing(t *testing.T) {
	sid := map[string]string{EnvTwilioAccountSID: twilioEnv()[EnvTwilioAccountSID]}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string // each must appear, at the start of a line
	}{
		{"sid alone", sid, []string{
			EnvTwilioAuthToken + ": must be set because " + EnvTwilioAccountSID + " is set",
			EnvTwilioVerifyServiceSID + ": must be set",
			EnvTwilioFrom + ": must be set because " + EnvTwilioAccountSID + " is set, or " + EnvTwilioMessagingServiceSID + " instead",
		}},
		{"token without sid", map[string]string{EnvTwilioAuthToken: twilioEnv()[EnvTwilioAuthToken]}, []string{
			EnvTwilioAccountSID + ": must be set because " + EnvTwilioAuthToken + " is set",
		}},
		{"no sender", with(twilioEnv(), EnvTwilioFrom, ""), []string{EnvTwilioFrom + ": must be set because"}},
		{"no verify", with(twilioEnv(), EnvTwilioVerifyServiceSID, ""), []string{EnvTwilioVerifyServiceSID + ": must be set because"}},
		{"two senders", with(twilioEnv(), EnvTwilioMessagingServiceSID, "MG0123456789abcdef0123456789abcdef"), []string{
			EnvTwilioFrom + ": set it or " + EnvTwilioMessagingServiceSID + ", not both",
		}},
		{"api key for sid", with(twilioEnv(), EnvTwilioAccountSID, "SK0123456789abcdef0123456789abcdef"), []string{
			EnvTwilioAccountSID + ": must be an account SID, AC followed by 32 hex digits",
		}},
		{"service sid swapped", with(twilioEnv(), EnvTwilioVerifyServiceSID, "MG0123456789abcdef0123456789abcdef"), []string{
			EnvTwilioVerifyServiceSID + ": must be a Verify service SID, VA followed",
		}},
		{"bad messaging service", with(twilioEnv(), EnvTwilioFrom, "", EnvTwilioMessagingServiceSID, "MG123"), []string{
			EnvTwilioMessagingServiceSID + ": must be a messaging service SID",
		}},
		{"short token", with(twilioEnv(), EnvTwilioAuthToken, "abc123"), []string{EnvTwilioAuthToken + ": must be the account's auth token, 32 characters, got 6"}},
		{"token with symbols", with(twilioEnv(), EnvTwilioAuthToken, "0123456789abcdef0123456789abcde!"), []string{EnvTwilioAuthToken + ": must be the account's auth token, letters and digits only"}},
		{"from not e164", with(twilioEnv(), EnvTwilioFrom, "+0036201234567"), []string{EnvTwilioFrom + ": must be a phone number in E.164"}},
		{"from too long", with(twilioEnv(), EnvTwilioFrom, "Sunrise Yoga Studio"), []string{EnvTwilioFrom + ": must be a phone number in E.164"}},
		{"worker switch", map[string]string{EnvSMSWorker: "maybe"}, []string{EnvSMSWorker + `: must be true or false, got "maybe"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseTestConfig(tc.env)
			if err == nil {
				t.Fatal("accepted")
			}
			lines := "\n" + err.Error()
			for _, w := range tc.want {
				if !strings.Contains(lines, "\n"+w) {
					t.Errorf("error %q lacks a line starting %q", err, w)
				}
			}
		})
	}
	// The token is never echoed, even when wrong.
	_, err := parseTestConfig(with(twilioEnv(), EnvTwilioAuthToken, "s3cr3t-token-value"))
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("error %v repeats the token", err)
	}
}

// TestBuildSMS: Twilio when configured; otherwise the development pair,
// whose codes only the demo reveals.
func TestBuildSMS(t *testing.T) {
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	secret := strings.Repeat("s", 32)
	dev, err := buildSMS(Config{}, log, secret, false)
	must(t, err)
	if _, ok := dev.sender.(*notify.DevSender); !ok || dev.devCodes != nil {
		t.Errorf("serve without Twilio: %#v", dev)
	}
	demo, err := buildSMS(Config{}, log, secret, true)
	must(t, err)
	v, ok := demo.verifier.(*notify.DevVerifier)
	if !ok || demo.devCodes == nil || demo.devCodes("+36201234567") != v.Code("+36201234567") {
		t.Errorf("demo without Twilio: %#v", demo)
	}
	cfg, err := parseTestConfig(twilioEnv())
	must(t, err)
	tw, err := buildSMS(cfg, log, secret, true)
	must(t, err)
	if _, ok := tw.sender.(*notify.TwilioSender); !ok || tw.devCodes != nil {
		t.Errorf("with Twilio: %#v", tw)
	}
	if _, ok := tw.verifier.(*notify.TwilioVerifier); !ok {
		t.Errorf("with Twilio, verifier %T", tw.verifier)
	}
}

func TestStatusCallbackURL(t *testing.T) {
	tw := twilioEnv()
	for base, want := range map[string]string{
		"https://book.example.com":    "https://book.example.com/hooks/twilio/status",
		"https://example.com/booking": "https://example.com/booking/hooks/twilio/status",
		"http://localhost:8080":       "",
		"http://127.0.0.1:8080":       "",
		"http://192.168.1.10:8080":    "",
	} {
		cfg, err := parseTestConfig(with(tw, EnvBaseURL, base))
		must(t, err)
		if got := statusCallbackURL(cfg); got != want {
			t.Errorf("%s: %q, want %q", base, got, want)
		}
	}
	cfg, _ := parseTestConfig(map[string]string{EnvBaseURL: "https://book.example.com"})
	if got := statusCallbackURL(cfg); got != "" {
		t.Errorf("without Twilio: %q", got)
	}
}

// TestServeSendsWithDevSender: serve says it logs SMS instead of sending,
// and its worker does exactly that for a booking made meanwhile; it stops
// before the server reports it stopped.
func TestServeSendsWithDevSender(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			dsn := booktest.URL(t, kind)
			addr := freeAddr(t)
			s := startCmd(t, map[string]string{EnvAddr: addr, EnvDatabaseURL: dsn, EnvDBMaxConns: "5"})
			s.waitReady(t, "http://"+addr)

			db, err := booking.OpenDB(dsn, booking.DBOptions{MaxOpenConns: 2})
			must(t, err)
			defer db.Close()
			f := booktest.Seed(t, db)
			ctx := context.Background()
			must(t, f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true}))
			ev := f.YogaEvents(t, 1, 10)[0]
			_, err = f.Store.Reserve(ctx, booking.ReserveRequest{
				LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{ev.ID}, Seats: 1, Client: booktest.Client(7), Lang: "en",
			})
			must(t, err)
			for deadline := time.Now().Add(15 * time.Second); !strings.Contains(s.stderr.String(), `"msg":"development SMS"`); time.Sleep(50 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("no development SMS logged:\n%s", s.stderr)
				}
			}
			must(t, s.stop(t))
			logs := s.stderr.String()
			for _, want := range []string{
				`"msg":"SMS: development sender, messages are logged, not sent"`, `"msg":"SMS worker started"`,
				`"to":"` + booktest.Client(7).Phone + `"`, `"body":"Sunrise Yoga: you're booked for Yoga on Tue 3 Mar at 19:00.`,
			} {
				if !strings.Contains(logs, want) {
					t.Errorf("log lacks %s:\n%s", want, logs)
				}
			}
			if w, s := strings.Index(logs, `"msg":"SMS worker stopped"`), strings.Index(logs, `"msg":"stopped"`); w < 0 || w > s {
				t.Errorf("the worker did not stop before the server:\n%s", logs)
			}
			var m booking.OutboxMessage
			must(t, db.NewSelect().Model(&m).Limit(1).Scan(ctx))
			if m.Status != booking.OutboxSent || !strings.HasPrefix(m.ProviderSID, "dev-") {
				t.Errorf("outbox row %+v", m)
			}
		})
	}
}

// TestServeWithTwilio: with Twilio configured the webhook is served and
// refuses unsigned reports; the worker can be turned off per process.
// Nothing is queued, so nothing reaches Twilio.
func TestServeWithTwilio(t *testing.T) {
	addr := freeAddr(t)
	base := "http://" + addr
	env := with(twilioEnv(), EnvAddr, addr, EnvDatabaseURL, booktest.URL(t, booktest.SQLite), EnvSMSWorker, "false")
	s := startCmd(t, env)
	s.waitReady(t, base)
	resp, err := http.PostForm(base+"/hooks/twilio/status", url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"delivered"}})
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned webhook: %d, want 403", resp.StatusCode)
	}
	must(t, s.stop(t))
	logs := s.stderr.String()
	for _, want := range []string{`"msg":"SMS: Twilio"`, `"msg":"SMS worker off in this process"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, twilioEnv()[EnvTwilioAuthToken]) {
		t.Error("the auth token is in the log")
	}
}
