package widget

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"

	"groupbook/booking"
)

// The .ics output is checked by parsing it back with emersion/go-ical, an
// independent implementation, and by looking at the raw bytes: a writer and
// reader from the same library can agree on the same mistake.

var (
	icsNow       = time.Date(2026, 3, 1, 9, 30, 15, 0, time.UTC)
	icsTuesday   = time.Date(2026, 3, 10, 17, 0, 0, 0, time.UTC)
	icsWednesday = time.Date(2026, 3, 11, 6, 30, 0, 0, time.UTC)
)

const icsManageURL = "https://groupbook.example.com/m/Zx9-tok?lang=hu&utm=a,b;c"

// yogaItem is a booking in a Hungarian studio run by a Ukrainian teacher, with
// names that need escaping.
func yogaItem(id int64, start time.Time, status booking.Status, seq int) CalendarItem {
	return CalendarItem{
		Booking: booking.Booking{
			ID: id, EventID: 100 + id, Seats: 2, Status: status,
			Sequence: seq, VisitorName: "Kovács Réka",
		},
		Event:   booking.Event{ID: 100 + id, StartsAt: start, DurationMin: 75},
		Service: booking.Service{Name: "Jóga, haladó; 🧘"},
		Member:  booking.TeamMember{Name: "Анна Коваль"},
		Location: booking.Location{
			Name: "Napfény Stúdió", Address: "Fő utca 1., Budapest; 2. emelet",
			TimeZone: "Europe/Budapest",
		},
	}
}

func yogaDescription(it CalendarItem) string {
	return fmt.Sprintf("%d hely, %s.\nKezelés vagy lemondás: %s", it.Booking.Seats, it.Booking.VisitorName, icsManageURL)
}

func icsOptions() CalendarOptions {
	return CalendarOptions{
		Host:        "groupbook.example.com",
		ManageURL:   icsManageURL,
		Now:         icsNow,
		Description: yogaDescription,
	}
}

func writeICS(t *testing.T, items []CalendarItem, opt CalendarOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteICS(&buf, items, opt); err != nil {
		t.Fatalf("WriteICS: %v", err)
	}
	checkRawICS(t, buf.Bytes())
	return buf.Bytes()
}

func parseICS(t *testing.T, b []byte) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot parse our output: %v\n%s", err, b)
	}
	return cal
}

func icsText(t *testing.T, props ical.Props, name string) string {
	t.Helper()
	p := props.Get(name)
	if p == nil {
		t.Fatalf("property %s missing", name)
	}
	s, err := p.Text()
	if err != nil {
		t.Fatalf("property %s: %v", name, err)
	}
	return s
}

func icsTime(t *testing.T, props ical.Props, name string) time.Time {
	t.Helper()
	got, err := props.DateTime(name, nil)
	if err != nil {
		t.Fatalf("property %s: %v", name, err)
	}
	return got
}

func icsInt(t *testing.T, props ical.Props, name string) int {
	t.Helper()
	p := props.Get(name)
	if p == nil {
		t.Fatalf("property %s missing", name)
	}
	n, err := p.Int()
	if err != nil {
		t.Fatalf("property %s: %v", name, err)
	}
	return n
}

// checkRawICS checks the bytes against RFC 5545 3.1: CRLF line ends only,
// lines of at most 75 octets, and no UTF-8 character split by a fold.
func checkRawICS(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("output does not end in CRLF")
	}
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			t.Errorf("bare LF at byte %d", i)
		}
		if c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
			t.Errorf("bare CR at byte %d", i)
		}
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	for n, line := range lines {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets: %q", n+1, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d is not valid UTF-8 on its own (character split by a fold): %q", n+1, line)
		}
		if line == "" {
			t.Errorf("line %d is empty", n+1)
		}
	}
}

// unfoldICS undoes folding: a CRLF followed by one space or tab is removed.
func unfoldICS(b []byte) string {
	s := strings.ReplaceAll(string(b), "\r\n ", "")
	return strings.ReplaceAll(s, "\r\n\t", "")
}

// escapeTextForTest is RFC 5545 3.3.11 written out independently of both
// libraries.
func escapeTextForTest(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unfoldedLine returns the one unfolded content line of the named property
// in the event with the given UID.
func unfoldedLine(t *testing.T, b []byte, uid, name string) string {
	t.Helper()
	inEvent := false
	for _, line := range strings.Split(unfoldICS(b), "\r\n") {
		switch {
		case line == "UID:"+uid:
			inEvent = true
		case line == "END:VEVENT":
			inEvent = false
		case inEvent && (strings.HasPrefix(line, name+":") || strings.HasPrefix(line, name+";")):
			return line
		}
	}
	t.Fatalf("no %s line in event %s", name, uid)
	return ""
}

func eventsByUID(t *testing.T, cal *ical.Calendar) map[string]ical.Event {
	t.Helper()
	m := map[string]ical.Event{}
	for _, e := range cal.Events() {
		uid := icsText(t, e.Props, ical.PropUID)
		if _, dup := m[uid]; dup {
			t.Fatalf("UID %s twice", uid)
		}
		m[uid] = e
	}
	return m
}

var utcDateTime = regexp.MustCompile(`^\d{8}T\d{6}Z$`)

func TestWriteICSPublishesEveryProperty(t *testing.T) {
	items := []CalendarItem{
		yogaItem(7, icsTuesday, booking.StatusExpected, 0),
		yogaItem(8, icsWednesday, booking.StatusConfirmed, 3),
	}
	b := writeICS(t, items, icsOptions())
	cal := parseICS(t, b)

	for name, want := range map[string]string{
		ical.PropProductID:     "-//groupbook//groupbook//EN",
		ical.PropVersion:       "2.0",
		ical.PropCalendarScale: "GREGORIAN",
		ical.PropMethod:        "PUBLISH",
	} {
		if got := icsText(t, cal.Props, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	events := eventsByUID(t, cal)
	if len(events) != len(items) {
		t.Fatalf("%d events, want %d", len(events), len(items))
	}
	for _, it := range items {
		uid := fmt.Sprintf("booking-%d@groupbook.example.com", it.Booking.ID)
		e, ok := events[uid]
		if !ok {
			t.Fatalf("no event with UID %s", uid)
		}
		if got := icsInt(t, e.Props, ical.PropSequence); got != it.Booking.Sequence {
			t.Errorf("%s SEQUENCE = %d, want %d", uid, got, it.Booking.Sequence)
		}
		for name, want := range map[string]time.Time{
			ical.PropDateTimeStamp: icsNow,
			ical.PropDateTimeStart: it.Event.StartsAt,
			ical.PropDateTimeEnd:   it.Event.StartsAt.Add(75 * time.Minute),
		} {
			got := icsTime(t, e.Props, name)
			if !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("%s %s = %v, want %v in UTC", uid, name, got, want)
			}
			// A TZID here would need a VTIMEZONE (DESIGN.md 4); UTC form only.
			p := e.Props.Get(name)
			if len(p.Params) != 0 || !utcDateTime.MatchString(p.Value) {
				t.Errorf("%s %s written as %v %q, want plain UTC", uid, name, p.Params, p.Value)
			}
		}
		for name, want := range map[string]string{
			ical.PropSummary:     "Jóga, haladó; 🧘 — Анна Коваль",
			ical.PropLocation:    "Napfény Stúdió, Fő utca 1., Budapest; 2. emelet",
			ical.PropDescription: yogaDescription(it),
			ical.PropStatus:      "CONFIRMED",
		} {
			if got := icsText(t, e.Props, name); got != want {
				t.Errorf("%s %s = %q, want %q", uid, name, got, want)
			}
		}
		// URL is a URI, not TEXT: its commas and semicolons must stay as
		// they are.
		if got := e.Props.Get(ical.PropURL); got == nil || got.Value != icsManageURL {
			t.Errorf("%s URL = %v, want %q", uid, got, icsManageURL)
		}
	}
}

func TestWriteICSTextRoundTrips(t *testing.T) {
	cases := map[string]string{
		"punctuation":       `a, b; c \ d: "e" 'f'`,
		"newlines":          "first line\nsecond line\n\nafter a blank line\n",
		"backslash then n":  `C:\new\note and a trailing backslash \`,
		"escaped-looking":   `already \, escaped \; text \\ and \n`,
		"cyrillic plurals":  "1 место, 2 места, 5 мест; Україна — Київ",
		"hungarian accents": "Árvíztűrő tükörfúrógép, ŐŰőű; Győr",
		"emoji":             "Hot yoga 🔥🧘‍♀️👍🏽, family 👨‍👩‍👧; flags 🇭🇺🇺🇦",
		"tab":               "before\tafter",
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			it := yogaItem(42, icsTuesday, booking.StatusExpected, 0)
			it.Service.Name = s
			it.Member.Name = "Анна"
			it.Location = booking.Location{Name: s, Address: "Fő utca 1."}
			opt := icsOptions()
			opt.Description = func(CalendarItem) string { return s }
			b := writeICS(t, []CalendarItem{it}, opt)
			e := parseICS(t, b).Events()[0]

			// Location parts are trimmed before they are joined with ", ".
			for prop, want := range map[string]string{
				ical.PropSummary:     s + " — Анна",
				ical.PropLocation:    strings.TrimSpace(s) + ", Fő utca 1.",
				ical.PropDescription: s,
			} {
				if got := icsText(t, e.Props, prop); got != want {
					t.Errorf("%s = %q, want %q", prop, got, want)
				}
			}
			// go-ical tolerates an unescaped ';', so compare the escaped
			// form itself as well.
			uid := "booking-42@groupbook.example.com"
			if got, want := unfoldedLine(t, b, uid, ical.PropDescription), "DESCRIPTION:"+escapeTextForTest(s); got != want {
				t.Errorf("raw line = %q, want %q", got, want)
			}
		})
	}
}

func TestWriteICSCancelledBookingIsMethodCancel(t *testing.T) {
	it := yogaItem(9, icsTuesday, booking.StatusCancelled, 1)
	b := writeICS(t, []CalendarItem{it}, icsOptions())
	cal := parseICS(t, b)

	if got := icsText(t, cal.Props, ical.PropMethod); got != "CANCEL" {
		t.Errorf("METHOD = %q, want CANCEL", got)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	e := events[0]
	if got := icsText(t, e.Props, ical.PropUID); got != "booking-9@groupbook.example.com" {
		t.Errorf("UID = %q", got)
	}
	if got := icsText(t, e.Props, ical.PropStatus); got != "CANCELLED" {
		t.Errorf("STATUS = %q, want CANCELLED", got)
	}
	if got := icsInt(t, e.Props, ical.PropSequence); got != 1 {
		t.Errorf("SEQUENCE = %d, want 1", got)
	}
	if got := icsTime(t, e.Props, ical.PropDateTimeStart); !got.Equal(icsTuesday) {
		t.Errorf("DTSTART = %v, want %v", got, icsTuesday)
	}
}

func TestWriteICSMixedListPublishesOnlyActive(t *testing.T) {
	items := []CalendarItem{
		yogaItem(1, icsTuesday, booking.StatusCancelled, 1),
		yogaItem(2, icsTuesday, booking.StatusArrived, 0),
		yogaItem(3, icsWednesday, booking.StatusNoShow, 0),
		yogaItem(4, icsWednesday, booking.StatusCancelled, 2),
	}
	cal := parseICS(t, writeICS(t, items, icsOptions()))

	if got := icsText(t, cal.Props, ical.PropMethod); got != "PUBLISH" {
		t.Errorf("METHOD = %q, want PUBLISH", got)
	}
	events := eventsByUID(t, cal)
	if len(events) != 2 {
		t.Fatalf("%d events, want the 2 active ones", len(events))
	}
	for _, id := range []int64{2, 3} {
		e, ok := events[fmt.Sprintf("booking-%d@groupbook.example.com", id)]
		if !ok {
			t.Fatalf("active booking %d missing", id)
		}
		if got := icsText(t, e.Props, ical.PropStatus); got != "CONFIRMED" {
			t.Errorf("booking %d STATUS = %q, want CONFIRMED", id, got)
		}
	}
}

func TestWriteICSAllCancelledListIsOneCancel(t *testing.T) {
	items := []CalendarItem{
		yogaItem(5, icsTuesday, booking.StatusCancelled, 1),
		yogaItem(6, icsWednesday, booking.StatusCancelled, 1),
	}
	cal := parseICS(t, writeICS(t, items, icsOptions()))
	if got := icsText(t, cal.Props, ical.PropMethod); got != "CANCEL" {
		t.Errorf("METHOD = %q, want CANCEL", got)
	}
	events := eventsByUID(t, cal)
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	for uid, e := range events {
		if got := icsText(t, e.Props, ical.PropStatus); got != "CANCELLED" {
			t.Errorf("%s STATUS = %q, want CANCELLED", uid, got)
		}
	}
}

// A calendar applies an update only when its SEQUENCE is higher than the one
// it holds for the UID, so the file after a move and then a cancel must carry
// the same UID with a rising SEQUENCE.
func TestWriteICSMoveThenCancelRaisesSequence(t *testing.T) {
	original := yogaItem(11, icsTuesday, booking.StatusExpected, 0)
	moved := yogaItem(11, icsWednesday, booking.StatusExpected, 1)
	moved.Event.ID = 999
	cancelled := moved
	cancelled.Booking.Status = booking.StatusCancelled
	cancelled.Booking.Sequence = 2

	type seen struct {
		method, uid, status string
		seq                 int
		start               time.Time
	}
	var got []seen
	for _, it := range []CalendarItem{original, moved, cancelled} {
		cal := parseICS(t, writeICS(t, []CalendarItem{it}, icsOptions()))
		e := cal.Events()[0]
		got = append(got, seen{
			method: icsText(t, cal.Props, ical.PropMethod),
			uid:    icsText(t, e.Props, ical.PropUID),
			status: icsText(t, e.Props, ical.PropStatus),
			seq:    icsInt(t, e.Props, ical.PropSequence),
			start:  icsTime(t, e.Props, ical.PropDateTimeStart),
		})
	}

	want := []seen{
		{"PUBLISH", "booking-11@groupbook.example.com", "CONFIRMED", 0, icsTuesday},
		{"PUBLISH", "booking-11@groupbook.example.com", "CONFIRMED", 1, icsWednesday},
		{"CANCEL", "booking-11@groupbook.example.com", "CANCELLED", 2, icsWednesday},
	}
	for i := range want {
		if got[i].method != want[i].method || got[i].uid != want[i].uid || got[i].status != want[i].status ||
			got[i].seq != want[i].seq || !got[i].start.Equal(want[i].start) {
			t.Errorf("file %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if !(got[2].seq > got[0].seq) {
		t.Errorf("cancel SEQUENCE %d is not higher than the original's %d", got[2].seq, got[0].seq)
	}
}

func TestICSFoldingLongDescription(t *testing.T) {
	desc := strings.Join([]string{
		"Köszönjük a foglalást! 2 hely, Kovács Réka; hozz jógaszőnyeget, törölközőt és vizet.",
		"Спасибо за бронирование — 5 мест, взять коврик, полотенце и воду; до встречи!",
		"Дякуємо! Ґанок, їжак, є 🧘‍♀️🔥👍🏽🇺🇦🇭🇺 emoji in a row without spaces:🧘‍♀️🧘‍♀️🧘‍♀️🧘‍♀️🧘‍♀️🧘‍♀️🧘‍♀️",
		`A path C:\Users\réka\jóga and a list a,b,c;d;e \ end.`,
		"Manage or cancel: " + icsManageURL + "&" + strings.Repeat("x", 120),
	}, "\n")
	opt := icsOptions()
	opt.Description = func(CalendarItem) string { return desc }
	b := writeICS(t, []CalendarItem{yogaItem(21, icsTuesday, booking.StatusExpected, 0)}, opt)

	if folds := strings.Count(string(b), "\r\n "); folds < 5 {
		t.Fatalf("only %d folds for a %d-octet description", folds, len(desc))
	}
	uid := "booking-21@groupbook.example.com"
	if got, want := unfoldedLine(t, b, uid, ical.PropDescription), "DESCRIPTION:"+escapeTextForTest(desc); got != want {
		t.Errorf("unfolded DESCRIPTION\n got %q\nwant %q", got, want)
	}
	if got := icsText(t, parseICS(t, b).Events()[0].Props, ical.PropDescription); got != desc {
		t.Errorf("parsed DESCRIPTION\n got %q\nwant %q", got, desc)
	}
}

// TestICSFoldingEveryAlignment puts 2-, 3- and 4-octet characters at every
// offset relative to the 75-octet limit, with and without spaces to fold at,
// so a fold that splits a character would show up as an invalid line.
func TestICSFoldingEveryAlignment(t *testing.T) {
	var descs []string
	for _, r := range []string{"é", "Ж", "€", "🙂", "👍🏽", `\`, ","} {
		for prefix := 0; prefix < 4; prefix++ {
			descs = append(descs, strings.Repeat("x", prefix)+strings.Repeat(r, 80))
		}
	}
	mixed := []rune("aéЖ€🙂 ,;\\\nő")
	for n := 0; n <= 240; n++ {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteRune(mixed[i%len(mixed)])
		}
		descs = append(descs, b.String())
	}

	item := yogaItem(31, icsTuesday, booking.StatusExpected, 0)
	uid := "booking-31@groupbook.example.com"
	for _, desc := range descs {
		if desc == "" {
			continue // an empty DESCRIPTION is left out, nothing to fold
		}
		opt := icsOptions()
		opt.Description = func(CalendarItem) string { return desc }
		b := writeICS(t, []CalendarItem{item}, opt)
		if got, want := unfoldedLine(t, b, uid, ical.PropDescription), "DESCRIPTION:"+escapeTextForTest(desc); got != want {
			t.Errorf("unfolded DESCRIPTION\n got %q\nwant %q", got, want)
		}
		if got := icsText(t, parseICS(t, b).Events()[0].Props, ical.PropDescription); got != desc {
			t.Errorf("parsed DESCRIPTION\n got %q\nwant %q", got, desc)
		}
	}
}

func TestICSTextDropsControlCharacters(t *testing.T) {
	cases := map[string]struct{ in, want string }{
		"CRLF":         {"a\r\nb", "a\nb"},
		"lone CR":      {"a\rb", "a\nb"},
		"CR CR LF":     {"a\r\r\nb", "a\n\nb"},
		"C0 and DEL":   {"a\x00b\x01c\x1bd\x7fe", "abcde"},
		"C1":           {"a\u0085b\u009fc", "abc"},
		"tab kept":     {"a\tb", "a\tb"},
		"invalid UTF8": {"a\xffb", "a\uFFFDb"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			opt := icsOptions()
			opt.Description = func(CalendarItem) string { return c.in }
			it := yogaItem(51, icsTuesday, booking.StatusExpected, 0)
			it.Service.Name = c.in
			b := writeICS(t, []CalendarItem{it}, opt)
			for _, ch := range b {
				if ch < 0x20 && ch != '\r' && ch != '\n' && ch != '\t' || ch == 0x7f {
					t.Fatalf("control byte %#x in output", ch)
				}
			}
			e := parseICS(t, b).Events()[0]
			if got := icsText(t, e.Props, ical.PropDescription); got != c.want {
				t.Errorf("DESCRIPTION = %q, want %q", got, c.want)
			}
			if got, want := icsText(t, e.Props, ical.PropSummary), c.want+" — Анна Коваль"; got != want {
				t.Errorf("SUMMARY = %q, want %q", got, want)
			}
		})
	}
}

func TestWriteICSDescriptionDefaultsToManageURL(t *testing.T) {
	opt := icsOptions()
	opt.Description = nil
	it := yogaItem(61, icsTuesday, booking.StatusExpected, 0)
	it.Member.Name = ""
	it.Location.Address = ""
	e := parseICS(t, writeICS(t, []CalendarItem{it}, opt)).Events()[0]
	for name, want := range map[string]string{
		ical.PropDescription: icsManageURL,
		ical.PropSummary:     "Jóga, haladó; 🧘",
		ical.PropLocation:    "Napfény Stúdió",
	} {
		if got := icsText(t, e.Props, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteICSErrors(t *testing.T) {
	active := []CalendarItem{yogaItem(71, icsTuesday, booking.StatusExpected, 0)}
	noDuration := yogaItem(72, icsTuesday, booking.StatusExpected, 0)
	noDuration.Event.DurationMin = 0

	with := func(change func(*CalendarOptions)) CalendarOptions {
		opt := icsOptions()
		change(&opt)
		return opt
	}
	cases := map[string]struct {
		items []CalendarItem
		opt   CalendarOptions
		is    error
	}{
		"no items":            {nil, icsOptions(), ErrNoCalendarItems},
		"no host":             {active, with(func(o *CalendarOptions) { o.Host = "" }), nil},
		"no DTSTAMP":          {active, with(func(o *CalendarOptions) { o.Now = time.Time{} }), nil},
		"line break in URL":   {active, with(func(o *CalendarOptions) { o.ManageURL = "https://x.example/m\r\nATTACH:evil" }), nil},
		"event with no end":   {[]CalendarItem{noDuration}, icsOptions(), nil},
		"writer error passed": {active, icsOptions(), errDiskFull},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var w io.Writer = &bytes.Buffer{}
			if c.is == errDiskFull {
				w = failingWriter{}
			}
			err := WriteICS(w, c.items, c.opt)
			if err == nil {
				t.Fatal("no error")
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
			if buf, ok := w.(*bytes.Buffer); ok && buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}
