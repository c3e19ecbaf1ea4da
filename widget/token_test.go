package widget

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSignerRoundTripAndRefusals(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := NewSigner("0123456789abcdef0123456789abcdef")
	type v struct{ A int }
	tok, err := s.Seal("selection", v{42}, now)
	if err != nil {
		t.Fatal(err)
	}
	var got v
	if err := s.Open("selection", tok, time.Hour, now.Add(59*time.Minute), &got); err != nil || got.A != 42 {
		t.Fatalf("open: %v %+v", err, got)
	}
	payload, sig, _ := strings.Cut(tok, ".")
	other := NewSigner("another secret, another server....")
	otherTok, _ := other.Seal("selection", v{42}, now)
	forgedPayload, _ := s.Seal("selection", v{43}, now)
	fp, _, _ := strings.Cut(forgedPayload, ".")
	for name, tc := range map[string]struct {
		purpose, token string
		at             time.Time
		want           error
	}{
		"expired":           {"selection", tok, now.Add(61 * time.Minute), ErrExpiredToken},
		"from the future":   {"selection", tok, now.Add(-10 * time.Minute), ErrExpiredToken},
		"other purpose":     {"phone", tok, now, ErrBadToken},
		"other secret":      {"selection", otherTok, now, ErrBadToken},
		"altered payload":   {"selection", fp + "." + sig, now, ErrBadToken},
		"truncated":         {"selection", payload, now, ErrBadToken},
		"garbage":           {"selection", "%%%.%%%", now, ErrBadToken},
		"empty":             {"selection", "", now, ErrBadToken},
		"altered signature": {"selection", payload + "." + sig[:len(sig)-2] + "AA", now, ErrBadToken},
	} {
		if err := s.Open(tc.purpose, tc.token, time.Hour, tc.at, &got); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
}
