package handlers

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSelfServiceInBrowser is issue 13's browser check, end to end in
// headless Chromium with the widget framed cross-origin: a client books two
// Tuesdays, later opens "My bookings", confirms the phone with the code,
// finds both bookings, opens the first one's manage page from the list,
// reschedules it to the Thursday in between, sees the new time, and gets a
// calendar file at SEQUENCE:1 (so calendars update the event instead of
// adding a second one).
func TestSelfServiceInBrowser(t *testing.T) {
	w := newFramedWidget(t)
	evs := tueThuYoga(t, w.widgetEnv, 10)
	tue, thu, tue2 := evs[0], evs[1], evs[2]
	b := w.open(t)
	defer b.finish()

	bookTwoInFrame(b, tue, tue2)
	first := evalFrame[string](b, `document.querySelector('li.gb-booking').id.replace('booking-', '')`)

	myBookingsInFrame(b, "+36 20 123 4567")
	if n := evalFrame[int](b, `document.querySelectorAll('[data-gb-me-upcoming] [data-gb-me-booking]').length`); n != 2 {
		t.Errorf("My bookings lists %d bookings, want 2", n)
	}
	b.snap("selfservice-my-bookings")

	// The first booking's manage page, Change → Reschedule → Thursday.
	b.frame(chromedp.Click(chromedp.CSS(`[data-gb-me-booking="` + first + `"] a[data-gb-me-manage]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`#booking-` + first + ` details[data-gb-change] > summary`)))
	b.frame(chromedp.Click(chromedp.CSS(`#booking-` + first + ` details[data-gb-change] > summary`)))
	b.frame(chromedp.Click(chromedp.CSS(`#booking-` + first + ` a[data-gb-reschedule]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`button[data-gb-move-to="` + idString(thu.ID) + `"]`)))
	b.frame(chromedp.Click(chromedp.CSS(`button[data-gb-move-to="` + idString(thu.ID) + `"]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`.gb-alert--success`)))
	lt := thu.StartsAt.In(w.f.Location.Zone())
	when := evalFrame[string](b, `document.querySelector('#booking-`+first+` .gb-booking__when').textContent`)
	if !strings.Contains(when, lt.Format("Monday")) || !strings.Contains(when, lt.Format("15:04")) {
		t.Errorf("the moved booking shows %q, want %s", when, lt.Format("Monday 15:04"))
	}
	b.snap("selfservice-moved")

	ics := evalFrameAwait[string](b, `fetch(document.querySelector('#booking-`+first+` a[href*="/ics/"]').href).then(r => r.text())`)
	if !strings.Contains(ics, "\r\nSEQUENCE:1\r\n") {
		t.Errorf("the moved booking's .ics has no SEQUENCE:1:\n%s", ics)
	}
	if want := "DTSTART:" + thu.StartsAt.UTC().Format("20060102T150405Z"); !strings.Contains(ics, want) {
		t.Errorf("the .ics lacks %s:\n%s", want, ics)
	}
	if w.taken(&tue) != 0 || w.taken(&thu) != 1 || w.taken(&tue2) != 1 {
		t.Errorf("seats: %d on the first Tuesday, %d on Thursday, %d on the second Tuesday", w.taken(&tue), w.taken(&thu), w.taken(&tue2))
	}
}
