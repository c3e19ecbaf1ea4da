package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/locales"
)

// A desktop's viewport for the admin pages (CSS pixels).
const adminViewportWidth, adminViewportHeight = 1280, 900

// TestAdminInBrowser runs a staff member's day in headless Chromium: the
// owner signs in, creates a recurring series (Yoga with Sofie, Tuesdays and
// Thursdays at 18:30, 3 to 26 March) from the schedule, sees it in the week
// view, opens the first Tuesday by clicking it, adds a client who registers
// another visitor for 2 seats, moves that booking to the Thursday on the
// move page, and goes back to the schedule, where the two events' cells now
// read 0/10 and 2/10. Then passes: the owner creates a pass type in the
// Passes area, sells it to the client from the booking's row (the client
// page's sale form, which returns to the window) and pays the row with
// it, the balance dropping by the booking's 2 seats. Every step is checked on the page and photographed;
// the database is checked at the end; a console error, an uncaught
// exception or a CSP violation fails the test (only the missing favicon is
// ignored, by browserProblems).
//
// It runs on SQLite only: one database is enough for what it tests, the
// browser side (htmx, admin.js, the CSP, the templates, the forms as a
// browser sends them); the HTTP tests run every admin action on both
// databases.
//
// The fixture's store clock is fixed at booktest.Now (Monday 2 March 2026,
// 09:00 UTC), so the dates below are all in the weeks after it, before the
// change to summer time in Budapest (29 March).
func TestAdminInBrowser(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	e := newAdminEnv(t, db)
	zone, err := time.LoadLocation(e.f.Location.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := bundle.Localizer("en")

	srv := httptest.NewServer(e.router)
	defer srv.Close()

	problems := &browserProblems{}
	br := startBrowser(t, 3*time.Minute, problems.listener("admin"))
	tab, shots := br.tab, br.shots
	ctx := br.scenario(t, 90*time.Second, problems)

	a := &adminBrowser{t: t, tab: tab, ctx: ctx, dir: shots, start: time.Now(), last: time.Now(), problems: problems}
	defer a.finish()

	const (
		from, until     = "2026-03-03", "2026-03-26"
		tuesday         = "2026-03-03"
		thursday        = "2026-03-05"
		startTime       = "18:30"
		phoneTyped      = "+36 30 555 1234"
		phoneE164       = "+36305551234"
		first, last     = "Eva", "Tóth"
		visitor         = "Lili Tóth"
		defaultCapacity = 10 // the fixture's Yoga
	)
	sofie := idString(e.f.Sofie.ID)

	// 1. Sign in as the owner.
	a.do("open the login page", chromedp.EmulateViewport(adminViewportWidth, adminViewportHeight),
		chromedp.Navigate(srv.URL+"/admin/login"), chromedp.WaitVisible(chromedp.ID("ga-email")))
	a.step("login")
	a.do("sign in", chromedp.SendKeys(chromedp.ID("ga-email"), ownerEmail), chromedp.SendKeys(chromedp.ID("ga-password"), adminPassword),
		chromedp.Click(chromedp.CSS(`.ga-login button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.ga-header .ga-user`)))
	if got := a.text(".ga-header .ga-user"); got != ownerEmail {
		t.Errorf("signed in as %q, want %s", got, ownerEmail)
	}

	// 2. The schedule (today: Monday 2 March), then its "New event" form.
	a.do("open the schedule", chromedp.Click(chromedp.CSS(`.ga-nav a[href="/admin/schedule"]`)), chromedp.WaitVisible(chromedp.CSS(".ga-sched-day")))
	if n := adminEval[int](a, `document.querySelectorAll('article.ga-sched-ev').length`); n != 0 {
		t.Errorf("the fixture's schedule shows %d events today, want none", n)
	}
	a.step("schedule-today")
	a.mark()
	a.do("open the new event form", chromedp.Click(chromedp.CSS(`.ga-sched-head a.ga-btn--primary`)), chromedp.WaitVisible(chromedp.ID("gb-service_id")))
	a.sameDocument("new event form", "/admin/schedule/new")

	// 3. A weekly series: the form opens with today's weekday (Monday)
	// ticked; the test leaves exactly Tuesday and Thursday ticked.
	// Duration and capacity stay empty: the service's defaults.
	a.do("choose weekly", chromedp.Click(chromedp.CSS(`input[name=repeat][value=weekly]`)), chromedp.WaitVisible(chromedp.ID("gb-from")))
	if adminEval[bool](a, `!!document.getElementById('gb-date').offsetParent`) {
		t.Error("the one-off date field is still shown for a weekly series")
	}
	a.do("fill in the series",
		chromedp.SetValue(chromedp.ID("gb-service_id"), idString(e.f.Yoga.ID)),
		chromedp.SetValue(chromedp.ID("gb-team_member_id"), sofie),
		chromedp.SetValue(chromedp.ID("gb-start_time"), startTime),
		chromedp.SetValue(chromedp.ID("gb-from"), from),
		chromedp.SetValue(chromedp.ID("gb-until"), until))
	want := []string{idString(int64(time.Tuesday)), idString(int64(time.Thursday))}
	for _, d := range adminEval[[]string](a, `Array.from(document.querySelectorAll('input[name=weekdays]'), i => i.value)`) {
		if (adminEval[bool](a, `document.querySelector('input[name=weekdays][value="`+d+`"]').checked`)) != slices.Contains(want, d) {
			a.do("tick weekday "+d, chromedp.Click(chromedp.CSS(`input[name=weekdays][value="`+d+`"]`)))
		}
	}
	if got := adminEval[[]string](a, `Array.from(document.querySelectorAll('input[name=weekdays]:checked'), i => i.value)`); !slices.Equal(got, want) {
		t.Fatalf("weekdays ticked %v, want %v", got, want)
	}
	a.step("series-form")
	a.do("create the series", chromedp.Click(chromedp.CSS(`.ga-sched-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("table.ga-sched-week")))
	a.sameDocument("series created", "/admin/schedule")
	if got, want := a.text(".gb-alert--success"), en.N("admin_schedule_created", 8); got != want {
		t.Errorf("after creating the series: alert %q, want %q", got, want)
	}
	if got := adminEval[string](a, `location.search`); !strings.Contains(got, "view=week") || !strings.Contains(got, "date="+from) {
		t.Errorf("after creating the series: at %q, want the week view of %s", got, from)
	}

	// The series as stored: Tuesdays and Thursdays at 18:30 Budapest time,
	// eight events of one series with the service's capacity.
	bg := context.Background()
	var stored []booking.Event
	if err := db.NewSelect().Model(&stored).Where("location_id = ?", e.f.Location.ID).Where("deleted_at IS NULL").
		Order("starts_at").Scan(bg); err != nil {
		t.Fatal(err)
	}
	var starts []string
	for _, ev := range stored {
		starts = append(starts, ev.StartsAt.In(zone).Format("Mon 2006-01-02 15:04"))
		if ev.ServiceID != e.f.Yoga.ID || ev.TeamMemberID != e.f.Sofie.ID || ev.Capacity != defaultCapacity ||
			ev.DurationMin != e.f.Yoga.DurationMin || ev.SeriesID == 0 || ev.SeriesID != stored[0].SeriesID {
			t.Errorf("event %d: service %d, member %d, capacity %d, %d min, series %d", ev.ID, ev.ServiceID, ev.TeamMemberID, ev.Capacity, ev.DurationMin, ev.SeriesID)
		}
	}
	wantStarts := []string{"Tue 2026-03-03 18:30", "Thu 2026-03-05 18:30", "Tue 2026-03-10 18:30", "Thu 2026-03-12 18:30",
		"Tue 2026-03-17 18:30", "Thu 2026-03-19 18:30", "Tue 2026-03-24 18:30", "Thu 2026-03-26 18:30"}
	if !slices.Equal(starts, wantStarts) {
		t.Fatalf("events stored:\n%s\nwant:\n%s", strings.Join(starts, "\n"), strings.Join(wantStarts, "\n"))
	}
	tue, thu := stored[0], stored[1]

	// The week of 2 March shows the two of them in Sofie's row, on their
	// days, with their start time (the week view leaves the end out) and
	// 0 of 10 seats taken.
	cellEvents := func(date string) []string {
		return adminEval[[]string](a, `Array.from(document.querySelectorAll('tr[data-member="`+sofie+`"] td[data-date="`+date+`"] article.ga-sched-ev'), a => a.dataset.event)`)
	}
	if got := cellEvents(tuesday); !slices.Equal(got, []string{idString(tue.ID)}) {
		t.Errorf("Sofie's Tuesday cell: events %v, want [%d]", got, tue.ID)
	}
	if got := cellEvents(thursday); !slices.Equal(got, []string{idString(thu.ID)}) {
		t.Errorf("Sofie's Thursday cell: events %v, want [%d]", got, thu.ID)
	}
	if n := adminEval[int](a, `document.querySelectorAll('table.ga-sched-week article.ga-sched-ev').length`); n != 2 {
		t.Errorf("the week view shows %d events, want 2", n)
	}
	for _, ev := range []booking.Event{tue, thu} {
		if got := a.text(fmt.Sprintf(`article.ga-sched-ev[data-event="%d"] .ga-sched-ev__time`, ev.ID)); got != startTime {
			t.Errorf("event %d: time %q on the schedule", ev.ID, got)
		}
		a.checkSeats(en, "week view after creating the series", ev.ID, 0, defaultCapacity)
	}
	a.step("week-created")

	// 4. The Tuesday's window, opened by clicking it on the schedule.
	a.do("open the Tuesday", chromedp.Click(chromedp.CSS(fmt.Sprintf(`article.ga-sched-ev[data-event="%d"] a.ga-sched-ev__main`, tue.ID))),
		chromedp.WaitVisible(chromedp.ID("gae-add")))
	if got := adminEval[string](a, `location.pathname`); got != eventURL(tue.ID) {
		t.Errorf("clicking the Tuesday opened %q, want %s", got, eventURL(tue.ID))
	}
	if got := a.text(".gae-when"); !strings.Contains(got, "Tuesday, 3 March") || !strings.Contains(got, "18:30–19:30") || !strings.Contains(got, "Sofie") {
		t.Errorf("event window: %q", got)
	}
	if got := a.text("#gae-clients .gae-empty"); got != en.T("admin_event_no_clients") {
		t.Errorf("event window's clients: %q", got)
	}
	a.step("event-window")

	// 5. Add a client: the phone first (its lookup says the client is
	// new), then the names, "registering another visitor" with the
	// visitor's name, and 2 seats.
	a.do("type the phone", chromedp.SendKeys(chromedp.ID("gb-phone"), phoneTyped), chromedp.WaitVisible(chromedp.CSS("#gae-lookup .gae-match--new")))
	a.mark()
	a.do("fill in the client",
		chromedp.SendKeys(chromedp.ID("gb-first_name"), first),
		chromedp.SendKeys(chromedp.ID("gb-last_name"), last),
		chromedp.Click(chromedp.CSS(`#gae-add input[name=another]`)),
		chromedp.WaitVisible(chromedp.ID("gb-visitor_name")),
		chromedp.SendKeys(chromedp.ID("gb-visitor_name"), visitor),
		chromedp.SetValue(chromedp.ID("gb-seats"), "2"))
	a.step("add-client-form")
	a.do("add the client", chromedp.Click(chromedp.CSS(`#gae-add button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#gae-clients tr.gae-row")))
	a.sameDocument("client added", eventURL(tue.ID))
	if got := a.text("#gae-body .gb-alert--success"); got != en.T("admin_event_done_added") {
		t.Errorf("after adding the client: alert %q", got)
	}
	rows := adminEval[[]string](a, `Array.from(document.querySelectorAll('#gae-clients tr.gae-row'), r => r.id)`)
	if len(rows) != 1 || !strings.HasPrefix(rows[0], "booking-") {
		t.Fatalf("clients listed after adding one: %v", rows)
	}
	row := "#" + rows[0]
	if got := a.text(row + " .gae-name"); got != first+" "+last {
		t.Errorf("client's name %q", got)
	}
	if got := a.text(row + " .gae-visitor"); got != visitor {
		t.Errorf("visitor %q, want %q", got, visitor)
	}
	if got := adminEval[string](a, `document.querySelector('`+row+` .gae-visitor svg').getAttribute('aria-label')`); got != en.T("admin_event_visitor") {
		t.Errorf("the visitor icon's label %q, want %q", got, en.T("admin_event_visitor"))
	}
	if got := a.text(row + " .gae-seats-cell [aria-hidden=true]"); got != "2" {
		t.Errorf("seats shown %q, want 2", got)
	}
	if got, want := a.text("#gae-meter-text strong"), en.T("admin_event_seats_taken", map[string]any{"Taken": 2, "Capacity": defaultCapacity}); got != want {
		t.Errorf("event window's seats %q, want %q", got, want)
	}
	a.step("client-added")

	// 6. Move the booking to the Thursday.
	a.do("open the move page", chromedp.Click(chromedp.CSS(row+` a[href$="/move"]`)), chromedp.WaitVisible(chromedp.CSS("form.gae-move")))
	offered := adminEval[[]string](a, `Array.from(document.querySelectorAll('input[name=to]'), i => i.value)`)
	if slices.Contains(offered, idString(tue.ID)) || !slices.Contains(offered, idString(thu.ID)) || len(offered) != 7 {
		t.Errorf("move targets %v: want the other 7 events of the series, the Thursday %d among them", offered, thu.ID)
	}
	a.do("choose the Thursday", chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=to][value="%d"]`, thu.ID))))
	a.step("move")
	a.do("move", chromedp.Click(chromedp.CSS(`form.gae-move button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".gae-moved")))
	if got := adminEval[string](a, `location.pathname`); got != eventURL(tue.ID) {
		t.Errorf("after the move: at %q, want the Tuesday's window", got)
	}
	if got, want := a.text(".gae-moved"), en.T("admin_event_done_moved", map[string]any{"Date": "Thu 5 Mar", "Time": startTime}); !strings.HasPrefix(got, want) {
		t.Errorf("after the move: %q, want %q", got, want)
	}
	if got := adminEval[string](a, `document.querySelector('.gae-moved a').getAttribute('href')`); got != eventURL(thu.ID) {
		t.Errorf("the moved notice links to %q, want %s", got, eventURL(thu.ID))
	}
	if n := adminEval[int](a, `document.querySelectorAll('#gae-clients tr.gae-row').length`); n != 0 {
		t.Errorf("the Tuesday still lists %d clients after the move", n)
	}
	a.step("moved")

	// 7. Back to the schedule: the Tuesday's day, then the week.
	a.do("back to the schedule", chromedp.Click(chromedp.CSS(".gae-back a")), chromedp.WaitVisible(chromedp.CSS(".ga-sched-day")))
	if got := a.text(fmt.Sprintf(`article.ga-sched-ev[data-event="%d"] .ga-sched-ev__time`, tue.ID)); got != "18:30–19:30" {
		t.Errorf("the Tuesday's day view: time %q", got)
	}
	a.checkSeats(en, "day view after the move", tue.ID, 0, defaultCapacity)
	a.step("schedule-day")
	a.mark()
	a.do("open the week", chromedp.Click(chromedp.CSS(`.ga-sched-views a[href*="view=week"]`)), chromedp.WaitVisible(chromedp.CSS("table.ga-sched-week")))
	a.sameDocument("week view", "/admin/schedule")
	a.checkSeats(en, "week view after the move", tue.ID, 0, defaultCapacity)
	a.checkSeats(en, "week view after the move", thu.ID, 2, defaultCapacity)
	a.step("schedule-week")

	// The database: the one booking is now the Thursday's, with its
	// visitor and 2 seats; the Tuesday holds nothing.
	cl, err := e.f.Store.ClientByPhone(bg, e.f.Location.ID, phoneE164)
	if err != nil {
		t.Fatalf("the client: %v", err)
	}
	if cl.FirstName != first || cl.LastName != last {
		t.Errorf("client %q %q", cl.FirstName, cl.LastName)
	}
	if bs, err := e.f.Store.EventBookings(bg, tue.ID); err != nil || len(bs) != 0 {
		t.Errorf("the Tuesday's bookings after the move: %+v, %v", bs, err)
	}
	bs, err := e.f.Store.EventBookings(bg, thu.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 {
		t.Fatalf("the Thursday's bookings: %+v, want one", bs)
	}
	b := bs[0]
	if "booking-"+idString(b.ID) != rows[0] || b.ClientID != cl.ID || b.VisitorName != visitor || b.Seats != 2 ||
		!b.Active() || b.Source != booking.SourceAdmin {
		t.Errorf("the moved booking: %+v (listed as %s, client %d)", b, rows[0], cl.ID)
	}
	for ev, want := range map[int64]int{tue.ID: 0, thu.ID: 2} {
		got, err := e.f.Store.Event(bg, ev)
		if err != nil {
			t.Fatal(err)
		}
		if got.SeatsTaken != want {
			t.Errorf("event %d: %d seats taken, want %d", ev, got.SeatsTaken, want)
		}
	}
	if bad := booktest.Invariant(t, db); len(bad) > 0 {
		t.Error(bad)
	}

	// 8. A pass type from the Passes area: 10 Yoga classes for 30 000 HUF.
	a.do("open the passes", chromedp.Click(chromedp.CSS(`.ga-nav a[href="/admin/passes"]`)), chromedp.WaitVisible(chromedp.CSS(".ga-settings-empty")))
	a.do("open the new pass type form", chromedp.Click(chromedp.CSS(`.ga-settings-head a.ga-btn--primary`)), chromedp.WaitVisible(chromedp.ID("gb-name")))
	a.do("fill in the pass type",
		chromedp.SendKeys(chromedp.ID("gb-name"), "10 Yoga classes"),
		chromedp.Click(chromedp.CSS(`input[name=service_ids][value="`+idString(e.f.Yoga.ID)+`"]`)),
		chromedp.SetValue(chromedp.ID("gb-price"), "30000"))
	a.step("pass-type-form")
	a.do("create the pass type", chromedp.Click(chromedp.CSS(`.ga-settings-form button[type=submit]`)), chromedp.WaitVisible(chromedp.ID("ga-pass-types")))
	if got := a.text("#ga-pass-types tbody tr td"); got != "10 Yoga classes" {
		t.Errorf("pass types listed: %q", got)
	}
	a.step("pass-types")

	// 9. From the Thursday's row, sell Eva the pass (cash, the price).
	a.do("open the Thursday", chromedp.Navigate(srv.URL+eventURL(thu.ID)), chromedp.WaitVisible(chromedp.CSS(row+" .gae-pay__state")))
	if got := a.text(row + " .gae-pay__state"); got != en.T("admin_passes_pay_unpaid") {
		t.Errorf("the row's payment before the sale: %q", got)
	}
	a.step("row-unpaid")
	a.do("sell a pass from the row", chromedp.Click(chromedp.CSS(row+" .gae-pay__sell")), chromedp.WaitVisible(chromedp.ID("gb-pass_type_id")))
	if got := adminEval[string](a, `location.pathname`); got != "/admin/clients/"+idString(cl.ID) {
		t.Errorf("the sell link opened %q", got)
	}
	types, err := e.f.Store.PassTypes(bg, e.f.Location.ID)
	if err != nil || len(types) != 1 {
		t.Fatalf("pass types %+v, %v", types, err)
	}
	a.do("choose the pass type", chromedp.SetValue(chromedp.ID("gb-pass_type_id"), idString(types[0].ID)))
	a.step("sell-form")
	a.do("sell", chromedp.Click(chromedp.CSS(`#ga-sell button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(row+" .gae-pay__pass button")))
	// The sale returns to the Thursday's window, where the row can now be
	// paid with the pass.
	if got := adminEval[string](a, `location.pathname`); got != eventURL(thu.ID) {
		t.Errorf("after the sale: at %q, want the Thursday's window", got)
	}
	if got := a.text(".gb-alert--success"); got != en.T("admin_passes_done_sold") {
		t.Errorf("after the sale: alert %q", got)
	}
	if got, want := a.text(row+" .gae-pay__pass option"), "10 Yoga classes · "+en.N("admin_passes_left", 10); got != want {
		t.Errorf("the row offers %q, want %q", got, want)
	}
	a.step("pass-sold")

	// 10. Pay the 2-seat row with the pass.
	a.mark()
	a.do("pay with the pass", chromedp.Click(chromedp.CSS(row+" .gae-pay__pass button")),
		chromedp.WaitVisible(chromedp.CSS(row+" .gae-pay__state--pass")))
	a.sameDocument("paid with the pass", eventURL(thu.ID))
	if got, want := a.text(row+" .gae-pay__state"), en.T("admin_passes_pay_pass", map[string]any{"Name": "10 Yoga classes"}); got != want {
		t.Errorf("the row's payment %q, want %q", got, want)
	}
	if got, want := a.text("#gae-pay-totals"), en.T("admin_passes_totals", map[string]any{"Paid": 1, "Unpaid": 0}); got != want {
		t.Errorf("totals %q, want %q", got, want)
	}
	a.step("row-paid")
	a.do("open the client's page", chromedp.Navigate(srv.URL+"/admin/clients/"+idString(cl.ID)), chromedp.WaitVisible(chromedp.CSS(".ga-pass__balance")))
	if got := a.text(".ga-pass__balance"); got != en.N("admin_passes_left", 8) {
		t.Errorf("the client's page after paying: balance %q", got)
	}
	if got := adminEval[string](a, `document.querySelector('.ga-pass__entry--visit a').getAttribute('href')`); got != eventURL(thu.ID) {
		t.Errorf("the pass's visit links to %q, want the Thursday", got)
	}
	a.step("client-pass-history")
	passes, err := e.f.Store.ClientPasses(bg, e.f.Location.ID, cl.ID)
	if err != nil || len(passes) != 1 {
		t.Fatalf("Eva's passes %+v, %v", passes, err)
	}
	if passes[0].Balance != 8 {
		t.Errorf("balance %d after paying 2 seats, want 8", passes[0].Balance)
	}
	if paid, err := e.f.Store.Booking(bg, b.ID); err != nil || paid.Payment != booking.PaymentPass || paid.PassID != passes[0].ID {
		t.Errorf("the booking after paying: %+v, %v", paid, err)
	}
}

// adminBrowser is the admin scenario in one tab: the deadline, the
// screenshots and the timings.
type adminBrowser struct {
	t        *testing.T
	tab      context.Context // the tab, without the scenario's deadline
	ctx      context.Context // the tab, under the deadline
	dir      string
	start    time.Time
	last     time.Time
	shot     int
	problems *browserProblems
}

func (a *adminBrowser) since() time.Duration { return time.Since(a.start).Round(time.Millisecond) }

func (a *adminBrowser) fail(what string, err error) {
	a.t.Helper()
	if cause := context.Cause(a.ctx); cause != nil && !errors.Is(err, cause) {
		err = fmt.Errorf("%w (%w)", err, cause)
	}
	a.t.Fatalf("%s (after %v): %v", what, a.since(), err)
}

// do runs actions in the tab.
func (a *adminBrowser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	a.t.Helper()
	if err := chromedp.Do(a.ctx, actions...); err != nil {
		a.fail(what, err)
	}
}

// adminEval evaluates js in the tab.
func adminEval[T any](a *adminBrowser, js string) T {
	a.t.Helper()
	v, err := chromedp.Run(a.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		a.fail(js, err)
	}
	return v
}

// text is the text a person reads (innerText, whitespace normalised) of
// the first element sel matches, or "<no sel>".
func (a *adminBrowser) text(sel string) string {
	a.t.Helper()
	q, _ := json.Marshal(sel)
	return adminEval[string](a, fmt.Sprintf(`(() => {
	const el = document.querySelector(%s);
	return el ? el.innerText.replace(/\s+/g, ' ').trim() : '<no ' + %s + '>';
})()`, q, q))
}

// mark marks the document, so that sameDocument can tell an htmx swap from
// a page load.
func (a *adminBrowser) mark() {
	a.t.Helper()
	a.do("mark the document", chromedp.Evaluate[chromedp.Void](`window.gaTestMark = 1`))
}

// sameDocument checks that the last step was swapped in by htmx (the mark
// survived) and that the address bar shows path.
func (a *adminBrowser) sameDocument(step, path string) {
	a.t.Helper()
	type state struct {
		Path string `json:"path"`
		Mark bool   `json:"mark"`
	}
	s := adminEval[state](a, `({path: location.pathname, mark: window.gaTestMark === 1})`)
	if !s.Mark {
		a.t.Errorf("%s: the page was loaded anew; htmx should have swapped it in", step)
	}
	if s.Path != path {
		a.t.Errorf("%s: the address bar shows %q, want %s", step, s.Path, path)
	}
}

// checkSeats reads an event's seats on the schedule as a person sees them
// ("2/10") and as a screen reader hears them (the label).
func (a *adminBrowser) checkSeats(en *locales.Localizer, where string, id int64, taken, capacity int) {
	a.t.Helper()
	type seats struct {
		Shown string `json:"shown"`
		Label string `json:"label"`
		Found bool   `json:"found"`
	}
	s := adminEval[seats](a, fmt.Sprintf(`(() => {
	const s = document.querySelector('article.ga-sched-ev[data-event="%d"] .ga-sched-ev__seats');
	if (!s) return {found: false};
	return {found: true, shown: s.querySelector('[aria-hidden="true"]').textContent.trim(), label: s.getAttribute('title')};
})()`, id))
	if !s.Found {
		a.t.Errorf("%s: event %d is not on the schedule", where, id)
		return
	}
	wantShown := fmt.Sprintf("%d/%d", taken, capacity)
	wantLabel := en.N("admin_schedule_seats_label", capacity, map[string]any{"Taken": taken})
	if s.Shown != wantShown || s.Label != wantLabel {
		a.t.Errorf("%s: event %d shows %q (%q), want %q (%q)", where, id, s.Shown, s.Label, wantShown, wantLabel)
	}
}

// step logs the time the step took and saves its screenshot.
func (a *adminBrowser) step(name string) {
	a.t.Helper()
	a.shot++
	name = fmt.Sprintf("%02d-%s", a.shot, name)
	took := time.Since(a.last).Round(time.Millisecond)
	path, err := a.screenshot(a.ctx, name)
	if err != nil {
		a.fail("screenshot "+name, err)
	}
	a.t.Logf("%v (+%v): %s: %s", a.since(), took, name, path)
	a.last = time.Now()
}

// screenshot saves a full-page PNG of the tab. As in the widget's test,
// the viewport is made as tall as the page for the shot, so that all of
// it has been laid out and painted, then put back with the scroll position.
func (a *adminBrowser) screenshot(ctx context.Context, name string) (string, error) {
	type size struct {
		Height  int64   `json:"height"`
		ScrollY float64 `json:"scrollY"`
	}
	s, err := chromedp.Run(ctx, chromedp.Evaluate[size](`({height: Math.ceil(document.documentElement.scrollHeight), scrollY: window.scrollY})`))
	if err != nil {
		return "", err
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(adminViewportWidth, max(s.Height, adminViewportHeight)),
		chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))`, chromedp.EvalAwaitPromise)); err != nil {
		return "", err
	}
	png, shotErr := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	err = chromedp.Do(ctx, chromedp.EmulateViewport(adminViewportWidth, adminViewportHeight),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`window.scrollTo(0, %f)`, s.ScrollY)))
	if shotErr != nil {
		return "", shotErr
	}
	if err != nil {
		return "", err
	}
	path := filepath.Join(a.dir, "admin-browser-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// finish saves a screenshot of a failure and reports the browser's
// problems.
func (a *adminBrowser) finish() {
	a.t.Helper()
	if a.t.Failed() {
		ctx, cancel := context.WithTimeout(a.tab, 10*time.Second)
		defer cancel()
		if path, err := a.screenshot(ctx, "failure"); err != nil {
			a.t.Logf("screenshot of the failure: %v", err)
		} else {
			a.t.Logf("screenshot of the failure: %s", path)
		}
	}
	a.problems.report(a.t)
	a.t.Logf("scenario took %v", a.since())
}
