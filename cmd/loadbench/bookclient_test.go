package main

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/assets"
	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/handlers"
	"groupbook/locales"
	"groupbook/notify"
	"groupbook/widget"
)

const testSecret = "loadbench-test-secret-0123456789abcdef"

// startServer serves the real router over a real socket, trusting
// 127.0.0.1 as a proxy as loadbench's server does, on the fixture's store.
func startServer(t *testing.T, st *booking.Store) string {
	t.Helper()
	bundle, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	a, err := assets.New()
	if err != nil {
		t.Fatal(err)
	}
	views, err := handlers.NewViews(a)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handlers.NewRouter(handlers.Deps{
		Store: st, Secret: testSecret, Log: slog.New(slog.DiscardHandler),
		Flow: widget.NewFlow(st, widget.NewSigner(testSecret)), Locales: bundle, Assets: a, Views: views,
		Verifier: &notify.DevVerifier{Secret: testSecret}, TrustedProxies: []string{"127.0.0.1"},
	}))
	t.Cleanup(srv.Close)
	srv.Config.SetKeepAlivesEnabled(true)
	return srv.URL
}

// TestBookClientBooks proves the load's visitors make real bookings: the
// forms read from the pages carry everything the server needs, and what
// counts as booked is in the database.
func TestBookClientBooks(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.Now = time.Now() // the signed selection expires by the real clock
		must(t, f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true, ReminderHours: 24}))
		// Room for far more than the load below books: 24 × 20 seats
		// filled up within its 1.5 s on a quiet machine, and a pool that
		// runs out is an error of the run.
		events := f.YogaEvents(t, 24, 500)
		tiny := f.Event(t, f.Pilates, f.Marton, events[0].StartsAt.Add(time.Hour), 2)
		base := startServer(t, f.Store)

		c := newBookClient(base, "sunrise", 4)
		// 25 bookable events: the list shows 20, the rest behind Show more.
		urls, err := c.contactURLs(ctx, 100, 4)
		must(t, err)
		if len(urls) != 25 {
			t.Fatalf("%d contact URLs, want 25 (every event, Show more followed)", len(urls))
		}
		for _, u := range urls {
			if !strings.HasPrefix(u, base+"/w/sunrise/contact?") || !strings.Contains(u, "event=") {
				t.Fatalf("contact URL %q", u)
			}
		}

		// The small event's contact step, to fill it below.
		tinyURL, others := "", []string{}
		for _, u := range urls {
			if strings.HasSuffix(u, "event="+itoa(tiny.ID)) || strings.Contains(u, "event="+itoa(tiny.ID)+"&") {
				tinyURL = u
			} else {
				others = append(others, u)
			}
		}
		if tinyURL == "" {
			t.Fatalf("no contact URL for event %d among %v", tiny.ID, urls)
		}
		// One by one, each from its own address: all booked.
		for i, u := range others[:6] {
			out, manage, err := c.book(ctx, u, randomIP())
			if out != booked || err != nil || !strings.Contains(manage, "/m/") {
				t.Fatalf("booking %d: %v, %q, %v", i, out, manage, err)
			}
		}
		// The two-seat event fills, then refuses.
		for i, want := range []outcome{booked, booked, refused} {
			if out, _, err := c.book(ctx, tinyURL, randomIP()); out != want {
				t.Fatalf("small event, booking %d: %v (%v), want %v", i, out, err, want)
			}
		}

		// And under load, 4 visitors for a moment.
		pool := &eventPool{urls: others}
		l, err := runBookings(ctx, c, pool, 4, 1500*time.Millisecond)
		must(t, err)
		if l.Booked == 0 || l.Failed != 0 {
			t.Errorf("load: %+v", l)
		}

		var n, clients int
		must(t, db.NewSelect().Model((*booking.Booking)(nil)).ColumnExpr("count(*), count(DISTINCT client_id)").
			Where("source = ? AND status <> ?", booking.SourceWidget, booking.StatusCancelled).Scan(ctx, &n, &clients))
		// Bookings cut off at the run's end may still commit, uncounted.
		if counted := 8 + l.Booked; n < counted || clients != n {
			t.Errorf("%d widget bookings by %d clients in the database, %d counted as booked; want every one by its own client", n, clients, counted)
		}
		var sms int
		must(t, db.NewSelect().Model((*booking.OutboxMessage)(nil)).ColumnExpr("count(*)").Scan(ctx, &sms))
		if sms < n {
			t.Errorf("%d SMS queued for %d bookings: SMS is on, every booking queues one", sms, n)
		}
		var seats int
		must(t, db.NewSelect().Model((*booking.Event)(nil)).Column("seats_taken").Where("id = ?", tiny.ID).Scan(ctx, &seats))
		if seats != 2 {
			t.Errorf("small event has %d seats taken, want 2", seats)
		}
	})
}

func TestParseFormAsBrowser(t *testing.T) {
	html := `<form class="x" method="post" action="/w/a/book">
<input type="hidden" name="s" value="tok"><input type="hidden" name="lang" value="hu">
<input name="first_name" value=""><input type="checkbox" name="also" value="1" checked>
<input type="checkbox" name="also" value="2"><input type="checkbox" name="also" value="3" checked disabled>
<select name="svc"><option value="">all</option><option value="7" selected>Yoga</option></select>
<textarea name="comment">hi</textarea><button type="submit" name="all" value="1">x</button></form>`
	doc := mustDoc(t, html)
	f, err := parseForm(doc, "http://h/w/a/contact?event=1", "form.x")
	must(t, err)
	if f.Method != "POST" || f.Action != "http://h/w/a/book" {
		t.Errorf("form %s %s", f.Method, f.Action)
	}
	want := "also=1&comment=hi&first_name=&lang=hu&s=tok&svc=7"
	if got := f.Values.Encode(); got != want {
		t.Errorf("values %s, want %s", got, want)
	}
	if _, err := parseForm(doc, "http://h/", "form.missing"); err == nil {
		t.Error("a missing form parsed")
	}
}
