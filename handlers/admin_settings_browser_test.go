package handlers

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"groupbook/booking/booktest"
)

// TestAdminSettingsInBrowser runs the services pages in Chromium under the
// real CSP: every step is an htmx swap of #ga-main in one document (the
// mark set on window survives), a refused form shows its errors at the
// fields, a saved one lands on the list with the success alert and its URL,
// and the browser reports no CSP violation or script error.
func TestAdminSettingsInBrowser(t *testing.T) {
	e := newAdminEnv(t, booktest.Open(t, booktest.SQLite))
	srv := httptest.NewServer(e.router)
	defer srv.Close()
	problems := &browserProblems{}
	report := problems.listener("admin")
	// A refused form is answered with 422 on purpose; Chromium logs every
	// 4xx as a network error, which is not a problem here.
	listen := func(ev any) {
		if l, ok := ev.(*log.EventEntryAdded); ok && l.Entry.Source == log.EntrySourceNetwork && strings.Contains(l.Entry.Text, "status of 422") {
			return
		}
		report(ev)
	}
	br := startBrowser(t, 2*time.Minute, listen)
	tab, shots := br.tab, br.shots
	defer problems.report(t)
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()

	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	shot := func(name string, width int64) {
		t.Helper()
		do("viewport", chromedp.EmulateViewport(width, 900))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(shots, "admin-settings-"+name+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}

	do("sign in", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/admin/login?next=/admin/services"),
		chromedp.SendKeys(chromedp.ID("ga-email"), ownerEmail), chromedp.SendKeys(chromedp.ID("ga-password"), adminPassword),
		chromedp.Submit(chromedp.ID("ga-password")), chromedp.WaitVisible(chromedp.ID("ga-services")))
	do("mark", chromedp.Evaluate[chromedp.Void](`window.gaMark = "same document"`))
	shot("services-1280", 1280)
	shot("services-390", 390)
	do("viewport", chromedp.EmulateViewport(1280, 900))

	do("add", chromedp.Click(chromedp.CSS(`a[href="/admin/services/new"].ga-btn`)), chromedp.WaitVisible(chromedp.ID("gb-name")))
	if got := eval(`location.pathname + " " + window.gaMark`); got != "/admin/services/new same document" {
		t.Fatalf("after Add service: %q (not an htmx swap?)", got)
	}
	do("refused", chromedp.SendKeys(chromedp.ID("gb-name"), "Barre"),
		chromedp.SetValue(chromedp.ID("gb-default_capacity"), "0"), chromedp.SetValue(chromedp.ID("gb-price"), "abc"),
		chromedp.Click(chromedp.CSS(`.ga-settings-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".gb-alert--error")))
	if got := eval(`document.getElementById("gb-price-error").textContent + " | " + location.pathname + " | " + window.gaMark`); got != settingsMsg(t, "admin_settings_error_price")+" | /admin/services/new | same document" {
		t.Errorf("refused form: %q", got)
	}
	if got := eval(`document.activeElement.tagName`); got != "H1" {
		t.Errorf("focus after the swap on %q, want the heading", got)
	}
	shot("service-refused-1280", 1280)
	shot("service-refused-390", 390)
	do("viewport", chromedp.EmulateViewport(1280, 900))

	do("saved", chromedp.SetValue(chromedp.ID("gb-default_capacity"), "12"), chromedp.SetValue(chromedp.ID("gb-price"), "35,50"),
		chromedp.Click(chromedp.CSS(`.ga-settings-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".gb-alert--success")))
	if got := eval(`location.pathname + location.search + " | " + window.gaMark`); got != "/admin/services?done=created | same document" {
		t.Errorf("after save: %q", got)
	}
	if got := eval(`document.getElementById("ga-services").textContent`); !strings.Contains(got, "Barre") || !strings.Contains(got, "35.50") {
		t.Errorf("list after save: %q", got)
	}
	do("archive", chromedp.Click(chromedp.CSS(`#ga-services tr:last-child form button`)), chromedp.WaitVisible(chromedp.ID("ga-services-archived")))
	shot("services-archived-1280", 1280)

	do("location", chromedp.Navigate(srv.URL+"/admin/location"), chromedp.WaitVisible(chromedp.ID("gb-time_zone")))
	shot("location-390", 390)
	do("users", chromedp.Navigate(srv.URL+"/admin/users/new"), chromedp.WaitVisible(chromedp.ID("gb-email")))
	shot("user-new-390", 390)
	do("team", chromedp.Navigate(srv.URL+"/admin/team"), chromedp.WaitVisible(chromedp.ID("ga-team")))
	shot("team-1280", 1280)
}
