package locales_test

import (
	"slices"
	"testing"
	"time"

	"groupbook/locales"
)

// load returns the real bundle with every reported problem failing the test,
// so a fallback can't pass unnoticed.
func load(t *testing.T) *locales.Bundle {
	t.Helper()
	b, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	b.Report = func(lang, id string, err error) { t.Errorf("reported: %s %s: %v", lang, id, err) }
	return b
}

func TestLanguages(t *testing.T) {
	b := load(t)
	want := []string{"en", "hu", "pt", "ru", "uk"}
	if got := b.Languages(); !slices.Equal(got, want) {
		t.Fatalf("Languages() = %v, want %v", got, want)
	}
	b.Languages()[0] = "xx"
	if got := b.Languages(); !slices.Equal(got, want) {
		t.Fatalf("Languages() changed by its caller: %v", got)
	}
	names := map[string]string{"en": "English", "hu": "Magyar", "pt": "Português", "ru": "Русский", "uk": "Українська"}
	for lang, name := range names {
		if got := b.Localizer(lang).T("language_name"); got != name {
			t.Errorf("%s language_name = %q, want %q", lang, got, name)
		}
	}
}

func TestMatch(t *testing.T) {
	b := load(t)
	for _, tc := range []struct {
		name       string
		candidates []string
		want       string
	}{
		{"query beats link default", []string{"hu", "ru", "uk,en;q=0.5"}, "hu"},
		{"link default beats header", []string{"", "ru", "uk-UA,uk;q=0.9"}, "ru"},
		{"header", []string{"", "", "ru-RU,ru;q=0.9,en;q=0.8"}, "ru"},
		{"header without en", []string{"ru-RU,ru;q=0.9"}, "ru"},
		{"header beats location default", []string{"", "", "pt-PT,pt;q=0.9", "hu"}, "pt"},
		{"location default last", []string{"", "", "de-DE,de;q=0.9", "uk"}, "uk"},
		{"unsupported falls through", []string{"de-DE", "pt"}, "pt"},
		{"unsupported alone", []string{"de-DE"}, "en"},
		{"unknown code ignored", []string{"xx", "uk"}, "uk"},
		{"unknown entry in header ignored", []string{"xx,ru;q=0.8"}, "ru"},
		{"header by weight, not order", []string{"en;q=0.1,de,hu;q=0.5"}, "hu"},
		{"supported later in header", []string{"de-DE,de;q=0.9,en;q=0.5", "ru"}, "en"},
		{"q=0 means not wanted", []string{"ru;q=0,uk"}, "uk"},
		{"region", []string{"pt-BR"}, "pt"},
		{"underscore", []string{"pt_PT"}, "pt"},
		{"case", []string{"HU"}, "hu"},
		{"wildcard is not a choice", []string{"*", "ru"}, "ru"},
		{"garbage", []string{";;q=,", "hu"}, "hu"},
		{"nothing", nil, "en"},
		{"all empty", []string{"", " ", ""}, "en"},
	} {
		if got := b.Match(tc.candidates...); got != tc.want {
			t.Errorf("%s: Match(%q) = %q, want %q", tc.name, tc.candidates, got, tc.want)
		}
	}
}

func TestLocalizer(t *testing.T) {
	b := load(t)
	for in, want := range map[string]string{"ru": "ru", "pt-BR": "pt", "uk-UA": "uk", "de": "en", "": "en"} {
		if got := b.Localizer(in).Lang; got != want {
			t.Errorf("Localizer(%q).Lang = %q, want %q", in, got, want)
		}
	}
	l := b.Localizer("hu")
	l.Lang = "changed"
	if got := b.Localizer("hu").Lang; got != "hu" {
		t.Errorf("changing one Localizer's Lang changed another's: %q", got)
	}
}

func TestT(t *testing.T) {
	b := load(t)
	for lang, want := range map[string]string{
		"en": "This field is required.",
		"hu": "Ezt a mezőt kötelező kitölteni.",
		"pt": "Este campo é obrigatório.",
		"ru": "Это поле обязательно для заполнения.",
		"uk": "Це поле обов’язкове.",
	} {
		if got := b.Localizer(lang).T("error_required"); got != want {
			t.Errorf("%s error_required = %q, want %q", lang, got, want)
		}
	}
	data := map[string]any{"Max": 3}
	if got, want := b.Localizer("ru").T("booking_error_too_many_events", data), "Выбрано слишком много занятий: за один раз можно записаться не более чем на 3."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(data) != 1 {
		t.Errorf("T changed the caller's data: %v", data)
	}
}

func TestMissingIDIsReported(t *testing.T) {
	b, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	var reported []string
	b.Report = func(lang, id string, err error) { reported = append(reported, lang+" "+id) }
	l := b.Localizer("uk")
	if got := l.T("no_such_message"); got != "no_such_message" {
		t.Errorf("T = %q, want the id", got)
	}
	if got := l.N("no_such_plural", 2); got != "no_such_plural" {
		t.Errorf("N = %q, want the id", got)
	}
	// A plural message asked for without its data shows the id rather than
	// "<no value>".
	if got := l.T("booking_error_too_many_events"); got != "booking_error_too_many_events" {
		t.Errorf("T without data = %q, want the id", got)
	}
	want := []string{"uk no_such_message", "uk no_such_plural", "uk booking_error_too_many_events"}
	if !slices.Equal(reported, want) {
		t.Errorf("reported %v, want %v", reported, want)
	}
}

func TestPlurals(t *testing.T) {
	b := load(t)
	for _, tc := range []struct {
		lang, id string
		n        int
		want     string
	}{
		{"ru", "seats_left", 1, "Осталось 1 место"},
		{"ru", "seats_left", 2, "Осталось 2 места"},
		{"ru", "seats_left", 4, "Осталось 4 места"},
		{"ru", "seats_left", 5, "Осталось 5 мест"},
		{"ru", "seats_left", 11, "Осталось 11 мест"},
		{"ru", "seats_left", 12, "Осталось 12 мест"},
		{"ru", "seats_left", 14, "Осталось 14 мест"},
		{"ru", "seats_left", 21, "Осталось 21 место"},
		{"ru", "seats_left", 22, "Осталось 22 места"},
		{"ru", "seats_left", 25, "Осталось 25 мест"},
		{"ru", "seats_left", 111, "Осталось 111 мест"},
		{"ru", "seats_left", 0, "Осталось 0 мест"},
		{"uk", "seats_left", 1, "Залишилося 1 місце"},
		{"uk", "seats_left", 2, "Залишилося 2 місця"},
		{"uk", "seats_left", 5, "Залишилося 5 місць"},
		{"uk", "seats_left", 11, "Залишилося 11 місць"},
		{"uk", "seats_left", 21, "Залишилося 21 місце"},
		{"uk", "seats_left", 22, "Залишилося 22 місця"},
		{"uk", "seats_left", 25, "Залишилося 25 місць"},
		{"uk", "seats_left", 111, "Залишилося 111 місць"},
		{"en", "seats_left", 1, "1 seat left"},
		{"en", "seats_left", 2, "2 seats left"},
		{"en", "seats_left", 0, "0 seats left"},
		{"hu", "seats_left", 1, "Még 1 szabad hely"},
		{"hu", "seats_left", 2, "Még 2 szabad hely"},
		{"pt", "seats_left", 1, "Resta 1 lugar"},
		{"pt", "seats_left", 2, "Restam 2 lugares"},
		// pt-PT rules: zero is plural (Brazilian CLDR rules would say "0 lugar").
		{"pt", "seats_left", 0, "Restam 0 lugares"},
		{"ru", "seats_count", 3, "3 места"},
		{"uk", "seats_count", 7, "7 місць"},
		{"en", "seats_count", 1, "1 seat"},
		{"ru", "minutes_count", 45, "45 мин"},
		{"hu", "minutes_count", 60, "60 perc"},
		{"ru", "events_selected", 1, "Выбрано 1 занятие"},
		{"ru", "events_selected", 3, "Выбрано 3 занятия"},
		{"ru", "events_selected", 10, "Выбрано 10 занятий"},
		{"uk", "events_selected", 5, "Вибрано 5 занять"},
		{"pt", "events_selected", 2, "2 aulas selecionadas"},
		{"en", "events_selected", 1, "1 class selected"},
		{"ru", "bookings_made", 1, "Подтверждена 1 запись"},
		{"ru", "bookings_made", 2, "Подтверждены 2 записи"},
		{"ru", "bookings_made", 5, "Подтверждено 5 записей"},
		{"uk", "bookings_made", 1, "Підтверджено 1 запис"},
		{"uk", "bookings_made", 3, "Підтверджено 3 записи"},
		{"uk", "bookings_made", 6, "Підтверджено 6 записів"},
		{"en", "bookings_made", 2, "2 bookings confirmed"},
	} {
		if got := b.Localizer(tc.lang).N(tc.id, tc.n); got != tc.want {
			t.Errorf("%s N(%s, %d) = %q, want %q", tc.lang, tc.id, tc.n, got, tc.want)
		}
	}
}

func TestNCountWins(t *testing.T) {
	b := load(t)
	data := map[string]any{"Count": 99}
	if got := b.Localizer("en").N("seats_left", 2, data); got != "2 seats left" {
		t.Errorf("N = %q: the count argument must be what is shown", got)
	}
	if data["Count"] != 99 {
		t.Errorf("N changed the caller's data: %v", data)
	}
}

func TestDates(t *testing.T) {
	b := load(t)
	tue := time.Date(2026, time.March, 10, 18, 0, 0, 0, time.UTC)
	sun := time.Date(2026, time.May, 3, 9, 5, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang                         string
		tueLong, tueShort, sunLong   string
		marNominative, weekdayShort0 string
	}{
		{"en", "Tuesday, 10 March", "Tue 10 Mar", "Sunday, 3 May", "March", "Sun"},
		{"hu", "március 10., kedd", "márc. 10., K", "május 3., vasárnap", "március", "V"},
		{"pt", "terça-feira, 10 de março", "ter., 10 de mar.", "domingo, 3 de maio", "março", "dom."},
		{"ru", "вторник, 10 марта", "вт, 10 мар.", "воскресенье, 3 мая", "март", "вс"},
		{"uk", "вівторок, 10 березня", "вт, 10 бер.", "неділя, 3 травня", "березень", "нд"},
	} {
		l := b.Localizer(tc.lang)
		check := func(what, got, want string) {
			if got != want {
				t.Errorf("%s %s = %q, want %q", tc.lang, what, got, want)
			}
		}
		check("DateLong(Tue)", l.DateLong(tue), tc.tueLong)
		check("DateShort(Tue)", l.DateShort(tue), tc.tueShort)
		check("DateLong(Sun)", l.DateLong(sun), tc.sunLong)
		check("MonthNominative(March)", l.MonthNominative(time.March), tc.marNominative)
		check("WeekdayShort(Sunday)", l.WeekdayShort(time.Sunday), tc.weekdayShort0)
		check("Clock", l.Clock(tue), "18:00")
		check("Clock", l.Clock(sun), "09:05")
	}
	ru := b.Localizer("ru")
	if got := ru.Month(time.March); got != "марта" {
		t.Errorf("ru Month(March) = %q, want the genitive", got)
	}
	if got := ru.Weekday(time.Saturday); got != "суббота" {
		t.Errorf("ru Weekday(Saturday) = %q", got)
	}
}

// TestDatesUseTheTimesZone pins that the day shown is the calendar day of
// t's own zone: 23:30 UTC on Monday is already Tuesday in Budapest.
func TestDatesUseTheTimesZone(t *testing.T) {
	b := load(t)
	budapest := time.FixedZone("CET", 3600)
	utc := time.Date(2026, time.March, 9, 23, 30, 0, 0, time.UTC)
	en := b.Localizer("en")
	if got := en.DateLong(utc); got != "Monday, 9 March" {
		t.Errorf("DateLong(UTC) = %q", got)
	}
	if got := en.DateLong(utc.In(budapest)); got != "Tuesday, 10 March" {
		t.Errorf("DateLong(Budapest) = %q", got)
	}
	if got := en.Clock(utc.In(budapest)); got != "00:30" {
		t.Errorf("Clock(Budapest) = %q", got)
	}
}

func TestMessageIDs(t *testing.T) {
	ids := locales.MessageIDs()
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Fatalf("MessageIDs not sorted and unique: %v", ids)
	}
	for _, id := range []string{"error_required", "booking_error_full", "weekday_0", "month_12", "month_nominative_1", "format_date_long", "seats_left", "language_name"} {
		if !slices.Contains(ids, id) {
			t.Errorf("MessageIDs lacks %q", id)
		}
	}
}
