package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"

	"groupbook/notify"
)

func twilioConfig() notify.TwilioConfig {
	return notify.TwilioConfig{
		AccountSID: testAccountSID, AuthToken: testAuthToken, From: testFrom,
		VerifyServiceSID: testVerifySID, Timeout: 300 * time.Millisecond,
	}
}

func newSender(t *testing.T, cfg notify.TwilioConfig, fake *fakeTwilio) *notify.TwilioSender {
	t.Helper()
	s, err := notify.NewTwilioSender(cfg, notify.WithEndpoint(fake.URL()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTwilioSenderRequest checks what the real twilio-go client sends: the
// Messages path of our account, basic auth, and the form fields.
func TestTwilioSenderRequest(t *testing.T) {
	fake := newFakeTwilio(t)
	ctx := context.Background()
	s := newSender(t, twilioConfig(), fake)
	sid, err := s.Send(ctx, notify.Message{To: "+36201234567", Body: "Sunrise Yoga: hello, ünnep", StatusCallback: "https://book.example.com/hooks/twilio/status"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sid, "SM") || len(sid) != 34 {
		t.Errorf("sid %q", sid)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Path != "/2010-04-01/Accounts/"+testAccountSID+"/Messages.json" || r.User != testAccountSID || r.Pass != testAuthToken {
		t.Errorf("request %+v", r)
	}
	want := map[string]string{
		"To": "+36201234567", "Body": "Sunrise Yoga: hello, ünnep", "From": testFrom,
		"StatusCallback": "https://book.example.com/hooks/twilio/status",
	}
	if fmt.Sprint(r.Form) != fmt.Sprint(want) {
		t.Errorf("form %v, want %v", r.Form, want)
	}

	// With a messaging service: no From of ours, unless the message picks
	// one of the service's senders.
	cfg := twilioConfig()
	cfg.From, cfg.MessagingServiceSID = "", testServiceSID
	svc := newSender(t, cfg, fake)
	if _, err := svc.Send(ctx, notify.Message{To: "+36201234568", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Send(ctx, notify.Message{To: "+36201234569", Body: "c", From: "SUNRISE"}); err != nil {
		t.Fatal(err)
	}
	reqs = fake.Requests()
	if f := reqs[1].Form; f["MessagingServiceSid"] != testServiceSID || f["From"] != "" || f["StatusCallback"] != "" {
		t.Errorf("messaging service form %v", f)
	}
	if f := reqs[2].Form; f["MessagingServiceSid"] != testServiceSID || f["From"] != "SUNRISE" {
		t.Errorf("sender override form %v", f)
	}
}

// TestTwilioSenderErrors: how each failure is classified.
func TestTwilioSenderErrors(t *testing.T) {
	fake := newFakeTwilio(t)
	fake.slow = 2 * time.Second
	byNumber := map[string]action{
		"+36201000001": rateLimit, "+36201000002": serverErr, "+36201000003": badGateway,
		"+36201000004": slowAccept, "+36201000005": invalidTo,
	}
	fake.decide = func(to string) action { return byNumber[to] }
	s := newSender(t, twilioConfig(), fake)
	ctx := context.Background()
	for to, want := range map[string]bool{
		"+36201000001": false, "+36201000002": false, "+36201000003": false, "+36201000004": false, "+36201000005": true,
	} {
		_, err := s.Send(ctx, notify.Message{To: to, Body: "x"})
		if err == nil {
			t.Errorf("%s (action %d): no error", to, byNumber[to])
			continue
		}
		if got := notify.IsPermanent(err); got != want {
			t.Errorf("%s: IsPermanent(%v) = %v, want %v", to, err, got, want)
		}
	}

	// Bad credentials are the operator's problem, not the message's.
	cfg := twilioConfig()
	cfg.AuthToken = "ffffffffffffffffffffffffffffffff"
	_, err := newSender(t, cfg, fake).Send(ctx, notify.Message{To: "+36201000009", Body: "x"})
	var te *client.TwilioRestError
	if !errors.As(err, &te) || te.Status != 401 || notify.IsPermanent(err) {
		t.Errorf("bad token: %v, want a transient 401", err)
	}

	// Nobody listening: a network error, transient.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	down, err := notify.NewTwilioSender(twilioConfig(), notify.WithEndpoint(closed))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := down.Send(ctx, notify.Message{To: "+36201000010", Body: "x"}); err == nil || notify.IsPermanent(err) {
		t.Errorf("connection refused: %v, want a transient error", err)
	}
}

func TestIsPermanent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("connection reset"), false},
		{context.DeadlineExceeded, false},
		{notify.Permanent(errors.New("bad payload")), true},
		{fmt.Errorf("wrapped: %w", notify.Permanent(errors.New("x"))), true},
		{&client.TwilioRestError{Status: 429, Code: 20429}, false},
		{&client.TwilioRestError{Status: 500, Code: 20500}, false},
		{&client.TwilioRestError{Status: 503, Code: 20503}, false},
		{&client.TwilioRestError{Status: 400, Code: 21211}, true},
		{&client.TwilioRestError{Status: 400, Code: 21610}, true},
		{&client.TwilioRestError{Status: 400, Code: 21614}, true},
		{&client.TwilioRestError{Status: 400, Code: 21408}, true},
		{&client.TwilioRestError{Status: 400, Code: 21611}, false}, // queue full
		{&client.TwilioRestError{Status: 401, Code: 20003}, false},
		{&client.TwilioRestError{Status: 404, Code: 20404}, false},
		{fmt.Errorf("twilio message: %w", &client.TwilioRestError{Status: 400, Code: 21211}), true},
	} {
		if got := notify.IsPermanent(tc.err); got != tc.want {
			t.Errorf("IsPermanent(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestWithEndpointStaysLocal: the test transport never lets a request
// leave for another host.
func TestWithEndpointStaysLocal(t *testing.T) {
	fake := newFakeTwilio(t)
	var seen []string
	spy := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.URL.Host)
		return http.DefaultTransport.RoundTrip(r)
	})
	s, err := notify.NewTwilioSender(twilioConfig(), notify.WithTransport(spy), notify.WithEndpoint(fake.URL()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(context.Background(), notify.Message{To: "+36201234567", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || "http://"+seen[0] != fake.URL() {
		t.Errorf("requests went to %v, want only %s", seen, fake.URL())
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func newVerifier(t *testing.T, fake *fakeTwilio) *notify.TwilioVerifier {
	t.Helper()
	v, err := notify.NewTwilioVerifier(twilioConfig(), notify.WithEndpoint(fake.URL()))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTwilioVerifier walks the Verify flow against the fake: start in the
// client's language, a wrong code, the right one, and the errors the
// widget tells apart.
func TestTwilioVerifier(t *testing.T) {
	fake := newFakeTwilio(t)
	v := newVerifier(t, fake)
	ctx := context.Background()
	phone := "+36201234567"

	if err := v.Start(ctx, phone, "hu"); err != nil {
		t.Fatal(err)
	}
	r := fake.Requests()[0]
	want := map[string]string{"To": phone, "Channel": "sms", "Locale": "hu"}
	if r.Path != "/v2/Services/"+testVerifySID+"/Verifications" || fmt.Sprint(r.Form) != fmt.Sprint(want) || r.User != testAccountSID {
		t.Errorf("start request %+v", r)
	}
	if ok, err := v.Check(ctx, phone, "111111"); ok || err != nil {
		t.Errorf("wrong code: %v %v", ok, err)
	}
	n := len(fake.Requests())
	if ok, err := v.Check(ctx, phone, "12ab"); ok || err != nil || len(fake.Requests()) != n {
		t.Errorf("malformed code: %v %v, and it reached Twilio: %v", ok, err, len(fake.Requests()) != n)
	}
	if ok, err := v.Check(ctx, phone, verifyCode); !ok || err != nil {
		t.Errorf("right code: %v %v", ok, err)
	}
	last := fake.Requests()[len(fake.Requests())-1]
	if last.Path != "/v2/Services/"+testVerifySID+"/VerificationCheck" || last.Form["Code"] != verifyCode || last.Form["To"] != phone {
		t.Errorf("check request %+v", last)
	}
	// Approved codes are gone: Verify answers 404.
	if _, err := v.Check(ctx, phone, verifyCode); !errors.Is(err, notify.ErrVerifyExpired) {
		t.Errorf("check after approval: %v, want ErrVerifyExpired", err)
	}

	// Five wrong codes, then Verify refuses.
	if err := v.Start(ctx, phone, "en"); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		v.Check(ctx, phone, "000000")
	}
	if _, err := v.Check(ctx, phone, verifyCode); !errors.Is(err, notify.ErrVerifyExhausted) {
		t.Errorf("after 5 wrong codes: %v, want ErrVerifyExhausted", err)
	}

	fake.verifyErr["+36201000001"] = fakeError{400, 60200, "Invalid parameter `To`: +36201000001"}
	fake.verifyErr["+36201000002"] = fakeError{400, 60205, "SMS is not supported by landline phone number"}
	fake.verifyErr["+36201000003"] = fakeError{429, 60203, "Max send attempts reached"}
	fake.verifyErr["+36201000004"] = fakeError{429, 20429, "Too Many Requests"}
	fake.verifyErr["+36201000005"] = fakeError{500, 20500, "Internal Server Error"}
	for phone, want := range map[string]error{
		"+36201000001": notify.ErrVerifyInvalidPhone, "+36201000002": notify.ErrVerifyInvalidPhone,
		"+36201000003": notify.ErrVerifyExhausted, "+36201000004": notify.ErrVerifyExhausted,
	} {
		if err := v.Start(ctx, phone, "en"); !errors.Is(err, want) {
			t.Errorf("start %s: %v, want %v", phone, err, want)
		}
	}
	err := v.Start(ctx, "+36201000005", "en")
	if err == nil || errors.Is(err, notify.ErrVerifyInvalidPhone) || errors.Is(err, notify.ErrVerifyExhausted) {
		t.Errorf("start on a 500: %v, want a plain error", err)
	}
}

// TestTwilioVerifierLocaleFallback: Verify answers a locale it has no
// template for with 404; the code still goes out, in the phone's language.
func TestTwilioVerifierLocaleFallback(t *testing.T) {
	fake := newFakeTwilio(t)
	fake.noLocale["uk"] = true
	v := newVerifier(t, fake)
	if err := v.Start(context.Background(), "+380501234567", "uk"); err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || reqs[0].Form["Locale"] != "uk" || reqs[1].Form["Locale"] != "" {
		t.Errorf("requests %+v, want one with Locale uk and a retry without", reqs)
	}
	// Languages Verify is not told about go without a locale at once.
	if err := v.Start(context.Background(), "+36201234567", "de"); err != nil {
		t.Fatal(err)
	}
	if r := fake.Requests()[2]; r.Form["Locale"] != "" {
		t.Errorf("locale %q sent for de", r.Form["Locale"])
	}
}
