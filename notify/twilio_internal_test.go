package notify

import (
	"net/http"
	"strings"
	"testing"
)

// TestRewriteRefusesOtherHosts: the test transport sends Twilio's hosts to
// the fake and nothing anywhere else.
func TestRewriteRefusesOtherHosts(t *testing.T) {
	var got []string
	next := roundTrip(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.URL.String())
		return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
	})
	rt := &rewriteTransport{base: "http://127.0.0.1:9", next: next}
	for _, u := range []string{"https://api.twilio.com/2010-04-01/x", "https://verify.twilio.com/v2/y", "https://api.dublin.ie1.twilio.com/z?q=1"} {
		req, _ := http.NewRequest(http.MethodPost, u, nil)
		if _, err := rt.RoundTrip(req); err != nil {
			t.Errorf("%s: %v", u, err)
		}
		if req.URL.Host == "127.0.0.1:9" {
			t.Errorf("%s: the caller's request was changed", u)
		}
	}
	want := []string{"http://127.0.0.1:9/2010-04-01/x", "http://127.0.0.1:9/v2/y", "http://127.0.0.1:9/z?q=1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rewritten to %v, want %v", got, want)
	}
	for _, u := range []string{"https://example.com/", "https://twilio.com.evil.example/", "https://eviltwilio.com/"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if _, err := rt.RoundTrip(req); err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("%s: %v, want refused", u, err)
		}
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
