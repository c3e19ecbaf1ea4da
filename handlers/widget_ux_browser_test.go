package handlers

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// Helpers shared by the browser tests of what users tripped on (issue 8):
// history, tap targets, reflow, keyboard and embed.js's labels.

// uxEnv is a widget server over SQLite with the Tuesday/Thursday Yoga
// series of tueThuYoga, a Pilates class (so the list has filters), and a
// headless Chromium.
type uxEnv struct {
	*widgetEnv
	evs      []booking.Event
	srv      *httptest.Server
	br       *browser
	problems *browserProblems
}

func newUXEnv(t *testing.T, life time.Duration) *uxEnv {
	t.Helper()
	db := booktest.Open(t, booktest.SQLite)
	e := newWidgetEnv(t, db)
	evs := tueThuYoga(t, e, 10)
	e.f.Event(t, e.f.Pilates, e.f.Marton, evs[1].StartsAt.Add(time.Hour), 8)
	u := &uxEnv{widgetEnv: e, evs: evs, problems: &browserProblems{}}
	u.srv = httptest.NewServer(e.router)
	t.Cleanup(u.srv.Close)
	u.br = startBrowser(t, life, u.listener("tab"))
	return u
}

// expectedStatus are the answers these tests provoke on purpose (a form
// with errors is a 422, the not-found page a 404); Chromium logs each as a
// network error, which browserProblems would count as a failure.
var expectedStatus = []string{"status of 422 (Unprocessable Entity)", "status of 404 (Not Found)"}

// listener is browserProblems' listener with the expected answers noted
// instead of failed.
func (u *uxEnv) listener(where string) func(ev any) {
	inner := u.problems.listener(where)
	return func(ev any) {
		if e, ok := ev.(*log.EventEntryAdded); ok && e.Entry.Source == log.EntrySourceNetwork {
			for _, s := range expectedStatus {
				if strings.Contains(e.Entry.Text, s) {
					u.problems.add(false, "%s: expected: %s %s", where, e.Entry.Text, e.Entry.URL)
					return
				}
			}
		}
		inner(ev)
	}
}

// direct is a browserRun on the tab itself, for pages opened top-level (a
// direct link): the "frame" is the tab, so evalFrame and frame work on it.
func (u *uxEnv) direct(t *testing.T, d time.Duration) *browserRun {
	ctx := u.br.scenario(t, d, u.problems)
	b := &browserRun{t: t, tab: u.br.tab, ctx: ctx, frameCtx: ctx, dir: u.br.shots, start: time.Now(), last: time.Now(), problems: u.problems}
	t.Cleanup(func() { u.problems.report(t) })
	return b
}

// shot saves a screenshot of the tab as it is emulated now (width, touch),
// the whole page.
func (b *browserRun) shotNow(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.dir, "widget-ux-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	b.t.Logf("screenshot: %s", path)
}

// waitFor polls js (a boolean expression) in ctx until it holds, within the
// scenario's deadline.
func (b *browserRun) waitFor(ctx context.Context, what, js string) {
	b.t.Helper()
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		select {
		case <-b.ctx.Done():
			b.fail(fmt.Sprintf("waiting for %s (%s)", what, js), b.ctx.Err())
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// nextFrame resolves after the page has laid out and painted twice.
const nextFrameJS = `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`

func (b *browserRun) painted(ctx context.Context) {
	b.t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](nextFrameJS, chromedp.EvalAwaitPromise)); err != nil {
		b.fail("wait for a paint", err)
	}
}
