package locales_test

import "testing"

func TestMoney(t *testing.T) {
	b := load(t)
	for _, tc := range []struct {
		lang  string
		minor int64
		cur   string
		want  string
	}{
		{"en", 1050000, "HUF", "10,500\u00a0HUF"},
		{"hu", 1050000, "HUF", "10\u00a0500\u00a0HUF"},
		{"pt", 3550, "EUR", "35,50\u00a0EUR"},
		{"ru", 123456789, "EUR", "1\u00a0234\u00a0567,89\u00a0EUR"},
		{"uk", 5, "UAH", "0,05\u00a0UAH"},
		{"en", 350000, "HUF", "3,500\u00a0HUF"},
		{"en", -1250, "EUR", "-12.50\u00a0EUR"},
		{"en", 0, "", "0"},
	} {
		if got := b.Localizer(tc.lang).Money(tc.minor, tc.cur); got != tc.want {
			t.Errorf("%s Money(%d, %s) = %q, want %q", tc.lang, tc.minor, tc.cur, got, tc.want)
		}
	}
}
