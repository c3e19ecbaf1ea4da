package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/notify"
	"groupbook/widget"
)

const (
	fakeAccountSID = "AC0123456789abcdef0123456789abcdef"
	fakeAuthToken  = "0123456789abcdef0123456789abcdef"
	fakeVerifySID  = "VA0123456789abcdef0123456789abcdef"
	fakeVerifyCode = "424242"
)

// twilioFail is one error answer of the fake: Twilio's status and code.
type twilioFail struct{ status, code int }

// fakeVerify is a local Twilio Verify for the real twilio-go client: it
// sends every phone the code 424242, or answers the error set for the
// phone's next start or check.
type fakeVerify struct {
	mu        sync.Mutex
	startFail map[string]twilioFail
	checkFail map[string]twilioFail
	pending   map[string]bool
	starts    int
}

func newFakeVerify(t *testing.T) (*fakeVerify, *httptest.Server) {
	f := &fakeVerify{startFail: map[string]twilioFail{}, checkFail: map[string]twilioFail{}, pending: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeVerify) serve(w http.ResponseWriter, r *http.Request) {
	if user, pass, ok := r.BasicAuth(); !ok || user != fakeAccountSID || pass != fakeAuthToken {
		writeTwilioError(w, twilioFail{401, 20003})
		return
	}
	r.ParseForm()
	to := r.PostForm.Get("To")
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.URL.Path {
	case "/v2/Services/" + fakeVerifySID + "/Verifications":
		f.starts++
		if e, ok := f.startFail[to]; ok {
			writeTwilioError(w, e)
			return
		}
		f.pending[to] = true
		writeTwilioVerification(w, to, "pending")
	case "/v2/Services/" + fakeVerifySID + "/VerificationCheck":
		if e, ok := f.checkFail[to]; ok {
			writeTwilioError(w, e)
			return
		}
		if !f.pending[to] {
			writeTwilioError(w, twilioFail{404, 20404})
			return
		}
		if r.PostForm.Get("Code") != fakeVerifyCode {
			writeTwilioVerification(w, to, "pending")
			return
		}
		delete(f.pending, to)
		writeTwilioVerification(w, to, "approved")
	default:
		writeTwilioError(w, twilioFail{404, 20404})
	}
}

func (f *fakeVerify) failStart(phone string, e twilioFail) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.startFail[phone] = e
}

func (f *fakeVerify) failCheck(phone string, e twilioFail) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checkFail[phone] = e
}

// writeTwilioError answers as Twilio does: JSON for its own errors, and an
// HTML page for a 500 from in front of it.
func writeTwilioError(w http.ResponseWriter, e twilioFail) {
	if e.code == 0 {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(e.status)
		fmt.Fprint(w, "<html><body><h1>500 Internal Server Error</h1></body></html>")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	json.NewEncoder(w).Encode(map[string]any{
		"code": e.code, "message": fmt.Sprintf("error %d", e.code), "status": e.status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", e.code),
	})
}

func writeTwilioVerification(w http.ResponseWriter, to, status string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{
		"sid": "VE0123456789abcdef0123456789abcdef", "service_sid": fakeVerifySID, "account_sid": fakeAccountSID,
		"to": to, "channel": "sms", "status": status, "valid": status == "approved",
		"date_created": "2026-03-02T09:00:00Z", "date_updated": "2026-03-02T09:00:00Z",
	})
}

// newTwilioWidgetEnv is the widget env with the real twilio-go Verify
// client pointed at a fake, and the server's log in a buffer.
func newTwilioWidgetEnv(t *testing.T, db *bun.DB) (*widgetEnv, *fakeVerify, *syncBuffer) {
	t.Helper()
	f := booktest.Seed(t, db)
	fake, srv := newFakeVerify(t)
	verifier, err := notify.NewTwilioVerifier(notify.TwilioConfig{
		AccountSID: fakeAccountSID, AuthToken: fakeAuthToken, VerifyServiceSID: fakeVerifySID, Timeout: 5 * time.Second,
	}, notify.WithEndpoint(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	e := newTestRouter(t, f.Store, func() time.Time { return f.Now }, func(d *Deps) {
		d.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
		d.Verifier = verifier
	})
	e.db, e.f = db, f
	smsLink(t, e)
	return e, fake, logs
}

// syncBuffer is a log buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// twilioCase is one Verify answer and the page it must give.
type twilioCase struct {
	name   string
	fail   twilioFail
	status int
	// page: "code" (the code form, its field error or alert), "done" (no
	// code field, the way to start again), "contact" (back at the phone).
	page string
	text string // in the field error or alert
}

// assertVerifyPage checks a Verify error became a page of its own, never a
// blank 500, and that nothing was booked.
func assertVerifyPage(t *testing.T, e *widgetEnv, p *page, tc twilioCase) {
	t.Helper()
	if p.code != tc.status || p.doc == nil {
		t.Fatalf("%s: status %d, want %d\n%s", tc.name, p.code, tc.status, p.body)
	}
	msgs := p.text(".gb-alert--error") + " " + p.text(".gb-error")
	if !strings.Contains(msgs, tc.text) {
		t.Errorf("%s: messages %q, want %q", tc.name, msgs, tc.text)
	}
	code := p.doc.Find(`input[name=code]`).Length() == 1
	resend := p.doc.Find(`form[action="/w/sunrise/verify/resend"]`).Length() == 1
	phone := p.doc.Find(`input[name=phone]`).Length() == 1
	switch tc.page {
	case "code":
		if !code || !resend || p.hidden("p") == "" {
			t.Errorf("%s: want the code form with resend (code %v, resend %v)", tc.name, code, resend)
		}
	case "done":
		if code || resend || p.doc.Find(`a[href^="/w/sunrise"]`).Length() == 0 {
			t.Errorf("%s: want the done state (code %v, resend %v)", tc.name, code, resend)
		}
	case "contact":
		if !phone || code {
			t.Errorf("%s: want the contact form (phone %v, code %v)", tc.name, phone, code)
		}
	}
	if e.bookings() != 0 {
		t.Fatalf("%s: booked", tc.name)
	}
}

// TestVerifyTwilioErrors: every answer Twilio Verify gives to a code check
// has its page: an expired or used code asks for a new one (resend at
// hand), too many attempts end the step, a refused number goes back to the
// phone field, and an outage says to try again; never a blank 500.
func TestVerifyTwilioErrors(t *testing.T) {
	cases := []twilioCase{
		{"20404 expired or used", twilioFail{404, 20404}, http.StatusUnprocessableEntity, "code", "expired"},
		{"60202 max check attempts", twilioFail{429, 60202}, http.StatusTooManyRequests, "done", "Too many attempts"},
		{"60203 max send attempts", twilioFail{429, 60203}, http.StatusTooManyRequests, "done", "Too many attempts"},
		{"20429 too many requests", twilioFail{429, 20429}, http.StatusTooManyRequests, "done", "Too many attempts"},
		{"21211 invalid number", twilioFail{400, 21211}, http.StatusUnprocessableEntity, "contact", "could not send an SMS"},
		{"500 outage", twilioFail{500, 20500}, http.StatusBadGateway, "code", "try again in a moment"},
		{"500 HTML outage", twilioFail{500, 0}, http.StatusBadGateway, "code", "try again in a moment"},
	}
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e, fake, _ := newTwilioWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 1, 10)
		for i, tc := range cases {
			phone := fmt.Sprintf("+3620765%04d", i)
			pending := codePage(t, e, evs[0], phone).hidden("p")
			fake.failCheck(phone, tc.fail)
			p := e.post("/w/sunrise/verify", url.Values{"p": {pending}, "code": {fakeVerifyCode}})
			assertVerifyPage(t, e, p, tc)
		}
		// Without a scripted error, a check for a code never sent is
		// Verify's own 20404: the client is asked to send a new one, and
		// the new code books.
		phone := "+36207659999"
		pending := codePage(t, e, evs[0], phone).hidden("p")
		fake.mu.Lock()
		delete(fake.pending, phone)
		fake.mu.Unlock()
		p := e.post("/w/sunrise/verify", url.Values{"p": {pending}, "code": {fakeVerifyCode}})
		assertVerifyPage(t, e, p, cases[0])
		e.f.Now = e.f.Now.Add(widget.CodeCooldown + time.Second)
		if r := e.post("/w/sunrise/verify/resend", url.Values{"p": {p.hidden("p")}}); r.code != http.StatusOK {
			t.Fatalf("resend after expiry: %d", r.code)
		}
		first := e.post("/w/sunrise/verify", url.Values{"p": {p.hidden("p")}, "code": {fakeVerifyCode}})
		if first.code != http.StatusSeeOther || e.bookings() != 1 {
			t.Fatalf("the new code: %d, %d bookings", first.code, e.bookings())
		}
		// The same code form sent again (a double tap, a retry after a
		// lost answer): Verify has used the code up (20404), but the
		// booking it made is what the client sees, not "expired".
		again := e.post("/w/sunrise/verify", url.Values{"p": {p.hidden("p")}, "code": {fakeVerifyCode}})
		if again.code != http.StatusSeeOther || again.hdr.Get("Location") != first.hdr.Get("Location") || e.bookings() != 1 {
			t.Errorf("the code form sent twice: %d to %q (first %q), %d bookings", again.code, again.hdr.Get("Location"), first.hdr.Get("Location"), e.bookings())
		}
	})
}

// TestResendTwilioErrors: the same answers to sending a new code.
func TestResendTwilioErrors(t *testing.T) {
	cases := []twilioCase{
		{"20404 service not found", twilioFail{404, 20404}, http.StatusBadGateway, "code", "try again in a moment"},
		{"60202 max check attempts", twilioFail{429, 60202}, http.StatusTooManyRequests, "done", "Too many attempts"},
		{"60203 max send attempts", twilioFail{429, 60203}, http.StatusTooManyRequests, "done", "Too many attempts"},
		{"20429 too many requests", twilioFail{429, 20429}, http.StatusTooManyRequests, "done", "Too many attempts"},
		{"21211 invalid number", twilioFail{400, 21211}, http.StatusUnprocessableEntity, "contact", "could not send an SMS"},
		{"500 outage", twilioFail{500, 20500}, http.StatusBadGateway, "code", "try again in a moment"},
		{"500 HTML outage", twilioFail{500, 0}, http.StatusBadGateway, "code", "try again in a moment"},
	}
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e, fake, _ := newTwilioWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 1, 10)
		for i, tc := range cases {
			// Every case sends two codes from one address: an hour apart,
			// they stay within its limit.
			e.f.Now = e.f.Now.Add(time.Hour)
			phone := fmt.Sprintf("+3620765%04d", i)
			pending := codePage(t, e, evs[0], phone).hidden("p")
			fake.failStart(phone, tc.fail)
			e.f.Now = e.f.Now.Add(widget.CodeCooldown + time.Second)
			p := e.post("/w/sunrise/verify/resend", url.Values{"p": {pending}})
			assertVerifyPage(t, e, p, tc)
		}
	})
}

// TestStartTwilioErrors: the first code of the contact step. A refused
// number is an error at the phone field; an outage an error above the
// form with 502; nothing is booked.
func TestStartTwilioErrors(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e, fake, _ := newTwilioWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 1, 10)
		for i, tc := range []struct {
			fail   twilioFail
			status int
			sel    string
			text   string
		}{
			{twilioFail{400, 21211}, http.StatusUnprocessableEntity, "#gb-phone-error", "could not send an SMS"},
			{twilioFail{429, 60203}, http.StatusTooManyRequests, ".gb-alert--error", "Too many codes"},
			{twilioFail{500, 20500}, http.StatusBadGateway, ".gb-alert--error", "try again in a moment"},
		} {
			phone := fmt.Sprintf("+3620766%04d", i)
			fake.failStart(phone, tc.fail)
			form := contact(e.contactForm(evs[0], "1").hidden("s"))
			form.Set("phone", phone)
			p := e.post("/w/sunrise/book", form)
			if p.code != tc.status || !strings.Contains(p.text(tc.sel), tc.text) || p.doc.Find(`input[name=phone]`).Length() != 1 {
				t.Errorf("start %d: %d %q", tc.fail.code, p.code, p.text(tc.sel))
			}
		}
		if e.bookings() != 0 {
			t.Fatal("booked without a code")
		}
	})
}

// TestCodesPausedInWidget: when the install-wide breaker opens, the widget
// answers 503 at the phone field with Retry-After, an error is logged
// once, and the admin is told (see TestAdminCodesPausedAlert).
func TestCodesPausedInWidget(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e, fake, logs := newTwilioWidgetEnv(t, db)
		limits := widget.DefaultCodeLimits()
		limits.Breaker = booking.CodeBreaker{Sends: 2, Window: 10 * time.Minute, Pause: 30 * time.Minute}
		e.flow.CodeLimits = &limits
		evs := e.f.YogaEvents(t, 1, 10)
		codePage(t, e, evs[0], "+36207000001")
		pending := codePage(t, e, evs[0], "+36207000002").hidden("p")
		for i, phone := range []string{"+36207000003", "+36207000004"} {
			form := contact(e.contactForm(evs[0], "1").hidden("s"))
			form.Set("phone", phone)
			p := e.post("/w/sunrise/book", form)
			if p.code != http.StatusServiceUnavailable || !strings.Contains(p.text("#gb-phone-error"), "paused") || p.hdr.Get("Retry-After") != "1801" {
				t.Errorf("attempt %d while paused: %d %q Retry-After %q", i, p.code, p.text("#gb-phone-error"), p.hdr.Get("Retry-After"))
			}
		}
		// The code form's resend is refused too.
		e.f.Now = e.f.Now.Add(time.Minute)
		if p := e.post("/w/sunrise/verify/resend", url.Values{"p": {pending}}); p.code != http.StatusServiceUnavailable || !strings.Contains(p.text(".gb-alert--error"), "paused") {
			t.Errorf("resend while paused: %d %q", p.code, p.text(".gb-alert--error"))
		}
		if fake.starts != 2 {
			t.Errorf("%d codes asked of Twilio, want 2", fake.starts)
		}
		errorsLogged := 0
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["level"] == "ERROR" && strings.Contains(fmt.Sprint(m["msg"]), "confirmation codes paused") {
				errorsLogged++
				if m["sends"] != float64(2) {
					t.Errorf("log line %v", m)
				}
			}
		}
		if errorsLogged != 1 {
			t.Errorf("%d error lines about the pause, want 1:\n%s", errorsLogged, logs.String())
		}
		if p, _ := e.f.Store.CodesPaused(context.Background()); !p.Active() {
			t.Error("the breaker is not open")
		}
	})
}
