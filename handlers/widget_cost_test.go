package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestWidgetCostDoesNotGrowWithEvents is issue 9's point 4: no widget
// request may cost O(events). Every widget page runs through the real router
// on a location with 200 upcoming events and again after it has grown to
// 20,000; each SQL statement the page runs is recorded by a bun hook and
// examined. The page must run the same number of statements at both sizes;
// on PostgreSQL the rows its statements examine (EXPLAIN ANALYZE) must not
// grow with the size; on SQLite every statement on events must seek an
// index on all its equality filters, never scan the table or sort in a temp
// b-tree, both without statistics and after Store.Optimize has gathered
// them. An old ?offset= link must not reach the database at all.
func TestWidgetCostDoesNotGrowWithEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 20,000 events")
	}
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		rec := booktest.LogStatements(db)
		e := newWidgetEnv(t, db)
		f := e.f
		pg := db.Dialect().Name().String() == "pg"

		// A third class and teacher that most of the growth goes to: a
		// filter for Yoga or Sofie then matches a small share of the events,
		// the case where reading the location's events in order and
		// filtering them costs O(events).
		spin, err := f.Store.CreateService(context.Background(), f.Location.ID, booking.ServiceInput{
			Name: "Spin", DurationMin: 45, DefaultCapacity: 12, Currency: "HUF", OnlineBooking: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		kata, err := f.Store.CreateTeamMember(context.Background(), f.Location.ID, booking.TeamMemberInput{Name: "Kata", ServiceIDs: []int64{spin.ID}})
		if err != nil {
			t.Fatal(err)
		}

		seedEvents(t, db, f, 200, 0, 0, 0)
		small := measureWidgetPages(t, e, rec, 200)

		// Grow the same location 100-fold, the new events between and after
		// the old ones, so every page's rows change but not its shape.
		seedEvents(t, db, f, 19800, 15*time.Minute, spin.ID, kata.ID)
		big := measureWidgetPages(t, e, rec, 20000)
		var analysed map[string]pageCost
		if !pg {
			if err := f.Store.Optimize(context.Background()); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.NewRaw("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'events'").Scan(context.Background(), &n); err != nil || n == 0 {
				t.Errorf("Optimize left no statistics on events (%d rows, %v)", n, err)
			}
			analysed = measureWidgetPages(t, e, rec, 20000)
		}

		for name, s := range small {
			b := big[name]
			if b.statements != s.statements {
				t.Errorf("%s: %d statements with 200 events, %d with 20,000", name, s.statements, b.statements)
			}
			if pg && b.rows > 2*s.rows+50 {
				t.Errorf("%s: examines %d rows with 200 events, %d with 20,000:\n%s", name, s.rows, b.rows, b.worst)
			}
			if a, ok := analysed[name]; ok && a.statements != s.statements {
				t.Errorf("%s: %d statements after Optimize, %d before", name, a.statements, s.statements)
			}
			t.Logf("%-34s statements %d, rows examined %d → %d", name, s.statements, s.rows, b.rows)
		}
	})
}

// pageCost is what one page cost the database.
type pageCost struct {
	statements int
	rows       int64  // PostgreSQL: rows examined by all its statements
	worst      string // the statement that examined the most rows, for the message
}

// measureWidgetPages requests every widget page on the location with n
// events and returns each one's cost. On SQLite it fails the test for any
// plan that reads events other than by an index seek on all its filters.
func measureWidgetPages(t *testing.T, e *widgetEnv, rec *booktest.StatementLog, n int) map[string]pageCost {
	t.Helper()
	f := e.f
	yoga, sofie := itoa64(f.Yoga.ID), itoa64(f.Sofie.ID)
	pages := map[string]string{
		"list":                 "/w/sunrise",
		"list service":         "/w/sunrise?service=" + yoga,
		"list member":          "/w/sunrise?member=" + sofie,
		"list service+member":  "/w/sunrise?service=" + yoga + "&member=" + sofie,
		"list lang":            "/w/sunrise?lang=hu",
		"old offset link deep": fmt.Sprintf("/w/sunrise?offset=%d", n-10),
	}
	// "Show more" from each list, as its own link says.
	for _, name := range []string{"list", "list service", "list member", "list service+member"} {
		first := e.get(pages[name])
		href := first.doc.Find("a.gb-more").AttrOr("href", "")
		if href == "" {
			t.Fatalf("%s: no Show more with %d events", name, n)
		}
		pages[name+" show more"] = href
	}
	// A page key deep in the list: the 150th event.
	var deep booking.Event
	if err := e.db.NewSelect().Model(&deep).Where("location_id = ?", f.Location.ID).
		Order("starts_at", "id").Offset(149).Limit(1).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	pages["list show more deep"] = "/w/sunrise?after=" + formatAfter(deep.Key())
	// The event page with Book another: the first Yoga class with Sofie.
	var ev booking.Event
	if err := e.db.NewSelect().Model(&ev).Where("service_id = ? AND team_member_id = ?", f.Yoga.ID, f.Sofie.ID).
		Order("starts_at", "id").Limit(1).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	evPath := "/w/sunrise/e/" + itoa64(ev.ID)
	pages["event"] = evPath
	pages["event all dates"] = evPath + "?all=1"
	pages["event weekday"] = evPath + "?wd=2"
	pages["event weekday all"] = evPath + "?wd=2&all=1"

	out := map[string]pageCost{}
	for name, path := range pages {
		headers := []string{}
		if strings.Contains(name, "show more") {
			headers = []string{"HX-Request", "true"}
		}
		// Measured cold, as right after a write: the page cache and the
		// link and catalog cache would otherwise answer without the
		// database, and that is not what this test is about.
		e.f.Store.Changed()
		var p *page
		stmts := rec.Record(func() { p = e.get(path, headers...) })
		switch {
		case strings.HasPrefix(name, "old offset"):
			if p.code != http.StatusFound || len(stmts) != 0 {
				t.Errorf("%s: %d with %d statements, want a redirect without the database", name, p.code, len(stmts))
			}
		case p.code != http.StatusOK:
			t.Fatalf("%s (%s): %d\n%s", name, path, p.code, p.body)
		case strings.HasPrefix(name, "list") && p.doc.Find(".gb-event").Length() == 0:
			t.Errorf("%s: no events listed", name)
		case strings.HasPrefix(name, "event") && p.doc.Find(`input[name=also]`).Length() == 0:
			t.Errorf("%s: no Book another dates", name)
		}
		c := pageCost{statements: len(stmts)}
		var worst int64
		for _, s := range stmts {
			if offsetClause.MatchString(s.Query) {
				t.Errorf("%s: an OFFSET reads and drops every row before the page:\n%s", name, s.Query)
			}
			if e.db.Dialect().Name().String() == "pg" {
				var shape []string
				r := pgRowsExamined(t, e.db, s, &shape)
				// A small table is rightly read whole; a large one never.
				if n >= 20000 && len(shape) > 0 {
					t.Errorf("%s with %d events: plan %v:\n%s", name, n, shape, s.Query)
				}
				c.rows += r
				if r > worst {
					worst, c.worst = r, s.Query
				}
				continue
			}
			checkSQLitePlan(t, e.db, name, s)
		}
		out[name] = c
	}
	return out
}

// seedEvents inserts n upcoming events in one location in a few
// statements, every 30 minutes from three hours after the fixture's now,
// shifted by shift: Yoga with Sofie, then Pilates with Márton, then (when
// given) eight of the other service with the other member. PostgreSQL then
// analyses the table, as autovacuum would.
func seedEvents(t *testing.T, db *bun.DB, f *booktest.Fixture, n int, shift time.Duration, otherSvc, otherMember int64) {
	t.Helper()
	ctx := context.Background()
	start := f.Now.Add(3*time.Hour + shift)
	for done := 0; done < n; {
		batch := make([]booking.Event, 0, min(2000, n-done))
		for len(batch) < cap(batch) {
			i := done + len(batch)
			svc, member := f.Yoga.ID, f.Sofie.ID
			switch {
			case otherSvc != 0 && i%10 >= 2:
				svc, member = otherSvc, otherMember
			case i%2 == 1:
				svc, member = f.Pilates.ID, f.Marton.ID
			}
			batch = append(batch, booking.Event{
				LocationID: f.Location.ID, ServiceID: svc, TeamMemberID: member,
				StartsAt: start.Add(time.Duration(i) * 30 * time.Minute), DurationMin: 60, Capacity: 10,
				CreatedAt: f.Now,
			})
		}
		if _, err := db.NewInsert().Model(&batch).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		done += len(batch)
	}
	if db.Dialect().Name().String() == "pg" {
		if _, err := db.ExecContext(ctx, "ANALYZE events"); err != nil {
			t.Fatal(err)
		}
	}
}

// pgRowsExamined runs the statement under EXPLAIN ANALYZE and adds up the
// rows every plan node produced or filtered away: the work that grows when
// a query reads more of a table than it returns.
// Shape collects what the plan does that costs O(events) on a large
// table: a sequential scan of events, or a sort.
func pgRowsExamined(t *testing.T, db *bun.DB, s booktest.Statement, shape *[]string) int64 {
	t.Helper()
	if !strings.HasPrefix(strings.TrimSpace(strings.ToUpper(s.Query)), "SELECT") {
		return 0 // EXPLAIN ANALYZE would run a write; the widget's reads are what is measured
	}
	var raw string
	if err := db.QueryRowContext(context.Background(), "EXPLAIN (ANALYZE, FORMAT JSON) "+s.Query, s.Args...).Scan(&raw); err != nil {
		t.Fatalf("explain %s: %v", s.Query, err)
	}
	var plans []struct {
		Plan map[string]any `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(raw), &plans); err != nil {
		t.Fatal(err)
	}
	var sum float64
	// walk adds up a node's rows and tells whether it reads events.
	var walk func(n map[string]any) bool
	walk = func(n map[string]any) bool {
		typ, _ := n["Node Type"].(string)
		readsEvents := n["Relation Name"] == "events"
		if typ == "Seq Scan" && readsEvents {
			*shape = append(*shape, "scans events")
		}
		loops, _ := n["Actual Loops"].(float64)
		rows, _ := n["Actual Rows"].(float64)
		sum += rows * loops
		for _, k := range []string{"Rows Removed by Filter", "Rows Removed by Index Recheck", "Rows Removed by Join Filter"} {
			v, _ := n[k].(float64)
			sum += v * max(loops, 1)
		}
		kids, _ := n["Plans"].([]any)
		for _, k := range kids {
			if m, ok := k.(map[string]any); ok && walk(m) {
				readsEvents = true
			}
		}
		// Sorting a few services is nothing; sorting events means reading
		// all that match before the first is returned.
		if typ == "Sort" && readsEvents { // an Incremental Sort only orders rows of one start time
			*shape = append(*shape, "sorts events")
		}
		return readsEvents
	}
	for _, p := range plans {
		walk(p.Plan)
	}
	return int64(sum)
}

var (
	offsetClause = regexp.MustCompile(`(?i)\bOFFSET\s+\d`)
	eqFilter     = regexp.MustCompile(`"?e"?\."?(service_id|team_member_id|location_id)"?\s*=\s*`)
	readsEvent   = regexp.MustCompile(`(?i)\bFROM\s+"?events"?|JOIN\s+"?events"?`)
)

// checkSQLitePlan fails the test when a statement reading events would
// scan them, sort in a temp b-tree, or leave one of its equality filters
// (location, service, team member) out of the index seek: each of those
// reads more events as the location grows.
func checkSQLitePlan(t *testing.T, db *bun.DB, page string, s booktest.Statement) {
	t.Helper()
	if !readsEvent.MatchString(s.Query) || !strings.HasPrefix(strings.TrimSpace(strings.ToUpper(s.Query)), "SELECT") {
		return
	}
	rows, err := db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+s.Query, s.Args...)
	if err != nil {
		t.Fatalf("explain %s: %v", s.Query, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	bad := func(why string) { t.Errorf("%s: %s\n%s\nplan:\n%s", page, why, s.Query, text) }
	var seek string
	for _, d := range plan {
		switch {
		case strings.HasPrefix(d, "SCAN e ") || d == "SCAN e" || strings.HasPrefix(d, "SCAN events"):
			bad("scans events")
		case strings.Contains(d, "USE TEMP B-TREE"):
			bad("sorts in a temp b-tree")
		case strings.HasPrefix(d, "SEARCH e ") || strings.HasPrefix(d, "SEARCH events"):
			seek = d
		}
	}
	if strings.Contains(seek, "PRIMARY KEY") {
		return // one event by id
	}
	for _, m := range eqFilter.FindAllStringSubmatch(s.Query, -1) {
		if !strings.Contains(seek, m[1]+"=?") {
			bad("does not seek on " + m[1])
		}
	}
}
