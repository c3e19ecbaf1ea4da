package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// seatsShown is the seats-left number the list shows for ev (-1: not
// listed as bookable).
func seatsShown(t *testing.T, p *page, ev *booking.Event) int {
	t.Helper()
	if p.code != http.StatusOK {
		t.Fatalf("list: %d\n%s", p.code, p.body)
	}
	badge := p.doc.Find(`a.gb-event[href="/w/sunrise/e/` + itoa64(ev.ID) + `"] .gb-badge`)
	if badge.Length() == 0 {
		return -1
	}
	n, err := strconv.Atoi(strings.Fields(badge.Text())[0])
	if err != nil {
		t.Fatalf("badge %q", badge.Text())
	}
	return n
}

var bookHTTPClient int

// bookHTTP books seats of ev through the widget's own steps, each time as
// another client (one client cannot book an event twice).
func (e *widgetEnv) bookHTTP(ev *booking.Event, seats string) {
	e.t.Helper()
	ct := e.contactForm(ev, seats)
	form := contact(ct.hidden("s"))
	bookHTTPClient++
	form.Set("phone", "06 20 123 "+strconv.Itoa(4000+bookHTTPClient%5000))
	done := e.post("/w/sunrise/book", form)
	if done.code != http.StatusSeeOther {
		e.t.Fatalf("book: %d\n%s", done.code, done.body)
	}
}

// A booking, a renamed service, a deleted event and a cancelled booking
// show on the next request, although the page before was cached.
func TestWidgetCacheFreshSameProcess(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		booktest.Listen(t, e.f.Store)
		evs := e.f.YogaEvents(t, 2, 10)
		if n := seatsShown(t, e.get("/w/sunrise"), evs[0]); n != 10 {
			t.Fatalf("%d seats shown, want 10", n)
		}
		if n := seatsShown(t, e.get("/w/sunrise"), evs[0]); n != 10 {
			t.Fatalf("cached: %d seats shown, want 10", n)
		}
		e.bookHTTP(evs[0], "3")
		if n := seatsShown(t, e.get("/w/sunrise"), evs[0]); n != 7 {
			t.Errorf("after booking 3 seats: %d shown, want 7", n)
		}
		// The event page and its fragment too.
		for _, hdr := range [][]string{nil, {"HX-Request", "true"}} {
			p := e.get("/w/sunrise/e/"+itoa64(evs[0].ID), hdr...)
			if !strings.Contains(p.text(".gb-card .gb-badge"), "7") {
				t.Errorf("event page %v shows %q", hdr, p.text(".gb-card .gb-badge"))
			}
		}
		e.bookHTTP(evs[0], "1")
		for _, hdr := range [][]string{nil, {"HX-Request", "true"}} {
			p := e.get("/w/sunrise/e/"+itoa64(evs[0].ID), hdr...)
			if !strings.Contains(p.text(".gb-card .gb-badge"), "6") {
				t.Errorf("event page %v after a booking shows %q", hdr, p.text(".gb-card .gb-badge"))
			}
		}

		in := booking.ServiceInput{Name: "Morning flow", Category: "Classes", DurationMin: 60, DefaultCapacity: 10,
			PriceMinor: 350000, Currency: "HUF", Color: "#2a9d8f", OnlineBooking: true}
		if _, err := e.f.Store.UpdateService(ctx, e.f.Yoga.ID, in); err != nil {
			t.Fatal(err)
		}
		if got := e.get("/w/sunrise").text(".gb-event__service"); !strings.Contains(got, "Morning flow") {
			t.Errorf("renamed service not shown: %q", got)
		}
		if _, err := e.f.Store.DeleteEvent(ctx, evs[1].ID); err != nil {
			t.Fatal(err)
		}
		if n := seatsShown(t, e.get("/w/sunrise"), evs[1]); n != -1 {
			t.Errorf("deleted event still listed with %d seats", n)
		}
		var ids []int64
		if err := db.NewSelect().Model((*booking.Booking)(nil)).Column("id").Where("event_id = ?", evs[0].ID).Scan(ctx, &ids); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if _, err := e.f.Store.CancelByAdmin(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		if n := seatsShown(t, e.get("/w/sunrise"), evs[0]); n != 10 {
			t.Errorf("after cancelling every booking: %d shown, want 10", n)
		}
	})
}

// The page is really served from memory: a change made behind the
// store's back (no version bump, so only possible on SQLite's one
// process) is not seen until the version moves.
func TestWidgetCacheServesFromMemory(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	e := newWidgetEnv(t, db)
	evs := e.f.YogaEvents(t, 1, 10)
	if n := seatsShown(t, e.get("/w/sunrise"), evs[0]); n != 10 {
		t.Fatalf("%d seats", n)
	}
	if _, err := db.NewUpdate().Model((*booking.Event)(nil)).Set("seats_taken = 4").Where("id = ?", evs[0].ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := seatsShown(t, e.get("/w/sunrise"), evs[0]); n != 10 {
		t.Fatalf("%d seats: the second request was not served from the cache", n)
	}
	e.f.Store.Changed()
	if n := seatsShown(t, e.get("/w/sunrise"), evs[0]); n != 6 {
		t.Errorf("%d seats after the version moved, want 6", n)
	}
}

// Two processes on one PostgreSQL: a booking made through A shows on B's
// cached page as soon as B's listener hears of it; with B's listener
// stopped, B serves nothing from its cache.
func TestWidgetCacheFreshAcrossProcesses(t *testing.T) {
	dbA, dbB := booktest.OpenTwo(t, booktest.Postgres)
	f := booktest.Seed(t, dbA)
	clock := func() time.Time { return f.Now }
	a := newTestRouter(t, f.Store, clock)
	a.db, a.f = dbA, f
	storeB := booking.NewStore(dbB)
	storeB.Now = clock
	b := newTestRouter(t, storeB, clock)
	b.db, b.f = dbB, f
	booktest.Listen(t, f.Store)
	stopB := booktest.Listen(t, storeB)
	ev := f.YogaEvents(t, 1, 10)[0]

	if n := seatsShown(t, b.get("/w/sunrise"), ev); n != 10 {
		t.Fatalf("B shows %d seats, want 10", n)
	}
	seatsShown(t, b.get("/w/sunrise"), ev) // now cached
	a.bookHTTP(ev, "2")
	deadline := time.Now().Add(2 * time.Second)
	for {
		n := seatsShown(t, b.get("/w/sunrise"), ev)
		if n == 8 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("B still shows %d seats 2 s after A's booking, want 8", n)
		}
		time.Sleep(10 * time.Millisecond)
	}

	stopB()
	if _, ok := storeB.Generation(); ok {
		t.Fatal("B cacheable without its listener")
	}
	seatsShown(t, b.get("/w/sunrise"), ev)
	a.bookHTTP(ev, "1")
	// No waiting: without a listener B must read the database every time.
	if n := seatsShown(t, b.get("/w/sunrise"), ev); n != 7 {
		t.Errorf("B without a listener shows %d seats, want 7", n)
	}
}

// A cached page expires when an event on it stops being bookable (its
// start minus the link's buffer), though nothing was written.
func TestWidgetCacheExpiresWithTheClock(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		booktest.Listen(t, e.f.Store)
		link := *e.f.Link
		link.BufferMin = 60
		if err := e.f.Store.SaveLink(context.Background(), &link); err != nil {
			t.Fatal(err)
		}
		soon := e.f.Event(t, e.f.Yoga, e.f.Sofie, e.f.Now.Add(3*time.Hour), 10)
		later := e.f.Event(t, e.f.Yoga, e.f.Sofie, e.f.Now.Add(48*time.Hour), 10)
		evPath := "/w/sunrise/e/" + itoa64(soon.ID)
		if p := e.get(evPath); p.doc.Find("form.gb-select").Length() != 1 {
			t.Fatalf("event page not bookable:\n%s", p.body)
		}
		for range 2 {
			if n := seatsShown(t, e.get("/w/sunrise"), soon); n != 10 {
				t.Fatalf("%d seats", n)
			}
		}
		e.f.Now = soon.StartsAt.Add(-59 * time.Minute) // inside the buffer now
		p := e.get("/w/sunrise")
		if n := seatsShown(t, p, soon); n != -1 {
			t.Errorf("an event inside the buffer is still listed as bookable (%d seats)", n)
		}
		if n := seatsShown(t, p, later); n != 10 {
			t.Errorf("later event: %d seats", n)
		}
		if p := e.get(evPath); p.doc.Find("form.gb-select").Length() != 0 {
			t.Error("the event page still offers booking inside the buffer")
		}
	})
}

// Crawlers' made-up query strings cannot grow the cache past its budget.
func TestPageCacheBudget(t *testing.T) {
	pc := newPageCache(64<<10, 8<<10)
	// Random bytes do not compress, so each entry costs its 2,000 bytes.
	body := make([]byte, 2000)
	rand.Read(body) //nolint:errcheck // never fails
	for i := range 1000 {
		pc.put(newPageEntry("/w/sunrise?x="+strconv.Itoa(i), 0, time.Now().Add(time.Minute), body))
		if _, used := pc.stats(); used > 64<<10 {
			t.Fatalf("after %d entries the cache holds %d bytes, over its 64 KB budget", i+1, used)
		}
	}
	if n, _ := pc.stats(); n == 0 || n > 40 {
		t.Errorf("%d entries kept", n)
	}
	big := make([]byte, 9<<10)
	rand.Read(big) //nolint:errcheck // never fails
	pc.put(newPageEntry("big", 0, time.Now().Add(time.Minute), big))
	if pc.get("big", 0, time.Now()) != nil {
		t.Error("an entry over the size limit was cached")
	}
	// The newest entries are the ones kept, and a version change or the
	// expiry makes an entry unusable.
	if pc.get("/w/sunrise?x=999", 0, time.Now()) == nil {
		t.Error("newest entry evicted")
	}
	if pc.get("/w/sunrise?x=998", 1, time.Now()) != nil {
		t.Error("entry of an old version served")
	}
	if pc.get("/w/sunrise?x=997", 0, time.Now().Add(2*time.Minute)) != nil {
		t.Error("expired entry served")
	}
}

// An entry holds its body compressed and at its own size, whatever the
// buffer it was rendered into: a rendering buffer's spare capacity or a
// plain copy beside the gzip one made the cache hold several times what it
// counted.
func TestPageEntryKeepsOnlyItsSize(t *testing.T) {
	page := bytes.Repeat([]byte("<li class=\"gb-event\">Morning Yoga, 7:00</li>\n"), 400) // 18 KB of HTML
	buf := make([]byte, len(page), 4*len(page))
	copy(buf, page)
	e := newPageEntry("/w/sunrise", 1, time.Now().Add(time.Minute), buf)
	if !e.gz || cap(e.body) > len(page)/4 {
		t.Fatalf("entry of an %d-byte page: gzip %v, %d bytes held", len(page), e.gz, cap(e.body))
	}
	if e.size() > len(page)/4+1024 {
		t.Errorf("entry counted as %d bytes", e.size())
	}
	plain, err := e.plain()
	if err != nil || !bytes.Equal(plain, page) {
		t.Fatalf("inflated body differs (%v)", err)
	}
	small := newPageEntry("/w/sunrise?x", 1, time.Now().Add(time.Minute), buf[:100])
	if small.gz || cap(small.body) > 128 { // the allocator rounds 100 up to its size class
		t.Errorf("small body: gzip %v, cap %d", small.gz, cap(small.body))
	}
}

// Through the router: many distinct query strings leave the real cache
// within its budget (checked on the page cache the router uses).
func TestWidgetCacheManyQueries(t *testing.T) {
	db := booktest.Open(t, booktest.SQLite)
	f := booktest.Seed(t, db)
	pc := newPageCache(pageCacheBudget, pageCacheMaxEntry)
	e := newTestRouter(t, f.Store, func() time.Time { return f.Now }, func(d *Deps) { d.pageCache = pc })
	e.db, e.f = db, f
	f.YogaEvents(t, 3, 10)
	for i := range 300 {
		if p := e.get("/w/sunrise?utm_source=c" + strconv.Itoa(i)); p.code != http.StatusOK {
			t.Fatalf("%d", p.code)
		}
	}
	n, used := pc.stats()
	if n == 0 || used > pageCacheBudget {
		t.Errorf("%d entries, %d bytes (budget %d)", n, used, pageCacheBudget)
	}
}

// gzip and plain, fragment and full page are cached apart and never mixed.
func TestWidgetCacheVariants(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		booktest.Listen(t, e.f.Store)
		evs := e.f.YogaEvents(t, 12, 10)
		type variant struct {
			gzip, fragment bool
		}
		fetch := func(path string, v variant) (string, http.Header) {
			t.Helper()
			req, _ := http.NewRequest(http.MethodGet, path, nil)
			if v.gzip {
				req.Header.Set("Accept-Encoding", "gzip, deflate")
			}
			if v.fragment {
				req.Header.Set("HX-Request", "true")
			}
			p := e.do(req)
			if p.code != http.StatusOK {
				t.Fatalf("%s %+v: %d", path, v, p.code)
			}
			body := p.body
			if p.hdr.Get("Content-Encoding") == "gzip" {
				if !v.gzip {
					t.Fatalf("%s %+v: gzip sent to a client that did not ask", path, v)
				}
				zr, err := gzip.NewReader(strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
				body = string(b)
			} else if v.gzip {
				t.Fatalf("%s %+v: not compressed", path, v)
			}
			if strings.Count(body, "<html") > 0 == v.fragment {
				t.Fatalf("%s %+v: fragment/full page mixed up:\n%.300s", path, v, body)
			}
			if vary := strings.Join(p.hdr.Values("Vary"), ","); !strings.Contains(vary, "HX-Request") || !strings.Contains(vary, "Accept-Encoding") {
				t.Errorf("%s %+v: Vary %q", path, v, p.hdr.Values("Vary"))
			}
			return body, p.hdr
		}
		for _, path := range []string{"/w/sunrise", "/w/sunrise/e/" + itoa64(evs[0].ID)} {
			want := map[variant]string{}
			for round := range 3 {
				for _, v := range []variant{{true, false}, {false, false}, {true, true}, {false, true}} {
					body, hdr := fetch(path, v)
					if round == 0 {
						want[v] = body
						if !strings.Contains(hdr.Get("Content-Security-Policy"), "frame-ancestors") {
							t.Errorf("%s: CSP %q", path, hdr.Get("Content-Security-Policy"))
						}
					} else if body != want[v] {
						t.Errorf("%s %+v round %d: body differs", path, v, round)
					}
				}
			}
			if want[variant{true, false}] != want[variant{false, false}] || want[variant{true, true}] != want[variant{false, true}] {
				t.Errorf("%s: gzip and plain bodies differ", path)
			}
		}
	})
}
