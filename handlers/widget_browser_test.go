package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// Environment of the browser test.
const (
	// envRequireBrowser makes a missing Chromium fail the test, not skip it
	// (CI sets it, so the browser test cannot silently stop running).
	envRequireBrowser = "GROUPBOOK_TEST_REQUIRE_BROWSER"
	// envArtifacts is a folder for the screenshots; without it they go to a
	// temporary folder that the test removes.
	envArtifacts = "GROUPBOOK_TEST_ARTIFACTS"

	// A phone's viewport (CSS pixels).
	viewportWidth, viewportHeight = 390, 844
)

// chromiumPath finds Debian's Chromium, or skips (fails under
// GROUPBOOK_TEST_REQUIRE_BROWSER=1) with what to install.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "Chromium not found (looked for /usr/bin/chromium, chromium, chromium-browser in PATH): " +
		"install it with `apt-get install -y chromium` to run the browser test"
	if os.Getenv(envRequireBrowser) == "1" {
		t.Fatal(msg + " (" + envRequireBrowser + "=1)")
	}
	t.Skip(msg)
	return ""
}

// browserProblems collects what the browser reports in the host page and in
// the widget's frame: console errors, uncaught exceptions and error-level log
// entries, which is where Chromium reports CSP violations (source
// "security"). The listeners run on chromedp's reading goroutines, so they
// only append under the lock; the test logs and judges at the end.
type browserProblems struct {
	mu       sync.Mutex
	problems []string // fail the test
	notes    []string // logged only (warnings, the ignored favicon 404)
	// stop ends the scenario at the first problem, so that a frame the CSP
	// refused, say, fails at once with the reason rather than at the deadline.
	stop context.CancelCauseFunc
}

func (b *browserProblems) add(bad bool, format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if bad {
		b.problems = append(b.problems, fmt.Sprintf(format, args...))
		if b.stop != nil {
			b.stop(errors.New("the browser reported: " + b.problems[0]))
		}
	} else {
		b.notes = append(b.notes, fmt.Sprintf(format, args...))
	}
}

// listener is a chromedp listener for one target (where names it in the
// report). It is given with chromedp.WithListener, so it sees the events from
// the moment the context attaches, including the ones Chromium replays on
// attach: Runtime.enable reports the console messages and exceptions stored
// so far, and Log.enable the log entries, so nothing the frame logged before
// the test attached to it is lost.
func (b *browserProblems) listener(where string) func(ev any) {
	return func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range ev.Args {
				var str string
				switch {
				case a.Type == runtime.RemoteObjectTypeString && json.Unmarshal(a.Value, &str) == nil:
					args = append(args, str)
				case len(a.Value) > 0:
					args = append(args, string(a.Value))
				case a.Description != "":
					args = append(args, a.Description)
				default:
					args = append(args, string(a.Type))
				}
			}
			text := strings.Join(args, " ")
			switch ev.Type {
			case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeAssert:
				b.add(true, "%s: console.%s: %s", where, ev.Type, text)
			case runtime.ConsoleAPICalledTypeWarning:
				b.add(false, "%s: console.%s: %s", where, ev.Type, text)
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			b.add(true, "%s: uncaught exception at %s:%d:%d: %s", where, d.URL, d.LineNumber+1, d.ColumnNumber+1, text)
		case *log.EventEntryAdded:
			e := ev.Entry
			line := fmt.Sprintf("%s: log %s/%s: %s %s", where, e.Source, e.Level, e.Text, e.URL)
			switch {
			case e.Level == log.EntryLevelError && e.Source == log.EntrySourceNetwork && strings.HasSuffix(e.URL, "/favicon.ico"):
				// Chromium asks the host page for a favicon it does not have.
				b.add(false, "%s (ignored: missing favicon)", line)
			case e.Level == log.EntryLevelError, e.Source == log.EntrySourceSecurity:
				b.add(true, "%s", line)
			case e.Level == log.EntryLevelWarning:
				b.add(false, "%s", line)
			}
		}
	}
}

// report logs everything and fails the test for each problem.
func (b *browserProblems) report(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, n := range b.notes {
		t.Logf("browser: %s", n)
	}
	for _, p := range b.problems {
		t.Errorf("browser: %s", p)
	}
}

// hostPage is the studio's own website: a heading and the embed snippet.
func hostPage(widgetOrigin string) http.Handler {
	page := `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sunrise Yoga</title>
</head>
<body>
<h1>Sunrise Yoga</h1>
<p>Book a class below.</p>
<script src="` + widgetOrigin + `/embed.js" data-groupbook="sunrise" async></script>
<p>Király utca 1, Budapest</p>
</body>
</html>
`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})
}

// TestWidgetInBrowser books as a real client in headless Chromium: the
// widget is embedded with embed.js in a studio's page on another origin
// (another site, too: 127.0.0.1 and localhost), and the client picks a
// Tuesday class, two more Tuesdays and two seats, fills in the contact form,
// confirms and cancels one of the three bookings. On the way it checks that
// the frame is always as tall as its content, that the step's heading is on
// screen, that neither page logs an error or a CSP violation, and what the
// database holds; it saves a screenshot of every step.
//
// It runs on SQLite only: what it tests is the browser side (htmx, widget.js,
// embed.js, the CSP, the templates); the store behaves the same on both
// databases, and the HTTP tests run the same flow on each.
func TestWidgetInBrowser(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	e := newWidgetEnv(t, db)
	evs := tueThuYoga(t, e, 10)
	budapest, err := time.LoadLocation(e.f.Location.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	// The client's picks: the first Tuesday, then the next two Tuesdays
	// (the series alternates Tuesday, Thursday from Tuesday 3 March).
	picked := []booking.Event{evs[0], evs[2], evs[4]}
	for _, ev := range picked {
		if wd := ev.StartsAt.In(budapest).Weekday(); wd != time.Tuesday {
			t.Fatalf("event %d starts on %s, want a Tuesday", ev.ID, wd)
		}
	}

	widgetSrv := httptest.NewServer(e.router)
	defer widgetSrv.Close()
	// The widget is served as localhost, the studio's page as 127.0.0.1:
	// two sites, so Chromium runs the frame in its own process, as it
	// would on a real studio's website.
	widgetOrigin := strings.Replace(widgetSrv.URL, "127.0.0.1", "localhost", 1)
	hostSrv := httptest.NewServer(hostPage(widgetOrigin))
	defer hostSrv.Close()
	hostOrigin := hostSrv.URL

	// The studio allows its website to frame the widget, so the test runs
	// under the frame-ancestors policy a configured link sends.
	e.f.Link.AllowedOrigins = hostOrigin
	if err := e.f.Store.SaveLink(context.Background(), e.f.Link); err != nil {
		t.Fatal(err)
	}

	problems := &browserProblems{}
	br := startBrowser(t, 3*time.Minute, problems.listener("host page"))
	hostCtx, shots := br.tab, br.shots
	ctx := br.scenario(t, 60*time.Second, problems)

	b := &browserRun{t: t, tab: hostCtx, ctx: ctx, dir: shots, start: time.Now(), last: time.Now(), problems: problems}
	defer b.finish()

	// 1. The studio's page, with the widget's frame in it, showing the list.
	b.host(chromedp.EmulateViewport(viewportWidth, viewportHeight), chromedp.Navigate(hostOrigin+"/"),
		chromedp.WaitVisible(chromedp.CSS("iframe.groupbook-frame")))
	if got := evalHost[string](b, `document.querySelector('h1').textContent`); got != "Sunrise Yoga" {
		t.Errorf("host page heading %q", got)
	}
	b.attachFrame(widgetOrigin + "/w/sunrise?")
	b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-events a")))
	// Every step below must be an htmx swap inside this one document: a
	// full page load would lose the mark.
	b.frame(chromedp.Evaluate[chromedp.Void](`window.gbTestMark = 1`))
	if n := evalFrame[int](b, `document.querySelectorAll('.gb-event').length`); n != 12 {
		t.Errorf("%d events listed, want the 12 of the series", n)
	}
	b.settled("list", false)
	b.snap("list")

	// 2. The first Tuesday; Book another filtered to Tuesdays, two of them
	// ticked; two seats.
	b.frame(chromedp.Click(chromedp.CSS(fmt.Sprintf(`.gb-events a[href*="/w/sunrise/e/%d?"]`, picked[0].ID))))
	b.frame(chromedp.WaitVisible(chromedp.CSS("fieldset.gb-another")))
	b.settled("event", true)
	b.frame(chromedp.Click(chromedp.Search(`//fieldset[contains(@class,"gb-another")]//button[contains(@class,"gb-chip")][normalize-space()="Tue"]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`.gb-chip[aria-pressed="true"]`)))
	b.settled("event, Tuesdays", true)
	if got := evalFrame[string](b, `document.querySelector('.gb-chip[aria-pressed="true"]').textContent.trim()`); got != "Tue" {
		t.Errorf("pressed chip %q, want Tue", got)
	}
	if got, want := evalFrame[[]string](b, `Array.from(document.querySelectorAll('input[name=also]'), i => i.value)`),
		[]string{idString(evs[2].ID), idString(evs[4].ID), idString(evs[6].ID), idString(evs[8].ID), idString(evs[10].ID)}; !slices.Equal(got, want) {
		t.Errorf("Book another after Tue: events %v, want the other Tuesdays %v", got, want)
	}
	for _, ev := range picked[1:] {
		b.frame(chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=also][value="%d"]`, ev.ID))))
	}
	b.frame(chromedp.Click(chromedp.CSS(`.gb-stepper [data-gb-step="1"]`)))
	if got := evalFrame[string](b, `document.querySelector('input[name=seats]').value`); got != "2" {
		t.Errorf("seats %q after one +, want 2", got)
	}
	if got := evalFrame[int](b, `document.querySelectorAll('input[name=also]:checked').length`); got != 2 {
		t.Errorf("%d Book another boxes ticked, want 2", got)
	}
	b.snap("event-tuesdays")

	// 3. Contact.
	b.frame(chromedp.Click(chromedp.CSS(`form.gb-select > button[type=submit]:not([name])`)))
	b.frame(chromedp.WaitVisible(chromedp.ID("gb-first_name")))
	b.settled("contact", true)
	if got := evalFrame[[]string](b, `Array.from(document.querySelectorAll('.gb-summary li'), li => li.textContent)`); len(got) != 3 {
		t.Errorf("the contact step's summary lists %q, want 3 events", got)
	}
	b.frame(
		chromedp.SendKeys(chromedp.ID("gb-first_name"), "Anna"),
		chromedp.SendKeys(chromedp.ID("gb-last_name"), "Kovács"),
		chromedp.SendKeys(chromedp.ID("gb-phone"), "+36 20 123 4567"),
	)
	b.snap("contact")

	// 4. Confirmation.
	b.frame(chromedp.Click(chromedp.Search(`//form[contains(@class,"gb-contact")]//button[@type="submit"][normalize-space()="Confirm booking"]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-bookings")))
	b.settled("confirmation", true)
	if n := evalFrame[int](b, `document.querySelectorAll('.gb-booking').length`); n != 3 {
		t.Fatalf("%d bookings on the confirmation page, want 3", n)
	}
	if path := evalFrame[string](b, `location.pathname`); !strings.HasPrefix(path, "/m/") {
		t.Errorf("the frame's URL after booking is %q, want the manage page /m/…", path)
	}
	b.snap("confirmation")

	// 5. Cancel the first booking: its Change menu, Cancel, then the
	// confirmation.
	if n := evalFrame[int](b, `document.querySelectorAll('.gb-btn--danger').length`); n != 0 {
		t.Errorf("%d red buttons on the confirmation page, want none (Cancel lives in the Change menu)", n)
	}
	cancelID := evalFrame[string](b, `document.querySelector('li.gb-booking').id.replace('booking-', '')`)
	b.frame(chromedp.Click(chromedp.CSS(`details[data-gb-change] > summary`)))
	b.frame(chromedp.Click(chromedp.CSS(`a[data-gb-cancel]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(`form.gb-cancel button[type=submit]`)))
	b.settled("cancel, asked", true)
	b.snap("cancel-confirm")
	b.frame(chromedp.Click(chromedp.CSS(`form.gb-cancel button[type=submit]`)))
	b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-booking--cancelled")))
	b.settled("cancelled", true)
	if n := evalFrame[int](b, `document.querySelectorAll('.gb-booking--cancelled').length`); n != 1 {
		t.Errorf("%d cancelled bookings shown, want 1", n)
	}
	if n := evalFrame[int](b, `document.querySelectorAll('.gb-booking:not(.gb-booking--cancelled)').length`); n != 2 {
		t.Errorf("%d active bookings shown, want 2", n)
	}
	if n := evalFrame[int](b, `document.querySelectorAll('a[data-gb-cancel]').length`); n != 2 {
		t.Errorf("%d Cancel buttons left, want 2", n)
	}
	if got := evalFrame[string](b, `document.querySelector('.gb-booking--cancelled').id`); got != "booking-"+cancelID {
		t.Errorf("cancelled booking shown is %q, want booking-%s", got, cancelID)
	}
	b.snap("cancelled")
	if b.maxHeight <= 480 {
		t.Errorf("the frame never grew past its initial 480px (at most %.0fpx), though the list of 12 events is taller", b.maxHeight)
	}

	// The database: three bookings of the client from the widget, one of
	// them cancelled, its seats given back.
	bg := context.Background()
	cl, err := e.f.Store.ClientByPhone(bg, e.f.Location.ID, "+36201234567")
	if err != nil {
		t.Fatalf("the client: %v", err)
	}
	if cl.FirstName != "Anna" || cl.LastName != "Kovács" {
		t.Errorf("client %q %q", cl.FirstName, cl.LastName)
	}
	active := 0
	for _, ev := range picked {
		bs, err := e.f.Store.EventBookings(bg, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) != 1 || bs[0].ClientID != cl.ID {
			t.Errorf("event %d: bookings %+v, want one of client %d", ev.ID, bs, cl.ID)
			continue
		}
		bk := bs[0]
		if bk.Source != booking.SourceWidget || bk.Seats != 2 || bk.LinkID != e.f.Link.ID {
			t.Errorf("booking %d: source %q, %d seats, link %d", bk.ID, bk.Source, bk.Seats, bk.LinkID)
		}
		want := 2
		if idString(bk.ID) == cancelID {
			want = 0
			if bk.Active() {
				t.Errorf("booking %d was cancelled in the widget but is %q", bk.ID, bk.Status)
			}
		} else if bk.Active() {
			active++
		}
		if got := e.taken(&ev); got != want {
			t.Errorf("event %d: %d seats taken, want %d", ev.ID, got, want)
		}
	}
	if active != 2 {
		t.Errorf("%d active bookings, want 2", active)
	}
	if bad := booktest.Invariant(t, db); len(bad) > 0 {
		t.Error(bad)
	}
}

// browserRun is one scenario in the browser: the host page's context, the
// frame's once attached, the deadline, and the screenshots.
type browserRun struct {
	t        *testing.T
	tab      context.Context // the host page's tab, without the deadline
	ctx      context.Context // the host page's tab, under the deadline
	frameCtx context.Context // the widget's frame, under the deadline
	dir      string
	start    time.Time
	last     time.Time
	shot     int
	problems *browserProblems

	maxHeight float64 // the frame's tallest content so far

	cancelFrame, cancelFrameDeadline context.CancelFunc
}

func (b *browserRun) fail(what string, err error) {
	b.t.Helper()
	if cause := context.Cause(b.ctx); cause != nil {
		err = fmt.Errorf("%w (%w)", err, cause)
	}
	b.t.Fatalf("%s (after %v): %v", what, time.Since(b.start).Round(time.Millisecond), err)
}

// host runs actions in the host page.
func (b *browserRun) host(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fail("host page", err)
	}
}

// frame runs actions in the widget's frame.
func (b *browserRun) frame(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.frameCtx, actions...); err != nil {
		b.fail("widget frame", err)
	}
}

// evalHost evaluates js in the host page.
func evalHost[T any](b *browserRun, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.fail("host page: "+js, err)
	}
	return v
}

// evalFrame evaluates js in the widget's frame.
func evalFrame[T any](b *browserRun, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.frameCtx, chromedp.Evaluate[T](js))
	if err != nil {
		b.fail("widget frame: "+js, err)
	}
	return v
}

// attachFrame attaches to the widget's frame.
//
// The frame comes from another site (localhost in a page of 127.0.0.1), so
// Chromium's site isolation runs it in its own renderer process as an
// out-of-process iframe: a separate DevTools target of type "iframe". The
// host tab's DOM has only the <iframe> element, with no content document,
// so chromedp.FromNode on it finds nothing (chromedp v0.23 documents this),
// and the frame's console and log events do not reach the host tab's
// context. What works is chromedp's documented way for this case: find the
// frame's target with chromedp.Targets and open a context on it with
// chromedp.WithTargetID. Actions in that context (queries, clicks, keys,
// Evaluate) run in the frame, with the frame's coordinates: Click scrolls the
// element into view (which scrolls the host page too) and the mouse event
// lands on it as a user's would. WithDetachOnCancel, because the context does
// not own the frame: cancelling it must detach, not try to close the target.
// (Turning site isolation off would keep the frame in the host's process, but
// then the test would no longer run the widget the way browsers do.)
func (b *browserRun) attachFrame(urlPrefix string) {
	b.t.Helper()
	var id target.ID
	for id == "" {
		infos, err := chromedp.Targets(b.ctx)
		if err != nil {
			b.fail("list targets", err)
		}
		var seen []string
		for _, in := range infos {
			seen = append(seen, string(in.Type)+" "+in.URL)
			if in.Type == "iframe" && strings.HasPrefix(in.URL, urlPrefix) {
				id = in.TargetID
			}
		}
		if id != "" {
			break
		}
		select {
		case <-b.ctx.Done():
			b.fail("find the widget's frame target (is site isolation off?); targets: "+strings.Join(seen, "; "), b.ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	frameCtx, cancel := chromedp.NewContext(b.tab, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel(),
		chromedp.WithListener(b.problems.listener("widget frame")))
	b.cancelFrame = cancel
	// The first Run binds the attached target to its context: the one without
	// the deadline, like the host tab's.
	if err := chromedp.Do(frameCtx); err != nil {
		b.fail("attach to the widget's frame", err)
	}
	deadline, _ := b.ctx.Deadline()
	b.frameCtx, b.cancelFrameDeadline = context.WithDeadline(frameCtx, deadline)
	context.AfterFunc(b.ctx, b.cancelFrameDeadline) // a problem stops the frame's actions too
	b.t.Logf("%v: attached to the widget's frame (target %s)", b.since(), id)
}

// layout is what the host page and the frame see of the frame's size.
type layout struct {
	// Host page.
	FrameTop    float64 `json:"frameTop"`    // the iframe's top in the host viewport
	FrameHeight float64 `json:"frameHeight"` // the iframe's height
	ScrollY     float64 `json:"scrollY"`
	ViewHeight  float64 `json:"viewHeight"`
	// Frame.
	Content      float64  `json:"content"`      // body box height, as widget.js reports it
	ScrollHeight float64  `json:"scrollHeight"` // the frame document's scrollHeight
	InnerHeight  float64  `json:"innerHeight"`
	ScrollWidth  float64  `json:"scrollWidth"`
	ClientWidth  float64  `json:"clientWidth"`
	Overflowing  []string `json:"overflowing"` // elements sticking out on the right
	HeadingTop   float64  `json:"headingTop"`  // the step's heading, in the frame
	HeadingText  string   `json:"headingText"`
	Focused      bool     `json:"focused"` // the heading has the focus
	Mark         bool     `json:"mark"`    // still the document the test marked
}

const (
	hostLayoutJS = `(() => {
	const r = document.querySelector('iframe.groupbook-frame').getBoundingClientRect();
	return {frameTop: r.top, frameHeight: r.height, scrollY: window.scrollY, viewHeight: window.innerHeight};
})()`
	// content is the same measure as widget.js's contentHeight.
	frameLayoutJS = `(() => {
	const b = document.body, d = document.documentElement, h = document.querySelector('#gb-widget h1');
	const name = el => el.tagName.toLowerCase() + (el.classList.length ? '.' + Array.from(el.classList).join('.') : '');
	const over = [];
	for (const el of b.querySelectorAll('*')) {
		const r = el.getBoundingClientRect();
		if (r.width > 0 && r.right > d.clientWidth + 1) {
			let path = name(el), p = el;
			while (!p.classList.length && p.parentElement && p.parentElement !== b) {
				p = p.parentElement;
				path = name(p) + ' > ' + path;
			}
			over.push(path + ' (' + Math.round(r.width) + 'px wide, right edge at ' + Math.round(r.right) + 'px)');
		}
	}
	return {
		content: Math.ceil(Math.max(b.getBoundingClientRect().height, b.scrollHeight)),
		scrollHeight: d.scrollHeight, innerHeight: window.innerHeight,
		scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, overflowing: over,
		headingTop: h ? h.getBoundingClientRect().top : -1, headingText: h ? h.textContent.trim() : '',
		focused: !!h && document.activeElement === h, mark: window.gbTestMark === 1
	};
})()`
)

func (b *browserRun) layout() layout {
	b.t.Helper()
	h := evalHost[layout](b, hostLayoutJS)
	f := evalFrame[layout](b, frameLayoutJS)
	f.FrameTop, f.FrameHeight, f.ScrollY, f.ViewHeight = h.FrameTop, h.FrameHeight, h.ScrollY, h.ViewHeight
	return f
}

// fits tells whether the iframe is as tall as its content (within 2px).
func (l layout) fits() bool { return math.Abs(l.FrameHeight-l.Content) <= 2 }

// headingOnScreen tells whether the step's heading is in the host page's
// viewport.
func (l layout) headingOnScreen() bool {
	top := l.FrameTop + l.HeadingTop
	return l.HeadingTop >= 0 && top >= 0 && top < l.ViewHeight
}

// settle waits until the frame has been resized to its content and, after a
// swap, the host page shows the step's heading: both travel by postMessage
// (height, then scroll), so they land a moment after the swap. It is bounded
// by a few seconds and by the scenario's deadline.
func (b *browserRun) settle(name string, swapped bool) layout {
	b.t.Helper()
	wait := time.Now().Add(5 * time.Second)
	for {
		l := b.layout()
		if l.fits() && (!swapped || l.headingOnScreen()) || time.Now().After(wait) {
			return l
		}
		select {
		case <-b.ctx.Done():
			b.fail(name, b.ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// settled checks the layout right after a step has been swapped in (or, for
// the first, loaded): the frame fits its content and does not scroll; after a
// swap, the heading is on the host page's screen and has the focus, and the
// document is still the first one (htmx swapped, the frame did not reload).
func (b *browserRun) settled(name string, swapped bool) {
	b.t.Helper()
	l := b.settle(name, swapped)
	if !l.fits() {
		b.t.Errorf("%s: the iframe is %.0fpx tall, its content %.0fpx", name, l.FrameHeight, l.Content)
	}
	if l.ScrollHeight > l.InnerHeight+1 {
		b.t.Errorf("%s: the frame scrolls (document %.0fpx in a %.0fpx frame)", name, l.ScrollHeight, l.InnerHeight)
	}
	if swapped {
		if !l.headingOnScreen() {
			b.t.Errorf("%s: the heading %q is off screen (%.0fpx from the top of the %.0fpx viewport; host page scrolled to %.0f)",
				name, l.HeadingText, l.FrameTop+l.HeadingTop, l.ViewHeight, l.ScrollY)
		}
		if !l.Focused {
			b.t.Errorf("%s: the heading %q does not have the focus", name, l.HeadingText)
		}
		if !l.Mark {
			b.t.Errorf("%s: the frame loaded a new document; htmx should have swapped the step in", name)
		}
	}
	if l.ScrollWidth > l.ClientWidth+1 {
		// Reported, not failed: a CSS matter for the widget's stylesheet.
		b.t.Logf("LAYOUT %s: the frame's content is %.0fpx wide in a %.0fpx frame (it scrolls sideways): %s",
			name, l.ScrollWidth, l.ClientWidth, strings.Join(l.Overflowing, ", "))
	}
	b.maxHeight = max(b.maxHeight, l.Content)
	b.t.Logf("%v (+%v): %s: %q; frame %.0fpx, content %.0fpx; host page scrolled to %.0f, heading at %.0fpx",
		b.since(), time.Since(b.last).Round(time.Millisecond), name, l.HeadingText, l.FrameHeight, l.Content, l.ScrollY, l.FrameTop+l.HeadingTop)
	b.last = time.Now()
}

// snap saves a screenshot of the host page, once the frame fits its
// content.
func (b *browserRun) snap(name string) {
	b.t.Helper()
	if l := b.settle(name, false); !l.fits() {
		b.t.Errorf("%s: the iframe is %.0fpx tall, its content %.0fpx", name, l.FrameHeight, l.Content)
	}
	b.shot++
	if path := b.screenshot(b.ctx, fmt.Sprintf("%02d-%s", b.shot, name)); path != "" {
		b.t.Logf("screenshot: %s", path)
	}
	b.last = time.Now()
}

func (b *browserRun) since() time.Duration { return time.Since(b.start).Round(time.Millisecond) }

// screenshot saves a full-page PNG of the host page and returns its path.
//
// chromedp.FullScreenshot alone captures beyond the viewport, but Chromium
// paints an out-of-process frame only around the part that is on screen: the
// widget came out cut off below about 1100px of a 1566px frame, a blank
// rectangle after it. So the viewport is made as tall as the page for the
// shot (after a frame has been painted in the widget at that size), and then
// put back, with the host page's scroll position.
func (b *browserRun) screenshot(ctx context.Context, name string) string {
	b.t.Helper()
	png, err := fullPage(ctx, b.frameCtx)
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(b.dir, "widget-browser-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	return path
}

func fullPage(host, frame context.Context) ([]byte, error) {
	type size struct {
		Height  int64   `json:"height"`
		ScrollY float64 `json:"scrollY"`
	}
	s, err := chromedp.Run(host, chromedp.Evaluate[size](`({height: Math.ceil(document.documentElement.scrollHeight), scrollY: window.scrollY})`))
	if err != nil {
		return nil, err
	}
	if err := chromedp.Do(host, chromedp.EmulateViewport(viewportWidth, max(s.Height, viewportHeight))); err != nil {
		return nil, err
	}
	if frame != nil && frame.Err() == nil {
		// Two animation frames in the widget: it has been laid out and
		// painted at the new size.
		_, err := chromedp.Run(frame, chromedp.Evaluate[chromedp.Void](
			`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))`, chromedp.EvalAwaitPromise))
		if err != nil {
			return nil, err
		}
	}
	png, shotErr := chromedp.Run(host, chromedp.FullScreenshot(100))
	err = chromedp.Do(host, chromedp.EmulateViewport(viewportWidth, viewportHeight),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`window.scrollTo(0, %f)`, s.ScrollY)))
	if shotErr != nil {
		return nil, shotErr
	}
	return png, err
}

// finish saves a screenshot of a failure and reports the browser's problems.
func (b *browserRun) finish() {
	b.t.Helper()
	if b.t.Failed() {
		ctx, cancel := context.WithTimeout(b.tab, 10*time.Second)
		defer cancel()
		if path := b.screenshot(ctx, "failure"); path != "" {
			b.t.Logf("screenshot of the failure: %s", path)
		}
	}
	b.problems.report(b.t)
	if b.cancelFrame != nil {
		b.cancelFrameDeadline()
		b.cancelFrame()
	}
}
