package notify_test

import (
	"strings"
	"testing"
	"time"

	"groupbook/booking"
	"groupbook/notify"
)

// waitCases are the waitlist messages: a place in line and an offer (in
// order, until a time; first to claim, without one). The offer was queued
// at 17:00 Budapest time on the event's day.
func waitCases(t *testing.T, lang string) map[string]*booking.OutboxMessage {
	until := renderStart.Add(-30 * time.Minute) // 18:30 Budapest
	w := func(kind string, mw booking.MessageWaitlist) *booking.OutboxMessage {
		m := outboxMessage(t, kind, lang, booking.MessagePayload{Waitlist: &mw,
			Items: []booking.MessageItem{{Service: "Yoga", Start: renderStart, Seats: mw.Seats, Minutes: 60}}})
		m.CreatedAt = renderStart.Add(-2 * time.Hour)
		return m
	}
	return map[string]*booking.OutboxMessage{
		"joined":      w(booking.MsgWaitlistJoined, booking.MessageWaitlist{Token: renderToken, Seats: 2, Position: 3}),
		"offer":       w(booking.MsgWaitlistOffer, booking.MessageWaitlist{Token: renderToken, Seats: 2, Until: &until}),
		"offer first": w(booking.MsgWaitlistOffer, booking.MessageWaitlist{Token: renderToken, Seats: 1}),
	}
}

// TestRenderWaitlistSMS pins the English waitlist texts (one segment,
// the link to the waitlist page) and renders them in every language.
func TestRenderWaitlistSMS(t *testing.T) {
	b := strictBundle(t)
	link := renderBase + "/wl/" + renderToken
	want := map[string]string{
		"joined":      "Sunrise Yoga: you're number 3 on the waitlist for Yoga on Tue 3 Mar at 19:00 (2 seats). Your place: " + link,
		"offer":       "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 has room for you (2 seats), held until 18:30. Book: " + link,
		"offer first": "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 has room for you (1 seat). The first to book gets it. Book: " + link,
	}
	for name, m := range waitCases(t, "en") {
		got, err := notify.Render(b, renderBase, m)
		if err != nil || got != want[name] {
			t.Errorf("%s:\n got %q (%v)\nwant %q", name, got, err, want[name])
		}
		if n, ok := gsm7Len(got); !ok || n > 160 {
			t.Errorf("%s: %d GSM-7 characters: %q", name, n, got)
		}
	}
	for _, lang := range b.Languages() {
		for name, m := range waitCases(t, lang) {
			got, err := notify.Render(b, renderBase, m)
			if err != nil || !strings.HasPrefix(got, "Sunrise Yoga") || !strings.HasSuffix(got, " "+link) || strings.Contains(got, "{{") {
				t.Errorf("%s %s: %q (%v)", lang, name, got, err)
			}
			if name == "offer" && !strings.Contains(got, "18:30") {
				t.Errorf("%s offer without its end: %q", lang, got)
			}
		}
	}
	// First to claim: nothing is held, the text says who gets the seats.
	first, err := notify.Render(b, renderBase, waitCases(t, "en")["offer"], notify.RenderOptions{FirstClaim: true})
	if want := "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 has room (2 seats) until 18:30, first to book gets it. Book: " + link; err != nil || first != want {
		t.Errorf("first claim:\n got %q (%v)\nwant %q", first, err, want)
	}
	if n, ok := gsm7Len(first); !ok || n > 160 {
		t.Errorf("first claim: %d GSM-7 characters", n)
	}
	for _, lang := range b.Languages() {
		got, err := notify.Render(b, renderBase, waitCases(t, lang)["offer"], notify.RenderOptions{FirstClaim: true})
		held, _ := notify.Render(b, renderBase, waitCases(t, lang)["offer"])
		if err != nil || !strings.Contains(got, "18:30") || got == held || strings.Contains(got, "{{") {
			t.Errorf("%s first claim: %q (%v)", lang, got, err)
		}
	}
	// An offer that runs into another day names the day.
	m := waitCases(t, "en")["offer"]
	m.CreatedAt = renderStart.Add(-30 * time.Hour)
	if got, _ := notify.Render(b, renderBase, m); !strings.Contains(got, "held until Tue 3 Mar 18:30") {
		t.Errorf("offer from the day before: %q", got)
	}
	// Without its entry a waitlist message cannot be written.
	bad := outboxMessage(t, booking.MsgWaitlistOffer, "en", booking.MessagePayload{Items: items(1, 1)})
	if _, err := notify.Render(b, renderBase, bad); !notify.IsPermanent(err) {
		t.Errorf("offer without waitlist: %v", err)
	}
	staff := outboxMessage(t, booking.MsgStaffBooked, "en", booking.MessagePayload{Items: items(1, 1), Staff: &booking.MessageStaff{Client: "A"}})
	if _, err := notify.Render(b, renderBase, staff); !notify.IsPermanent(err) {
		t.Errorf("staff message as SMS: %v", err)
	}
}

// TestRenderEmailEveryKind renders every kind as an e-mail in every
// language with the strict bundle: a subject without placeholders, the
// lead in the text and the HTML, the link on a button, and the .ics on
// the kinds that carry one.
func TestRenderEmailEveryKind(t *testing.T) {
	b := strictBundle(t)
	now := renderStart.Add(-24 * time.Hour)
	staff := &booking.MessageStaff{Client: "Anna <Kovács>", Phone: "+36201234567", EventID: 42, Booked: 2, Min: 4}
	for _, lang := range b.Languages() {
		cases := renderCases(t, lang)
		for k, v := range waitCases(t, lang) {
			cases[k] = v
		}
		for _, kind := range []string{booking.MsgStaffBooked, booking.MsgStaffCancelled, booking.MsgStaffMoved, booking.MsgStaffMinWarning} {
			cases[kind] = outboxMessage(t, kind, lang, booking.MessagePayload{Items: items(1, 2), Staff: staff})
		}
		cases["refunded"] = outboxMessage(t, booking.SMSRefunded, lang, booking.MessagePayload{Token: renderToken, Refund: &booking.MessageRefund{AmountMinor: 350000, Currency: "HUF"}})
		for name, m := range cases {
			e, err := notify.RenderEmail(b, renderBase, m, now)
			if err != nil {
				t.Errorf("%s %s: %v", lang, name, err)
				continue
			}
			if e.Subject == "" || strings.Contains(e.Subject, "{{") || strings.Contains(e.Subject, "mail_") || strings.ContainsAny(e.Subject, "\r\n") {
				t.Errorf("%s %s: subject %q", lang, name, e.Subject)
			}
			if !strings.Contains(e.Text, "https://book.sunriseyoga.hu/") || !strings.Contains(e.HTML, `href="https://book.sunriseyoga.hu/`) {
				t.Errorf("%s %s: no link\n%s\n%s", lang, name, e.Text, e.HTML)
			}
			if strings.Contains(e.Text, "mail_") || strings.Contains(e.HTML, "mail_") || strings.Contains(e.Text, "sms_") {
				t.Errorf("%s %s: message id in the text\n%s", lang, name, e.Text)
			}
			if name == booking.MsgStaffBooked || name == booking.MsgStaffCancelled || name == booking.MsgStaffMoved {
				// The client's name is escaped in HTML, as typed in text.
				if !strings.Contains(e.Text, "Anna <Kovács> (+36 20 123 4567)") || strings.Contains(e.HTML, "<Kovács>") || !strings.Contains(e.HTML, "/admin/events/42") {
					t.Errorf("%s %s: staff e-mail\n%s\n%s", lang, name, e.Text, e.HTML)
				}
			}
			wantICS := strings.HasPrefix(name, "booked") || strings.HasPrefix(name, "cancelled") || name == "moved"
			if got := len(e.Attachments) == 1; got != wantICS {
				t.Errorf("%s %s: %d attachments", lang, name, len(e.Attachments))
			}
		}
	}
}
