package handlers

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groupbook/booking"
)

// TestWidgetRescheduleInBrowser: issue 13. Embedded in a studio's page, a
// client books two Tuesdays, then on the manage page opens the first
// booking's Change menu, Reschedule, picks the Thursday in between, and
// sees the new time on the page; the booking's calendar file, fetched as
// the browser would download it, carries SEQUENCE:1 so calendars update
// the event instead of adding a second one.
func TestWidgetRescheduleInBrowser(t *testing.T) {
	u := newUXEnv(t, 3*time.Minute)
	tue, thu, tue2 := u.evs[0], u.evs[1], u.evs[2]
	widgetOrigin := strings.Replace(u.srv.URL, "127.0.0.1", "localhost", 1)
	host := newHostServer(t, widgetOrigin)
	u.f.Link.AllowedOrigins = host
	if err := u.f.Store.SaveLink(context.Background(), u.f.Link); err != nil {
		t.Fatal(err)
	}
	ctx := u.br.scenario(t, 90*time.Second, u.problems)
	b := &browserRun{t: t, tab: u.br.tab, ctx: ctx, dir: u.br.shots, start: time.Now(), last: time.Now(), problems: u.problems}
	defer b.finish()

	b.host(chromedp.EmulateViewport(viewportWidth, viewportHeight), chromedp.Navigate(host+"/"),
		chromedp.WaitVisible(chromedp.CSS("iframe.groupbook-frame")))
	b.attachFrame(widgetOrigin + "/w/sunrise?")
	b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-events a")))

	bookTwoInFrame(b, tue, tue2)
	b.snap("reschedule-booked")

	// Change → Reschedule on the first booking; the dates by day; Thursday.
	id := evalFrame[string](b, `document.querySelector('li.gb-booking').id.replace('booking-', '')`)
	b.frame(chromedp.Click(chromedp.CSS(`#booking-` + id + ` details[data-gb-change] > summary`)))
	b.frame(chromedp.Click(chromedp.CSS(`#booking-` + id + ` a[data-gb-reschedule]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`button[data-gb-move-to="` + idString(thu.ID) + `"]`)))
	if evalFrame[int](b, `document.querySelectorAll('button[data-gb-move-to="`+idString(tue2.ID)+`"]').length`) != 0 {
		t.Error("the reschedule page offers the date the client already has")
	}
	b.snap("reschedule-dates")
	b.frame(chromedp.Click(chromedp.CSS(`button[data-gb-move-to="` + idString(thu.ID) + `"]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`.gb-alert--success`)))
	lt := thu.StartsAt.In(u.f.Location.Zone())
	if got, want := evalFrame[string](b, `document.querySelector('.gb-alert--success').textContent.trim()`),
		"Your booking was moved to "+lt.Format("Mon 2 Jan 15:04")+"."; got != want {
		t.Errorf("alert %q, want %q", got, want)
	}
	when := evalFrame[string](b, `document.querySelector('#booking-`+id+` .gb-booking__when').textContent`)
	if !strings.Contains(when, lt.Format("Monday")) || !strings.Contains(when, lt.Format("15:04")) {
		t.Errorf("the moved booking shows %q, want %s", when, lt.Format("Monday 15:04"))
	}
	b.snap("reschedule-moved")

	// Its calendar file, fetched from the link on the page.
	ics := evalFrameAwait[string](b, `fetch(document.querySelector('#booking-`+id+` a[href*="/ics/"]').href).then(r => r.text())`)
	if !strings.Contains(ics, "\r\nSEQUENCE:1\r\n") {
		t.Errorf("the moved booking's .ics has no SEQUENCE:1:\n%s", ics)
	}
	if want := "DTSTART:" + thu.StartsAt.UTC().Format("20060102T150405Z"); !strings.Contains(ics, want) {
		t.Errorf("the .ics lacks %s:\n%s", want, ics)
	}

	// The database: seats moved.
	if u.taken(&tue) != 0 || u.taken(&thu) != 1 || u.taken(&tue2) != 1 {
		t.Errorf("seats: %d on the first Tuesday, %d on Thursday, %d on the second Tuesday", u.taken(&tue), u.taken(&thu), u.taken(&tue2))
	}
}

// bookTwoInFrame books two dates of one class in the framed widget, as a
// client does: the first date's page, the second ticked in Book another,
// the contact step (no code asked), the confirmation page with both.
func bookTwoInFrame(b *browserRun, first, second booking.Event) {
	b.t.Helper()
	b.frame(chromedp.Click(chromedp.CSS(fmt.Sprintf(`.gb-events a[href*="/w/sunrise/e/%d?"], .gb-events a[href$="/w/sunrise/e/%d"]`, first.ID, first.ID))))
	b.waitFor(b.frameCtx, "the event page", eventPageShownJS)
	b.frame(chromedp.Click(chromedp.CSS(`input[name=also][value="` + idString(second.ID) + `"]`)))
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
		b.t.Fatalf("%d bookings on the confirmation page, want 2", n)
	}
}

// newHostServer serves the studio's page that frames the widget, closed
// with the test.
func newHostServer(t *testing.T, widgetOrigin string) string {
	t.Helper()
	srv := httptest.NewServer(hostPage(widgetOrigin))
	t.Cleanup(srv.Close)
	return srv.URL
}

// evalFrameAwait evaluates a promise in the widget's frame.
func evalFrameAwait[T any](b *browserRun, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.frameCtx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("evaluate "+js, err)
	}
	return v
}
