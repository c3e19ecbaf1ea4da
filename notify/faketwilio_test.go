package notify_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test credentials, in the shapes Twilio uses.
const (
	testAccountSID = "AC0123456789abcdef0123456789abcdef"
	testAuthToken  = "0123456789abcdef0123456789abcdef"
	testVerifySID  = "VA0123456789abcdef0123456789abcdef"
	testServiceSID = "MG0123456789abcdef0123456789abcdef"
	testFrom       = "+15005550006"
)

// action is how the fake answers one request to send a message.
type action int

const (
	accept     action = iota
	rateLimit         // 429 with Twilio's JSON error 20429
	serverErr         // 500 with Twilio's JSON error
	badGateway        // 503 with an HTML body, as a proxy would send
	slowAccept        // takes the message, then answers after the client gave up
	invalidTo         // 400, 21211 invalid number
)

// fakeRequest is one request the fake received.
type fakeRequest struct {
	Path string
	Form map[string]string
	User string
	Pass string
}

// fakeMessage is one message the fake took, and so "sent".
type fakeMessage struct {
	SID, To, Body, From, MessagingService, StatusCallback string
	// Late is true when the answer came too late for the client: it
	// believes the call failed and will send again.
	Late bool
}

// fakeTwilio is a local Twilio for the real twilio-go client: Messages and
// Verify, with basic auth, form parsing and Twilio's JSON bodies. decide
// picks each message's fate; nil accepts everything.
type fakeTwilio struct {
	t      *testing.T
	srv    *httptest.Server
	decide func(to string) action
	// slow is how long a slow answer takes; more than the client's timeout.
	slow time.Duration

	mu       sync.Mutex
	requests []fakeRequest
	messages []fakeMessage
	actions  map[action]int
	nextSID  int
	codes    map[string]string // phone → pending Verify code
	wrong    map[string]int
	// verifyErr makes Verify's start answer this for a phone.
	verifyErr map[string]fakeError
	// noLocale lists locales Verify has no template for (it answers 404).
	noLocale map[string]bool
}

type fakeError struct {
	status, code int
	message      string
}

func newFakeTwilio(t *testing.T) *fakeTwilio {
	f := &fakeTwilio{
		t: t, slow: time.Second, actions: map[action]int{},
		codes: map[string]string{}, wrong: map[string]int{},
		verifyErr: map[string]fakeError{}, noLocale: map[string]bool{},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTwilio) URL() string { return f.srv.URL }

func (f *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("fake twilio: form: %v", err)
	}
	req := fakeRequest{Path: r.URL.Path, Form: map[string]string{}, User: user, Pass: pass}
	for k, v := range r.PostForm {
		req.Form[k] = v[0]
	}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()

	if !ok || user != testAccountSID || pass != testAuthToken {
		writeError(w, fakeError{401, 20003, "Authenticate"})
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		writeError(w, fakeError{405, 20004, "Method not allowed"})
		return
	}
	switch r.URL.Path {
	case "/2010-04-01/Accounts/" + testAccountSID + "/Messages.json":
		f.message(w, r, req.Form)
	case "/v2/Services/" + testVerifySID + "/Verifications":
		f.verification(w, req.Form)
	case "/v2/Services/" + testVerifySID + "/VerificationCheck":
		f.verificationCheck(w, req.Form)
	default:
		writeError(w, fakeError{404, 20404, "The requested resource " + r.URL.Path + " was not found"})
	}
}

func writeError(w http.ResponseWriter, e fakeError) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	json.NewEncoder(w).Encode(map[string]any{
		"code": e.code, "message": e.message, "status": e.status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", e.code),
	})
}

func (f *fakeTwilio) message(w http.ResponseWriter, r *http.Request, form map[string]string) {
	to, body := form["To"], form["Body"]
	if to == "" || body == "" || (form["From"] == "" && form["MessagingServiceSid"] == "") {
		writeError(w, fakeError{400, 21604, "A 'To' phone number, a Body and a sender are required."})
		return
	}
	act := accept
	if f.decide != nil {
		act = f.decide(to)
	}
	f.mu.Lock()
	f.actions[act]++
	f.mu.Unlock()
	switch act {
	case rateLimit:
		writeError(w, fakeError{429, 20429, "Too Many Requests"})
		return
	case serverErr:
		writeError(w, fakeError{500, 20500, "Internal Server Error"})
		return
	case badGateway:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>")
		return
	case invalidTo:
		writeError(w, fakeError{400, 21211, "Invalid 'To' Phone Number: " + to})
		return
	}
	// Twilio takes the message the moment it answers 201; a slow answer
	// models a response lost after that, so the message counts as sent.
	f.mu.Lock()
	f.nextSID++
	m := fakeMessage{
		SID: fmt.Sprintf("SM%032x", f.nextSID), To: to, Body: body, From: form["From"],
		MessagingService: form["MessagingServiceSid"], StatusCallback: form["StatusCallback"], Late: act == slowAccept,
	}
	f.messages = append(f.messages, m)
	f.mu.Unlock()
	if act == slowAccept {
		select {
		case <-r.Context().Done():
		case <-time.After(f.slow):
		}
	}
	now := time.Now().UTC().Format(time.RFC1123Z)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{
		"account_sid": testAccountSID, "api_version": "2010-04-01", "body": body,
		"date_created": now, "date_sent": nil, "date_updated": now, "direction": "outbound-api",
		"error_code": nil, "error_message": nil, "from": form["From"],
		"messaging_service_sid": nilIfEmpty(form["MessagingServiceSid"]), "num_media": "0", "num_segments": "1",
		"price": nil, "price_unit": "USD", "sid": m.SID, "status": "queued", "to": to,
		"subresource_uris": map[string]string{"media": "/2010-04-01/Accounts/" + testAccountSID + "/Messages/" + m.SID + "/Media.json"},
		"uri":              "/2010-04-01/Accounts/" + testAccountSID + "/Messages/" + m.SID + ".json",
	})
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// verifyCode is the code the fake Verify "sends" to every phone.
const verifyCode = "424242"

func (f *fakeTwilio) verification(w http.ResponseWriter, form map[string]string) {
	to := form["To"]
	if form["Channel"] != "sms" {
		writeError(w, fakeError{400, 60200, "Invalid parameter: Channel"})
		return
	}
	f.mu.Lock()
	e, failing := f.verifyErr[to]
	noTemplate := f.noLocale[form["Locale"]]
	f.mu.Unlock()
	switch {
	case failing:
		writeError(w, e)
		return
	case noTemplate:
		writeError(w, fakeError{404, 20404, "The requested resource was not found"})
		return
	case !strings.HasPrefix(to, "+"):
		writeError(w, fakeError{400, 60200, "Invalid parameter `To`: " + to})
		return
	}
	f.mu.Lock()
	f.codes[to] = verifyCode
	f.wrong[to] = 0
	f.mu.Unlock()
	writeVerification(w, to, "pending")
}

func (f *fakeTwilio) verificationCheck(w http.ResponseWriter, form map[string]string) {
	to, code := form["To"], form["Code"]
	f.mu.Lock()
	defer f.mu.Unlock()
	want, ok := f.codes[to]
	switch {
	case !ok:
		writeError(w, fakeError{404, 20404, "The requested resource /Services/" + testVerifySID + "/VerificationCheck was not found"})
	case f.wrong[to] >= 5:
		writeError(w, fakeError{429, 60202, "Max check attempts reached"})
	case code == want:
		delete(f.codes, to)
		writeVerification(w, to, "approved")
	default:
		f.wrong[to]++
		writeVerification(w, to, "pending")
	}
}

func writeVerification(w http.ResponseWriter, to, status string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{
		"sid": "VE0123456789abcdef0123456789abcdef", "service_sid": testVerifySID, "account_sid": testAccountSID,
		"to": to, "channel": "sms", "status": status, "valid": status == "approved",
		"amount": nil, "payee": nil, "date_created": "2026-03-02T09:00:00Z", "date_updated": "2026-03-02T09:00:00Z",
		"sna_attempts_error_codes": []any{},
	})
}

// Requests returns a copy of every request received.
func (f *fakeTwilio) Requests() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeRequest(nil), f.requests...)
}

// Messages returns a copy of every message taken.
func (f *fakeTwilio) Messages() []fakeMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeMessage(nil), f.messages...)
}

func (f *fakeTwilio) Actions() map[action]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[action]int{}
	for k, v := range f.actions {
		out[k] = v
	}
	return out
}
