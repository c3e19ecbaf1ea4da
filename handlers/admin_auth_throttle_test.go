package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// postLogins sends every sign-in at once (from goroutines waiting on one
// start signal) and returns the status codes, in order.
func postLogins(e *adminEnv, forms []url.Values, ips []string) []int {
	codes := make([]int, len(forms))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, f := range forms {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.RemoteAddr = ips[i] + ":4321"
			w := httptest.NewRecorder()
			<-start
			e.router.ServeHTTP(w, req)
			codes[i] = w.Code
		})
	}
	close(start)
	wg.Wait()
	return codes
}

func countCodes(codes []int) map[int]int {
	m := map[int]int{}
	for _, c := range codes {
		m[c]++
	}
	return m
}

// Issue 8, item 3: 60 simultaneous wrong guesses at one account (each from
// its own address) were all checked, and the right password as the 60th
// signed in. Now the attempt is counted before the check: one guess is
// checked, the other 59 and the right password are told to wait.
func TestAdminSignInConcurrentGuesses(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		var forms []url.Values
		var ips []string
		for i := range 60 {
			forms = append(forms, url.Values{"email": {ownerEmail}, "password": {fmt.Sprintf("guess number %d", i)}})
			ips = append(ips, fmt.Sprintf("203.0.113.%d", i+1))
		}
		got := countCodes(postLogins(e, forms, ips))
		if got[http.StatusUnauthorized] > 1 || got[http.StatusTooManyRequests] < 59 {
			t.Errorf("60 concurrent guesses: %v, want at most 1 checked (401) and the rest 429", got)
		}
		owner := &adminClient{e: e, ip: "198.51.100.60"}
		right := owner.post("/admin/login", url.Values{"email": {ownerEmail}, "password": {adminPassword}})
		if right.code != http.StatusTooManyRequests || owner.cookie != "" {
			t.Errorf("the right password after 60 guesses: %d, want 429 and no session", right.code)
		}
	})
}

// Sixty simultaneous guesses from one address, each at another account:
// the address's hard limit lets only LoginAttemptsPerIP be checked.
func TestAdminSignInConcurrentGuessesOneAddress(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		var forms []url.Values
		var ips []string
		for i := range 59 {
			forms = append(forms, url.Values{"email": {fmt.Sprintf("user%d@example.com", i)}, "password": {"guess"}})
			ips = append(ips, "192.0.2.99")
		}
		got := countCodes(postLogins(e, forms, ips))
		if got[http.StatusUnauthorized] > booking.LoginAttemptsPerIP || got[http.StatusTooManyRequests] < 59-booking.LoginAttemptsPerIP {
			t.Errorf("59 concurrent guesses from one address: %v, want at most %d checked", got, booking.LoginAttemptsPerIP)
		}
		right := (&adminClient{e: e, ip: "192.0.2.99"}).post("/admin/login", url.Values{"email": {ownerEmail}, "password": {adminPassword}})
		if right.code != http.StatusTooManyRequests || !strings.Contains(right.text(".gb-alert--error"), "wait 15 minutes") {
			t.Errorf("the right password from the address over its limit: %d %q", right.code, right.text(".gb-alert--error"))
		}
	})
}

// Issue 8, item 11 (sign-in): a NUL byte or broken UTF-8 in the email or
// password is a 422 with the message at the field, never a 500, and the
// bad text is not echoed back.
func TestAdminSignInUnusableText(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		for _, c := range []struct{ email, password, field string }{
			{"owner\x00@example.com", adminPassword, "email"},
			{"owner@example.com\xff\xfe", adminPassword, "email"},
			{ownerEmail, "correct\x00horse battery", "password"},
			{ownerEmail, "correct \xc3\x28 battery", "password"},
		} {
			r := (&adminClient{e: e, ip: "192.0.2.20"}).post("/admin/login", url.Values{"email": {c.email}, "password": {c.password}})
			if r.code != http.StatusUnprocessableEntity {
				t.Errorf("%q / %q: %d, want 422", c.email, c.password, r.code)
				continue
			}
			msg := r.text("#ga-" + c.field + "-error")
			if !strings.Contains(msg, "characters that cannot be used") {
				t.Errorf("%q / %q: message at %s = %q", c.email, c.password, c.field, msg)
			}
			if r.doc.Find("#ga-"+c.field).AttrOr("aria-invalid", "") != "true" {
				t.Errorf("%s is not marked invalid", c.field)
			}
			if strings.Contains(r.body, "\x00") || strings.Contains(r.body, "\xff") {
				t.Errorf("the bad text is echoed back")
			}
		}
		// Nothing was counted against the account: the right password signs in.
		e.signIn(ownerEmail)
	})
}
