package notify_test

import (
	"strings"
	"testing"

	"groupbook/booking"
	"groupbook/notify"
)

// TestRenderPass: a "booked" text paid by a pass names the pass and what
// is left on it, in every language, before the manage link. It takes two
// segments in English: the client learning what a pass paid is worth it.
func TestRenderPass(t *testing.T) {
	b := strictBundle(t)
	link := renderBase + "/m/" + renderToken
	pass := &booking.MessagePass{Name: "10 Yoga classes", Left: 7}
	m := outboxMessage(t, booking.SMSBooked, "en", booking.MessagePayload{Token: renderToken, Items: items(3, 1), Pass: pass})
	got, err := notify.Render(b, renderBase, m)
	if err != nil {
		t.Fatal(err)
	}
	want := "Sunrise Yoga: you're booked for Yoga on Tue 3 Mar at 19:00 and 2 more dates. Paid by your pass 10 Yoga classes: 7 visits left. Manage your booking: " + link
	if got != want {
		t.Errorf("English:\n got %q\nwant %q", got, want)
	}
	one := outboxMessage(t, booking.SMSBooked, "en", booking.MessagePayload{Token: renderToken, Items: items(1, 1),
		Pass: &booking.MessagePass{Name: "Intro", Left: 1}})
	if got, _ := notify.Render(b, renderBase, one); !strings.Contains(got, "Paid by your pass Intro: 1 visit left.") {
		t.Errorf("one visit left: %q", got)
	}
	unl := outboxMessage(t, booking.SMSBooked, "en", booking.MessagePayload{Token: renderToken, Items: items(1, 1),
		Pass: &booking.MessagePass{Name: "Yoga month", Unlimited: true}})
	if got, _ := notify.Render(b, renderBase, unl); !strings.Contains(got, "Paid by your pass Yoga month. Manage") || strings.Contains(got, "left") {
		t.Errorf("unlimited: %q", got)
	}
	for lang, want := range map[string]string{"hu": "még 5 alkalom", "pt": "restam 5 entradas", "ru": "осталось 5 посещений", "uk": "залишилося 5 відвідувань"} {
		m := outboxMessage(t, booking.SMSBooked, lang, booking.MessagePayload{Token: renderToken, Items: items(2, 2),
			Pass: &booking.MessagePass{Name: "10 Yoga", Left: 5}})
		got, err := notify.Render(b, renderBase, m)
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if !strings.Contains(got, "10 Yoga") || !strings.Contains(got, want) || !strings.HasSuffix(got, " "+link) || strings.Contains(got, "{{") {
			t.Errorf("%s: %q", lang, got)
		}
	}
	// Without a pass the text is as before.
	plain, _ := notify.Render(b, renderBase, renderCases(t, "en")["booked"])
	if strings.Contains(plain, "pass") {
		t.Errorf("no pass: %q", plain)
	}
}
