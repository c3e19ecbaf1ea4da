package widget

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestGoogleCalendarURL(t *testing.T) {
	budapest, err := time.LoadLocation("Europe/Budapest")
	if err != nil {
		t.Fatal(err)
	}
	// 18:00 in Budapest in March (CET) is 17:00 UTC.
	start := time.Date(2026, 3, 10, 18, 0, 0, 0, budapest)
	end := start.Add(75 * time.Minute)
	title := "Jóga & Pilates — Анна + 🧘‍♀️, 100% #1 ?a=b"
	details := "2 места; manage: https://groupbook.example.com/m/tok?lang=ru&x=1\nsecond line"
	location := "Napfény Stúdió, Fő utca 1., Budapest"

	raw := GoogleCalendarURL(title, start, end, details, location)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	if u.Scheme != "https" || u.Host != "calendar.google.com" || u.Path != "/calendar/render" {
		t.Errorf("link goes to %s://%s%s", u.Scheme, u.Host, u.Path)
	}
	// A literal '+' would be read as a space by some decoders.
	if strings.Contains(u.RawQuery, "+") || strings.Contains(u.RawQuery, " ") {
		t.Errorf("query has a raw '+' or space: %q", u.RawQuery)
	}

	q := u.Query()
	dates := q.Get("dates")
	if !regexp.MustCompile(`^\d{8}T\d{6}Z/\d{8}T\d{6}Z$`).MatchString(dates) {
		t.Errorf("dates = %q, want YYYYMMDDTHHMMSSZ/YYYYMMDDTHHMMSSZ", dates)
	}
	for key, want := range map[string]string{
		"action":   "TEMPLATE",
		"text":     title,
		"dates":    "20260310T170000Z/20260310T181500Z",
		"details":  details,
		"location": location,
	} {
		if got := q[key]; len(got) != 1 || got[0] != want {
			t.Errorf("%s = %q, want [%q]", key, got, want)
		}
	}
}

func TestGoogleCalendarURLLeavesOutEmptyFields(t *testing.T) {
	start := time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC)
	u, err := url.Parse(GoogleCalendarURL("Yoga", start, start.Add(time.Hour), "", ""))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Has("details") || q.Has("location") {
		t.Errorf("empty fields present: %v", q)
	}
	if got := q.Get("text"); got != "Yoga" {
		t.Errorf("text = %q", got)
	}
	if got := q.Get("dates"); got != "20260701T060000Z/20260701T070000Z" {
		t.Errorf("dates = %q", got)
	}
}
