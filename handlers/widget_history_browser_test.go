package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// selectionState is what the event page shows of the selection.
type selectionState struct {
	Path    string   `json:"path"`
	Search  string   `json:"search"`
	Checked []string `json:"checked"`
	Seats   string   `json:"seats"`
	Weekday string   `json:"weekday"` // the pressed chip's text
}

const selectionStateJS = `(() => {
	const chip = document.querySelector('.gb-chip[aria-pressed="true"]'), seats = document.querySelector('input[name=seats]');
	return {path: location.pathname, search: location.search,
		checked: Array.from(document.querySelectorAll('input[name=also]:checked'), i => i.value),
		seats: seats ? seats.value : '', weekday: chip ? chip.textContent.trim() : ''};
})()`

// eventPageShownJS holds once htmx has put the event page in: its form and
// Book another block are there and no contact field is.
const eventPageShownJS = `!!document.querySelector('form.gb-select fieldset.gb-another') && !document.getElementById('gb-first_name')`

// TestWidgetHistoryInBrowser: issue 8, items 13 and 14.
//
// Opened as a direct link (top-level), each step adds a history entry, and
// Back from the contact step shows the event page with the dates and seats
// that were picked (they were lost: htmx restores an entry by fetching its
// URL again, and the event page's URL carried no selection). The contact
// step's pencil link keeps them too.
//
// Embedded with embed.js in a page of another site, a whole booking (event,
// weekday filter, two more dates, two seats, Continue, the pencil and
// Continue again, the contact form, Confirm, Cancel) leaves the host page's
// history.length exactly as it was before embed.js ran: the frame's first
// load adds nothing (embed.js sets the iframe's src before inserting it),
// and its steps replace its history entry instead of adding one (it was
// +7), so the host's Back button leaves the host page.
func TestWidgetHistoryInBrowser(t *testing.T) {
	u := newUXEnv(t, 3*time.Minute)
	first, tue1, tue2 := u.evs[0], u.evs[2], u.evs[4]
	wantChecked := []string{idString(tue1.ID), idString(tue2.ID)}

	// pick opens the first Tuesday from the list, filters Book another to
	// Tuesdays, ticks the next two and adds a seat, in ctx's page.
	pick := func(b *browserRun) {
		b.t.Helper()
		b.frame(chromedp.Click(chromedp.CSS(fmt.Sprintf(`.gb-events a[href*="/w/sunrise/e/%d?"], .gb-events a[href$="/w/sunrise/e/%d"]`, first.ID, first.ID))))
		b.waitFor(b.frameCtx, "the event page", eventPageShownJS)
		b.frame(chromedp.Click(chromedp.Search(`//button[contains(@class,"gb-chip")][normalize-space()="Tue"]`)))
		b.waitFor(b.frameCtx, "the Tuesday filter", `!!document.querySelector('.gb-chip[aria-pressed="true"]')`)
		for _, id := range wantChecked {
			b.frame(chromedp.Click(chromedp.CSS(`input[name=also][value="` + id + `"]`)))
		}
		b.frame(chromedp.Click(chromedp.CSS(`.gb-stepper [data-gb-step="1"]`)))
		b.waitFor(b.frameCtx, "two seats", `document.querySelector('input[name=seats]').value === '2'`)
	}
	cont := func(b *browserRun) {
		b.t.Helper()
		b.frame(chromedp.Click(chromedp.CSS(`form.gb-select > button[type=submit]:not([name])`)))
		b.waitFor(b.frameCtx, "the contact step", `!!document.getElementById('gb-first_name')`)
	}
	// kept checks that the event page shows the selection made by pick.
	kept := func(b *browserRun, after string) {
		b.t.Helper()
		s := evalFrame[selectionState](b, selectionStateJS)
		if !strings.Contains(s.Path, fmt.Sprintf("/w/sunrise/e/%d", first.ID)) {
			b.t.Errorf("after %s: the page is %s, want the event page", after, s.Path)
		}
		if !slices.Equal(s.Checked, wantChecked) || s.Seats != "2" {
			b.t.Errorf("after %s: ticked %v and %q seats, want %v and 2 seats (URL %s%s)", after, s.Checked, s.Seats, wantChecked, s.Path, s.Search)
		}
		b.t.Logf("after %s: %s%s: ticked %v, %s seats, filter %q", after, s.Path, s.Search, s.Checked, s.Seats, s.Weekday)
	}

	t.Run("direct link", func(t *testing.T) {
		b := u.direct(t, time.Minute)
		b.host(chromedp.EmulateViewport(viewportWidth, viewportHeight), chromedp.Navigate(u.srv.URL+"/w/sunrise"))
		b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-events a")))
		start := evalFrame[int](b, `history.length`)
		pick(b)
		cont(b)
		// The language links, outside the swapped part, follow the step
		// (sent out of band with each fragment).
		if href := evalFrame[string](b, `document.querySelector('#gb-lang-nav a[hreflang="hu"]').getAttribute('href')`); !strings.HasPrefix(href, "/w/sunrise/contact?") || !strings.Contains(href, "lang=hu") {
			t.Errorf("on the contact step the Magyar link is %q, want the contact step in Hungarian", href)
		}
		// list -> event -> Tuesdays -> contact: three steps, three entries.
		if n := evalFrame[int](b, `history.length`) - start; n != 3 {
			t.Errorf("a direct link added %d history entries in three steps, want 3 (each step pushes)", n)
		}
		b.frame(chromedp.Evaluate[chromedp.Void](`history.back()`))
		b.waitFor(b.ctx, "the event page after Back", eventPageShownJS)
		kept(b, "Back from the contact step")
		if w := evalFrame[selectionState](b, selectionStateJS).Weekday; w != "Tue" {
			t.Errorf("after Back the weekday filter is %q, want Tue", w)
		}
		b.shotNow("history-direct-after-back")

		cont(b)
		b.frame(chromedp.Click(chromedp.CSS(`a.gb-edit`)))
		b.waitFor(b.ctx, "the event page after the pencil", eventPageShownJS)
		kept(b, "the pencil link")
	})

	t.Run("embedded", func(t *testing.T) {
		widgetOrigin := strings.Replace(u.srv.URL, "127.0.0.1", "localhost", 1)
		// The studio's page notes its history.length before embed.js runs.
		host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sunrise Yoga</title></head>
<body><h1>Sunrise Yoga</h1><script>window.lengthBefore = history.length;</script>
<script src="%s/embed.js" data-groupbook="sunrise" async></script></body></html>`, widgetOrigin)
		}))
		defer host.Close()
		ctx := u.br.scenario(t, time.Minute, u.problems)
		b := &browserRun{t: t, tab: u.br.tab, ctx: ctx, dir: u.br.shots, start: time.Now(), last: time.Now(), problems: u.problems}
		defer b.finish()
		b.host(chromedp.EmulateViewport(viewportWidth, viewportHeight), chromedp.Navigate(host.URL+"/"),
			chromedp.WaitVisible(chromedp.CSS("iframe.groupbook-frame")))
		b.attachFrame(widgetOrigin + "/w/sunrise?")
		b.frame(chromedp.WaitVisible(chromedp.CSS(".gb-events a")))
		start := evalHost[int](b, `window.lengthBefore`)
		if n := evalHost[int](b, `history.length`); n != start {
			t.Errorf("the frame's first load took the host page's history.length from %d to %d", start, n)
		}

		pick(b)
		cont(b)
		b.frame(chromedp.Click(chromedp.CSS(`a.gb-edit`)))
		b.waitFor(b.frameCtx, "the event page after the pencil", eventPageShownJS)
		kept(b, "the pencil link in the frame")
		cont(b)
		b.frame(
			chromedp.SendKeys(chromedp.ID("gb-first_name"), "Anna"),
			chromedp.SendKeys(chromedp.ID("gb-phone"), "+36 20 123 4567"),
			chromedp.Click(chromedp.CSS(`form.gb-contact button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".gb-bookings")),
			chromedp.Click(chromedp.CSS(`details[data-gb-change] > summary`)),
			chromedp.Click(chromedp.CSS(`a[data-gb-cancel]`)),
			chromedp.WaitVisible(chromedp.CSS(`form.gb-cancel button[type=submit]`)),
			chromedp.Click(chromedp.CSS(`form.gb-cancel button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".gb-booking--cancelled")),
		)
		if path := evalFrame[string](b, `location.pathname`); !strings.HasPrefix(path, "/m/") {
			t.Errorf("the frame ends on %s, want the manage page", path)
		}
		if n := evalHost[int](b, `history.length`); n != start {
			t.Errorf("the host page's history.length went from %d to %d in one booking; the frame must replace, not push", start, n)
		}
		b.snap("history-embedded-done")
	})
}
