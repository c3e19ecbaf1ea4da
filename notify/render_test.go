package notify_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"groupbook/booking"
	"groupbook/locales"
	"groupbook/notify"
)

const (
	renderBase  = "https://book.sunriseyoga.hu"
	renderToken = "Qx3vR8kLm2Np7sTw9yZa4b" // the length of booking's tokens
)

// Tuesday 3 March 2026 18:00 UTC is 19:00 in Budapest.
var renderStart = time.Date(2026, 3, 3, 18, 0, 0, 0, time.UTC)

func outboxMessage(t *testing.T, kind, lang string, p booking.MessagePayload) *booking.OutboxMessage {
	t.Helper()
	if p.Location == "" {
		p.Location, p.TimeZone = "Sunrise Yoga", "Europe/Budapest"
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return &booking.OutboxMessage{ID: 1, Kind: kind, Lang: lang, Phone: "+36201234567", Payload: string(raw)}
}

func items(n, seats int) []booking.MessageItem {
	out := make([]booking.MessageItem, n)
	for i := range out {
		out[i] = booking.MessageItem{BookingID: int64(i + 1), Service: "Yoga", Start: renderStart.AddDate(0, 0, 2*i), Seats: seats, Minutes: 60, Sequence: i}
	}
	return out
}

// renderCases are one message of every kind and variant.
func renderCases(t *testing.T, lang string) map[string]*booking.OutboxMessage {
	from := renderStart.AddDate(0, 0, -1)
	return map[string]*booking.OutboxMessage{
		"booked":           outboxMessage(t, booking.SMSBooked, lang, booking.MessagePayload{Token: renderToken, Items: items(1, 1)}),
		"booked 2 seats":   outboxMessage(t, booking.SMSBooked, lang, booking.MessagePayload{Token: renderToken, Items: items(1, 2)}),
		"booked 4 events":  outboxMessage(t, booking.SMSBooked, lang, booking.MessagePayload{Token: renderToken, Items: items(4, 1)}),
		"booked 2 events":  outboxMessage(t, booking.SMSBooked, lang, booking.MessagePayload{Token: renderToken, Items: items(2, 1)}),
		"reminder":         outboxMessage(t, booking.SMSReminder, lang, booking.MessagePayload{Token: renderToken, Items: items(1, 1)}),
		"cancelled client": outboxMessage(t, booking.SMSCancelled, lang, booking.MessagePayload{Token: renderToken, Items: items(1, 1), By: booking.CancelledByClient}),
		"cancelled admin":  outboxMessage(t, booking.SMSCancelled, lang, booking.MessagePayload{Token: renderToken, Items: items(1, 1), By: booking.CancelledByAdmin}),
		"cancelled event":  outboxMessage(t, booking.SMSCancelled, lang, booking.MessagePayload{Token: renderToken, Items: items(1, 1), By: booking.CancelledByEventDeleted}),
		"moved":            outboxMessage(t, booking.SMSMoved, lang, booking.MessagePayload{Token: renderToken, Items: items(1, 1), From: &from}),
		"cancelled min":    outboxMessage(t, booking.SMSCancelled, lang, booking.MessagePayload{Token: renderToken, Items: items(1, 1), By: booking.CancelledByMinAttendees}),
	}
}

func strictBundle(t *testing.T) *locales.Bundle {
	t.Helper()
	b, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	b.Report = func(lang, id string, err error) { t.Errorf("locales: %s %s: %v", lang, id, err) }
	return b
}

// TestRenderEnglish pins the English texts and checks each fits one SMS
// segment: at most 160 characters, all in the GSM-7 alphabet.
func TestRenderEnglish(t *testing.T) {
	b := strictBundle(t)
	link := renderBase + "/m/" + renderToken
	want := map[string]string{
		"booked":           "Sunrise Yoga: you're booked for Yoga on Tue 3 Mar at 19:00. Manage your booking: " + link,
		"booked 2 seats":   "Sunrise Yoga: you're booked for Yoga (2 seats) on Tue 3 Mar at 19:00. Manage your booking: " + link,
		"booked 2 events":  "Sunrise Yoga: you're booked for Yoga on Tue 3 Mar at 19:00 and 1 more date. Manage your booking: " + link,
		"booked 4 events":  "Sunrise Yoga: you're booked for Yoga on Tue 3 Mar at 19:00 and 3 more dates. Manage your booking: " + link,
		"reminder":         "Sunrise Yoga: a reminder of your Yoga on Tue 3 Mar at 19:00. Manage your booking: " + link,
		"cancelled client": "Sunrise Yoga: your booking for Yoga on Tue 3 Mar at 19:00 is cancelled. Details: " + link,
		"cancelled admin":  "Sunrise Yoga has cancelled your booking for Yoga on Tue 3 Mar at 19:00. Details: " + link,
		"cancelled event":  "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 will not take place; your booking is cancelled. Details: " + link,
		"moved":            "Sunrise Yoga: your Yoga booking has moved from Mon 2 Mar 19:00 to Tue 3 Mar at 19:00. Details: " + link,
		"cancelled min":    "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 is cancelled: too few people booked. Details: " + link,
	}
	for name, m := range renderCases(t, "en") {
		got, err := notify.Render(b, renderBase+"/", m)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got != want[name] {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want[name])
		}
		if n, ok := gsm7Len(got); !ok || n > 160 {
			t.Errorf("%s: %d GSM-7 characters (all GSM-7: %v), more than one segment: %q", name, n, ok, got)
		}
	}
	// A service name of a realistic length still fits.
	long := outboxMessage(t, booking.SMSCancelled, "en", booking.MessagePayload{
		Token: renderToken, By: booking.CancelledByEventDeleted,
		Items: []booking.MessageItem{{Service: "Vinyasa Flow", Start: renderStart, Seats: 1}},
	})
	got, _ := notify.Render(b, renderBase, long)
	if n, ok := gsm7Len(got); !ok || n > 160 {
		t.Errorf("longer service: %d characters: %q", n, got)
	}
}

// TestRenderEveryLanguage renders every kind in every language with the
// strict bundle (a missing message or plural form fails), in the
// location's time zone, with the link.
func TestRenderEveryLanguage(t *testing.T) {
	b := strictBundle(t)
	for _, lang := range b.Languages() {
		for name, m := range renderCases(t, lang) {
			got, err := notify.Render(b, renderBase, m)
			if err != nil {
				t.Errorf("%s %s: %v", lang, name, err)
				continue
			}
			if !strings.HasPrefix(got, "Sunrise Yoga") || !strings.Contains(got, "19:00") || !strings.Contains(got, "Yoga") ||
				!strings.HasSuffix(got, " "+renderBase+"/m/"+renderToken) || strings.Contains(got, "sms_") || strings.Contains(got, "{{") {
				t.Errorf("%s %s: %q", lang, name, got)
			}
			if lang != "en" && strings.Contains(got, "booked") {
				t.Errorf("%s %s: English in %q", lang, name, got)
			}
		}
	}
	ru, _ := notify.Render(b, renderBase, renderCases(t, "ru")["booked 2 seats"])
	if !strings.Contains(ru, "Yoga (2 места)") {
		t.Errorf("ru seats: %q", ru)
	}
	uk, _ := notify.Render(b, renderBase, outboxMessage(t, booking.SMSBooked, "uk", booking.MessagePayload{Items: items(6, 1)}))
	if !strings.Contains(uk, "і ще на 5 занять.") || strings.Contains(uk, "/m/") {
		t.Errorf("uk, 6 events, no token: %q", uk)
	}
}

func TestRenderTimeZone(t *testing.T) {
	b := strictBundle(t)
	m := outboxMessage(t, booking.SMSReminder, "en", booking.MessagePayload{
		Location: "Lisbon Pilates", TimeZone: "Europe/Lisbon", Token: renderToken,
		// 29 March 2026 is the day Lisbon moves to summer time (UTC+1):
		// 23:30 UTC that evening is 00:30 on the 30th there.
		Items: []booking.MessageItem{{Service: "Pilates", Start: time.Date(2026, 3, 29, 23, 30, 0, 0, time.UTC), Seats: 1}},
	})
	got, err := notify.Render(b, renderBase, m)
	if err != nil || !strings.Contains(got, "Mon 30 Mar at 00:30") {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestRenderErrorsArePermanent(t *testing.T) {
	b := strictBundle(t)
	for name, m := range map[string]*booking.OutboxMessage{
		"bad json":       {ID: 1, Kind: booking.SMSBooked, Payload: "{"},
		"no items":       outboxMessage(t, booking.SMSBooked, "en", booking.MessagePayload{}),
		"unknown kind":   outboxMessage(t, "party", "en", booking.MessagePayload{Items: items(1, 1)}),
		"bad zone":       outboxMessage(t, booking.SMSBooked, "en", booking.MessagePayload{Location: "X", TimeZone: "Mars/Olympus", Items: items(1, 1)}),
		"moved, no from": outboxMessage(t, booking.SMSMoved, "en", booking.MessagePayload{Items: items(1, 1)}),
	} {
		if _, err := notify.Render(b, renderBase, m); err == nil || !notify.IsPermanent(err) {
			t.Errorf("%s: %v, want a permanent error", name, err)
		}
	}
}

// gsm7Len counts s in GSM 03.38 septets (the extension characters take
// two) and reports whether every character is in the alphabet; if not,
// the message goes as UCS-2 with 70 characters a segment.
func gsm7Len(s string) (int, bool) {
	const basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	const ext = "^{}\\[~]|€\f"
	n := 0
	for _, r := range s {
		switch {
		case strings.ContainsRune(basic, r):
			n++
		case strings.ContainsRune(ext, r):
			n += 2
		default:
			return n, false
		}
	}
	return n, true
}
