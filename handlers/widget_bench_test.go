package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/assets"
	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/locales"
	"groupbook/widget"
)

// The widget's read path against Gin's own hello world, in one file so the
// ratio comes from one run:
//
//	go test ./handlers/ -run '^$' -bench 'GinHello|WidgetList|WidgetEvent' -benchmem
//
// "hit" is served from the page cache; "miss" renders every time (the
// page cache off, the link and catalog still cached), as right after a
// booking changed the data version.

func BenchmarkGinHello(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "Hello, world") })
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
	}
}

func BenchmarkWidgetList(b *testing.B) {
	benchWidget(b, func(f *booktest.Fixture, evs []*booking.Event) string { return "/w/sunrise" })
}

func BenchmarkWidgetEvent(b *testing.B) {
	benchWidget(b, func(f *booktest.Fixture, evs []*booking.Event) string { return "/w/sunrise/e/" + itoa64(evs[0].ID) })
}

func benchWidget(b *testing.B, path func(*booktest.Fixture, []*booking.Event) string) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		b.Run(kind, func(b *testing.B) {
			db := booktest.Open(b, kind)
			f := booktest.Seed(b, db)
			evs := f.YogaEvents(b, 40, 10)
			f.Event(b, f.Pilates, f.Marton, f.Now.Add(30*time.Hour), 8)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go f.Store.Listen(ctx, nil)
			for _, ok := f.Store.Generation(); !ok; _, ok = f.Store.Generation() {
				time.Sleep(time.Millisecond)
			}
			for _, cached := range []bool{true, false} {
				r := benchRouter(b, f.Store, !cached)
				for _, frag := range []bool{false, true} {
					name := map[bool]string{true: "hit", false: "miss"}[cached] + "/" + map[bool]string{true: "fragment", false: "full"}[frag]
					b.Run(name, func(b *testing.B) {
						req := httptest.NewRequest(http.MethodGet, path(f, evs), nil)
						req.Header.Set("Accept-Encoding", "gzip, deflate, br")
						req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
						if frag {
							req.Header.Set("HX-Request", "true")
						}
						w := httptest.NewRecorder()
						r.ServeHTTP(w, req)
						if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" {
							b.Fatalf("%d %q", w.Code, w.Header().Get("Content-Encoding"))
						}
						b.ReportAllocs()
						for b.Loop() {
							w := httptest.NewRecorder()
							r.ServeHTTP(w, req)
						}
					})
				}
			}
		})
	}
}

// benchRouter is newTestRouter for benchmarks.
func benchRouter(b *testing.B, store *booking.Store, noCache bool) *gin.Engine {
	bundle, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	a, err := assets.New()
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewViews(a)
	if err != nil {
		b.Fatal(err)
	}
	return NewRouter(Deps{
		Store: store, Secret: testSecret, BaseURL: testBaseURL, Log: slog.New(slog.DiscardHandler),
		Flow: widget.NewFlow(store, widget.NewSigner(testSecret)), Locales: bundle, Assets: a, Views: v,
		NoPageCache: noCache,
	})
}
