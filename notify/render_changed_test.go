package notify_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"groupbook/booking"
	"groupbook/notify"
)

// changedItems are n bookings staff changed: each an hour later than it
// was (from 18:00 to 19:00 local), with "Anna" now instead of "Sofie" when
// member is set, and SEQUENCE 1.
func changedItems(n int, member bool) []booking.MessageItem {
	out := items(n, 1)
	for i := range out {
		from := out[i].Start
		out[i].From = &from
		out[i].Start = from.Add(time.Hour)
		out[i].Sequence = 1
		out[i].Member = "Anna"
		if member {
			out[i].FromMember = "Sofie"
		}
	}
	return out
}

// changedCases are the "changed" texts' variants.
func changedCases(t *testing.T, lang string) map[string]*booking.OutboxMessage {
	memberOnly := changedItems(1, true)
	memberOnly[0].Start = *memberOnly[0].From
	named := changedItems(1, false)
	named[0].Member, named[0].FromMember = "Anna", ""
	same := changedItems(1, false)
	same[0].Start = *same[0].From
	msg := func(its []booking.MessageItem) *booking.OutboxMessage {
		return outboxMessage(t, booking.SMSChanged, lang, booking.MessagePayload{Token: renderToken, Items: its, From: its[0].From})
	}
	return map[string]*booking.OutboxMessage{
		"time":      msg(named),
		"both":      msg(changedItems(1, true)),
		"member":    msg(memberOnly),
		"other":     msg(same),
		"series 2":  msg(changedItems(2, true)),
		"series 6":  msg(changedItems(6, false)),
		"series 22": msg(changedItems(22, false)),
	}
}

// TestRenderChangedEnglish pins the English "changed" texts: the old and
// the new time, the team member when that changed, the other changed
// bookings counted, and the details link; the one-booking texts fit one
// SMS segment.
func TestRenderChangedEnglish(t *testing.T) {
	b := strictBundle(t)
	link := renderBase + "/m/" + renderToken
	want := map[string]string{
		"time":      "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 has moved to Tue 3 Mar at 20:00. Details: " + link,
		"both":      "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 has moved to Tue 3 Mar at 20:00, now with Anna. Details: " + link,
		"member":    "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 will be led by Anna instead of Sofie. Details: " + link,
		"other":     "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 has changed. Details: " + link,
		"series 2":  "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 has moved to Tue 3 Mar at 20:00, now with Anna. 1 other booking of yours changed too. Details: " + link,
		"series 6":  "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 has moved to Tue 3 Mar at 20:00. 5 other bookings of yours changed too. Details: " + link,
		"series 22": "Sunrise Yoga: Yoga on Tue 3 Mar at 19:00 has moved to Tue 3 Mar at 20:00. 21 other bookings of yours changed too. Details: " + link,
	}
	for name, m := range changedCases(t, "en") {
		got, err := notify.Render(b, renderBase, m)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got != want[name] {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want[name])
		}
		if strings.HasPrefix(name, "series") {
			continue
		}
		if n, ok := gsm7Len(got); !ok || n > 160 {
			t.Errorf("%s: %d GSM-7 characters (all GSM-7: %v): %q", name, n, ok, got)
		}
	}
}

// TestRenderChangedEveryLanguage renders every variant in every language
// with the strict bundle (a missing message or plural form fails) and
// checks the plural forms of the count.
func TestRenderChangedEveryLanguage(t *testing.T) {
	b := strictBundle(t)
	for _, lang := range b.Languages() {
		for name, m := range changedCases(t, lang) {
			got, err := notify.Render(b, renderBase, m)
			if err != nil {
				t.Errorf("%s %s: %v", lang, name, err)
				continue
			}
			if !strings.HasPrefix(got, "Sunrise Yoga") || !strings.Contains(got, "19:00") || !strings.HasSuffix(got, " "+renderBase+"/m/"+renderToken) ||
				strings.Contains(got, "sms_") || strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
				t.Errorf("%s %s: %q", lang, name, got)
			}
			if (name == "time" || name == "both") && !strings.Contains(got, "20:00") {
				t.Errorf("%s %s: no new time: %q", lang, name, got)
			}
			if (name == "member" || name == "both") && !strings.Contains(got, "Anna") {
				t.Errorf("%s %s: no team member: %q", lang, name, got)
			}
			if lang != "en" && (strings.Contains(got, "changed") || strings.Contains(got, "moved")) {
				t.Errorf("%s %s: English in %q", lang, name, got)
			}
		}
	}
	for lang, want := range map[string][]string{
		"ru": {"Ещё 1 ваша запись", "Ещё 5 ваших записей", "Ещё 21 ваша запись"},
		"uk": {"Ще 1 ваш запис", "Ще 5 ваших записів", "Ще 21 ваш запис"},
		"pt": {"Mais 1 reserva sua", "Mais 5 reservas suas", "Mais 21 reservas suas"},
	} {
		for i, name := range []string{"series 2", "series 6", "series 22"} {
			got, _ := notify.Render(b, renderBase, changedCases(t, lang)[name])
			if !strings.Contains(got, want[i]) {
				t.Errorf("%s %s: %q, want %q", lang, name, got, want[i])
			}
		}
	}
}

// TestRenderChangedWithoutFrom: a "changed" payload must say what the
// booking was; without it the message cannot be written, now or later.
func TestRenderChangedWithoutFrom(t *testing.T) {
	m := outboxMessage(t, booking.SMSChanged, "en", booking.MessagePayload{Token: renderToken, Items: items(1, 1)})
	if _, err := notify.Render(strictBundle(t), renderBase, m); err == nil || !notify.IsPermanent(err) {
		t.Errorf("%v, want a permanent error", err)
	}
}

// TestRenderChangedEmail: the e-mail lists every changed booking with its
// old time and new team member, and carries an .ics that an independent
// parser reads as the same UIDs at the new time and the higher SEQUENCE,
// so a calendar that imported the bookings moves them.
func TestRenderChangedEmail(t *testing.T) {
	b := strictBundle(t)
	now := renderStart.Add(-24 * time.Hour)
	its := changedItems(2, true)
	its[1].Sequence = 3
	m := outboxMessage(t, booking.SMSChanged, "en", booking.MessagePayload{Token: renderToken, Items: its, From: its[0].From})
	e, err := notify.RenderEmail(b, renderBase, m, now)
	if err != nil {
		t.Fatal(err)
	}
	if e.Subject != "Sunrise Yoga: your Yoga has changed, now on Tue 3 Mar" {
		t.Errorf("subject %q", e.Subject)
	}
	for _, want := range []string{
		"has moved to Tue 3 Mar at 20:00, now with Anna. 1 other booking of yours changed too.",
		"- Tuesday, 3 March, 20:00 · Yoga, now with Anna instead of Sofie (was Tue 3 Mar 19:00)",
		"- Thursday, 5 March, 20:00 · Yoga, now with Anna instead of Sofie (was Thu 5 Mar 19:00)",
		"See the details: " + renderBase + "/m/" + renderToken,
	} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, e.Text)
		}
	}
	if !strings.Contains(e.HTML, "now with Anna instead of Sofie (was Thu 5 Mar 19:00)") {
		t.Errorf("html:\n%s", e.HTML)
	}
	if len(e.Attachments) != 1 || !strings.Contains(e.Attachments[0].ContentType, "method=PUBLISH") {
		t.Fatalf("attachments %+v", e.Attachments)
	}
	raw := e.Attachments[0].Data
	cal, err := ical.NewDecoder(bytes.NewReader(raw)).Decode()
	if err != nil {
		t.Fatalf(".ics: %v\n%s", err, raw)
	}
	if method, _ := cal.Props.Text(ical.PropMethod); method != "PUBLISH" {
		t.Errorf("METHOD %q", method)
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d events", len(events))
	}
	for i, ev := range events {
		uid, _ := ev.Props.Text(ical.PropUID)
		if want := fmt.Sprintf("booking-%d@book.sunriseyoga.hu", its[i].BookingID); uid != want {
			t.Errorf("UID %q, want %q", uid, want)
		}
		if seq := ev.Props.Get(ical.PropSequence); seq == nil || seq.Value != fmt.Sprint(its[i].Sequence) {
			t.Errorf("event %d SEQUENCE %+v, want %d", i, seq, its[i].Sequence)
		}
		if start, err := ev.DateTimeStart(time.UTC); err != nil || !start.Equal(its[i].Start) {
			t.Errorf("event %d DTSTART %v (%v), want %v", i, start, err, its[i].Start)
		}
		if sum, _ := ev.Props.Text(ical.PropSummary); sum != "Yoga — Anna" {
			t.Errorf("event %d SUMMARY %q", i, sum)
		}
	}
	// Every language: a subject and lines without placeholders.
	for _, lang := range b.Languages() {
		m := outboxMessage(t, booking.SMSChanged, lang, booking.MessagePayload{Token: renderToken, Items: its, From: its[0].From})
		e, err := notify.RenderEmail(b, renderBase, m, now)
		if err != nil {
			t.Errorf("%s: %v", lang, err)
			continue
		}
		if strings.Contains(e.Subject+e.Text, "{{") || strings.Contains(e.Subject+e.Text, "mail_") || !strings.Contains(e.Text, "Sofie") || len(e.Attachments) != 1 {
			t.Errorf("%s: %q\n%s", lang, e.Subject, e.Text)
		}
	}
}
