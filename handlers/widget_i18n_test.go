package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// TestWidgetLanguagesAndPlurals: seats left in the plural form of each
// language, weekday and month names from the locale files, and the order
// ?lang= > link default > Accept-Language > location default.
func TestWidgetLanguagesAndPlurals(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		start := time.Date(2026, 3, 3, 17, 0, 0, 0, time.UTC) // Tuesday 18:00 in Budapest
		for i, capacity := range []int{1, 2, 5, 21} {
			e.f.Event(t, e.f.Yoga, e.f.Sofie, start.Add(time.Duration(i)*time.Hour), capacity)
		}
		want := map[string][]string{
			"ru": {"Осталось 1 место", "Осталось 2 места", "Осталось 5 мест", "Осталось 21 место"},
			"uk": {"Залишилося 1 місце", "Залишилося 2 місця", "Залишилося 5 місць", "Залишилося 21 місце"},
			"en": {"1 seat left", "2 seats left", "5 seats left", "21 seats left"},
		}
		for lang, texts := range want {
			p := e.get("/w/sunrise?lang=" + lang)
			var got []string
			p.doc.Find(".gb-event .gb-badge").Each(func(_ int, s *goquery.Selection) {
				got = append(got, strings.Join(strings.Fields(s.Text()), " "))
			})
			if strings.Join(got, "|") != strings.Join(texts, "|") {
				t.Errorf("%s: %q, want %q", lang, got, texts)
			}
			if l, _ := p.doc.Find("html").Attr("lang"); l != lang {
				t.Errorf("html lang %q, want %s", l, lang)
			}
		}
		days := map[string]string{"en": "Tuesday, 3 March", "hu": "március 3., kedd", "ru": "вторник, 3 марта", "uk": "вівторок, 3 березня", "pt": "terça-feira, 3 de março"}
		for lang, day := range days {
			if got := e.get("/w/sunrise?lang=" + lang).text(".gb-day-title"); got != day {
				t.Errorf("%s day heading %q, want %q", lang, got, day)
			}
		}
		// The time is local to the studio (18:00 Budapest), not UTC.
		if got := e.get("/w/sunrise").text(".gb-event__time"); !strings.HasPrefix(got, "18:00") {
			t.Errorf("time %q, want 18:00 local", got)
		}
		// Accept-Language when nothing else says.
		if l, _ := e.get("/w/sunrise", "Accept-Language", "hu-HU,hu;q=0.9,en;q=0.5").doc.Find("html").Attr("lang"); l != "hu" {
			t.Errorf("Accept-Language hu gave %q", l)
		}
		// The link's default beats Accept-Language; ?lang= beats both.
		link := *e.f.Link
		link.DefaultLang = "pt"
		if err := e.f.Store.SaveLink(ctx, &link); err != nil {
			t.Fatal(err)
		}
		if l, _ := e.get("/w/sunrise", "Accept-Language", "hu").doc.Find("html").Attr("lang"); l != "pt" {
			t.Errorf("link default pt gave %q", l)
		}
		p := e.get("/w/sunrise?lang=uk", "Accept-Language", "hu")
		if l, _ := p.doc.Find("html").Attr("lang"); l != "uk" {
			t.Errorf("?lang=uk gave %q", l)
		}
		// The chosen language follows the client through the links, and the
		// switcher offers all five.
		if href, _ := p.doc.Find("a.gb-event").First().Attr("href"); !strings.Contains(href, "lang=uk") {
			t.Errorf("event link %q loses the language", href)
		}
		if n := p.doc.Find(".gb-lang a").Length(); n != 5 {
			t.Errorf("%d languages in the switcher", n)
		}
		if cur := p.doc.Find(`.gb-lang a[aria-current=true]`).Text(); cur != "Українська" {
			t.Errorf("current language %q", cur)
		}
		// An unsupported ?lang= is ignored.
		if l, _ := e.get("/w/sunrise?lang=xx").doc.Find("html").Attr("lang"); l != "pt" {
			t.Errorf("?lang=xx gave %q", l)
		}
	})
}
