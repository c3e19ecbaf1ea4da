package handlers

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser is a headless Chromium started for one test.
type browser struct {
	// tab is the first tab. It lives as long as the test (bounded too,
	// should a cleanup hang), so a screenshot of a failure can still be
	// taken after the scenario's deadline.
	tab context.Context
	// shots is where screenshots go: $GROUPBOOK_TEST_ARTIFACTS when set
	// (CI keeps them), else a temporary folder.
	shots string
}

// startBrowser starts Chromium with the flags this sandbox needs (no
// sandbox as root, no background networking to hosts it cannot reach) and
// a fresh profile; listen receives the tab's events. Everything stops when
// the test ends.
func startBrowser(t *testing.T, life time.Duration, listen func(ev any)) *browser {
	t.Helper()
	chromium := chromiumPath(t)
	shots := os.Getenv(envArtifacts)
	if shots == "" {
		shots = t.TempDir()
	} else if abs, err := filepath.Abs(shots); err == nil {
		shots = abs
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	browserCtx, cancelBrowser := context.WithTimeout(context.Background(), life)
	t.Cleanup(cancelBrowser)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(browserCtx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)...)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(listen))
	t.Cleanup(cancelTab)
	started := time.Now()
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	t.Logf("Chromium started in %v", time.Since(started).Round(time.Millisecond))
	return &browser{tab: tab, shots: shots}
}

// scenario bounds a browser test's steps and lets problems stop them at
// once with their cause.
func (b *browser) scenario(t *testing.T, d time.Duration, problems *browserProblems) context.Context {
	ctx, cancel := context.WithTimeout(b.tab, d)
	t.Cleanup(cancel)
	ctx, stop := context.WithCancelCause(ctx)
	t.Cleanup(func() { stop(nil) })
	problems.mu.Lock()
	problems.stop = stop
	problems.mu.Unlock()
	return ctx
}
