package handlers

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groupbook/booking/booktest"
	"groupbook/notify"
)

// TestSelfServiceInBrowser is issue 13's browser check, end to end in
// headless Chromium with the widget framed cross-origin: a client books two
// Tuesdays, later opens "My bookings", confirms the phone with the code,
// finds both bookings, opens the first one's manage page from the list,
// reschedules it to the Thursday in between, sees the new time, and gets a
// calendar file at SEQUENCE:1 (so calendars update the event instead of
// adding a second one). The phone is never in the frame's address.
func TestSelfServiceInBrowser(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	f := booktest.Seed(t, db)
	e := newTestRouter(t, f.Store, func() time.Time { return f.Now }, func(d *Deps) {
		d.DevCodes = d.Verifier.(*notify.DevVerifier).Code
	})
	e.db, e.f = db, f
	evs := tueThuYoga(t, e, 10)
	tue, thu, tue2 := evs[0], evs[1], evs[2]

	widgetSrv := httptest.NewServer(e.router)
	defer widgetSrv.Close()
	widgetOrigin := strings.Replace(widgetSrv.URL, "127.0.0.1", "localhost", 1)
	host := newHostServer(t, widgetOrigin)
	f.Link.AllowedOrigins = host
	if err := f.Store.SaveLink(context.Background(), f.Link); err != nil {
		t.Fatal(err)
	}

	problems := &browserProblems{}
	br := startBrowser(t, 3*time.Minute, problems.listener("host page"))
	ctx := br.scenario(t, 90*time.Second, problems)
	b := &browserRun{t: t, tab: br.tab, ctx: ctx, dir: br.shots, start: time.Now(), last: time.Now(), problems: problems}
	defer b.finish()

	b.host(chromedp.EmulateViewport(viewportWidth, viewportHeight), chromedp.Navigate(host+"/"),
		chromedp.WaitVisible(chromedp.CSS("iframe.groupbook-frame")))
	b.attachFrame(widgetOrigin + "/w/sunrise?")
	b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-events a")))

	// Book the first Tuesday and the next one.
	b.frame(chromedp.Click(chromedp.CSS(fmt.Sprintf(`.gb-events a[href*="/w/sunrise/e/%d?"], .gb-events a[href$="/w/sunrise/e/%d"]`, tue.ID, tue.ID))))
	b.waitFor(b.frameCtx, "the event page", eventPageShownJS)
	b.frame(chromedp.Click(chromedp.CSS(`input[name=also][value="` + idString(tue2.ID) + `"]`)))
	b.frame(chromedp.Click(chromedp.CSS(`form.gb-select > button[type=submit]:not([name])`)))
	b.waitFor(b.frameCtx, "the contact step", `!!document.getElementById('gb-first_name')`)
	b.frame(
		chromedp.SendKeys(chromedp.ID("gb-first_name"), "Anna"),
		chromedp.SendKeys(chromedp.ID("gb-last_name"), "Kovács"),
		chromedp.SendKeys(chromedp.ID("gb-phone"), "+36 20 123 4567"),
		chromedp.Click(chromedp.CSS(`form.gb-contact button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".gb-bookings")),
	)
	if n := evalFrame[int](b, `document.querySelectorAll('li.gb-booking').length`); n != 2 {
		t.Fatalf("%d bookings on the confirmation page, want 2", n)
	}
	first := evalFrame[string](b, `document.querySelector('li.gb-booking').id.replace('booking-', '')`)

	// Later: My bookings, the phone, the code.
	b.frame(chromedp.Click(chromedp.CSS(`a[data-gb-me-link]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`form[data-gb-me-phone] #gb-phone`)))
	b.frame(chromedp.SendKeys(chromedp.ID("gb-phone"), "+36 20 123 4567"))
	b.frame(chromedp.Click(chromedp.CSS(`form[data-gb-me-phone] button[type=submit]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`form[data-gb-me-code] #gb-code`)))
	code := regexp.MustCompile(`\d{6}`).FindString(evalFrame[string](b, `document.querySelector('[data-gb-devcode]').textContent`))
	if code == "" {
		t.Fatal("no demo code on the code step")
	}
	b.frame(chromedp.SendKeys(chromedp.ID("gb-code"), code))
	b.frame(chromedp.Click(chromedp.CSS(`form[data-gb-me-code] button[type=submit]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`[data-gb-me-upcoming]`)))
	if n := evalFrame[int](b, `document.querySelectorAll('[data-gb-me-upcoming] [data-gb-me-booking]').length`); n != 2 {
		t.Errorf("My bookings lists %d bookings, want 2", n)
	}
	if where := evalFrame[string](b, `location.href`); strings.Contains(where, "1234567") {
		t.Errorf("the phone is in the frame's address: %s", where)
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
	lt := thu.StartsAt.In(f.Location.Zone())
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
	if e.taken(&tue) != 0 || e.taken(&thu) != 1 || e.taken(&tue2) != 1 {
		t.Errorf("seats: %d on the first Tuesday, %d on Thursday, %d on the second Tuesday", e.taken(&tue), e.taken(&thu), e.taken(&tue2))
	}
}
