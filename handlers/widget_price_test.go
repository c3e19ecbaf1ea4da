package handlers

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestPriceLine: the contact step prices every seat on every date, in the
// service's currency, written the way the page's language writes numbers;
// a free service has no price line.
func TestPriceLine(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newWidgetEnv(t, db)
		evs := e.f.YogaEvents(t, 3, 10) // Yoga: 3 500 HUF
		price := func(q url.Values, seats string, also ...*booking.Event) string {
			t.Helper()
			p := e.contactFormWith(q, evs[0], seats, also...)
			if p.code != 200 {
				t.Fatalf("contact: %d\n%s", p.code, p.body)
			}
			return strings.ReplaceAll(p.text("[data-gb-price]"), "\u00a0", " ")
		}
		if got, want := price(url.Values{}, "1"), "Total: 3,500 HUF"; got != want {
			t.Errorf("one seat, one date: %q, want %q", got, want)
		}
		if got, want := price(url.Values{}, "2", evs[1], evs[2]), "Total: 21,000 HUF (3 dates × 2 seats × 3,500 HUF)"; got != want {
			t.Errorf("three dates, two seats: %q, want %q", got, want)
		}
		if got, want := price(url.Values{"lang": {"hu"}}, "2", evs[1], evs[2]), "Összesen: 21 000 HUF (3 időpont × 2 hely × 3 500 HUF)"; got != want {
			t.Errorf("Hungarian: %q, want %q", got, want)
		}
		if got, want := price(url.Values{"lang": {"ru"}}, "3", evs[1]), "Итого: 21 000 HUF (2 даты × 3 места × 3 500 HUF)"; got != want {
			t.Errorf("Russian: %q, want %q", got, want)
		}

		// The event page writes the price of one seat the same way.
		for lang, want := range map[string]string{"en": "Price: 3,500 HUF", "hu": "Ár: 3 500 HUF"} {
			p := e.get(widgetEventURL(*evs[0], "lang="+lang))
			if got := strings.ReplaceAll(p.text(".gb-card"), "\u00a0", " "); !strings.Contains(got, want) {
				t.Errorf("%s event page: %q, want %q in it", lang, got, want)
			}
		}

		// A free service: no price line.
		yoga := *e.f.Yoga
		in := booking.ServiceInput{Name: yoga.Name, Category: yoga.Category, DurationMin: yoga.DurationMin,
			DefaultCapacity: yoga.DefaultCapacity, PriceMinor: 0, Currency: yoga.Currency, Color: yoga.Color, OnlineBooking: true}
		if _, err := e.f.Store.UpdateService(context.Background(), yoga.ID, in); err != nil {
			t.Fatal(err)
		}
		if p := e.contactForm(evs[0], "2", evs[1]); p.doc.Find("[data-gb-price]").Length() != 0 {
			t.Errorf("a free service shows a price: %q", p.text("[data-gb-price]"))
		}
	})
}
