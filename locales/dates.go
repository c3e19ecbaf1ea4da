package locales

import (
	"strconv"
	"time"
)

// Weekday returns the weekday's name as used inside a date ("Tuesday",
// "kedd", "вторник"). Languages that write weekdays in lower case keep it;
// capitalising a heading is the view's job (CSS ::first-letter).
func (l *Localizer) Weekday(d time.Weekday) string {
	return l.T("weekday_" + strconv.Itoa(int(d)))
}

// WeekdayShort returns the abbreviated weekday ("Tue", "K", "вт"), e.g. for
// the weekday filter chips.
func (l *Localizer) WeekdayShort(d time.Weekday) string {
	return l.T("weekday_short_" + strconv.Itoa(int(d)))
}

// Month returns the month's name in the form used inside a date: genitive in
// Russian and Ukrainian ("10 марта", "10 березня").
func (l *Localizer) Month(m time.Month) string {
	return l.T("month_" + strconv.Itoa(int(m)))
}

// MonthNominative returns the month's name standing on its own, e.g. as a
// calendar heading ("март", "березень").
func (l *Localizer) MonthNominative(m time.Month) string {
	return l.T("month_nominative_" + strconv.Itoa(int(m)))
}

// monthShort is the abbreviated in-date month for DateShort ("Mar", "мар.").
func (l *Localizer) monthShort(m time.Month) string {
	return l.T("month_short_" + strconv.Itoa(int(m)))
}

// DateLong renders a date with weekday and month names, e.g.
// "Tuesday, 10 March" or "március 10., kedd". t must already be in the
// location's time zone: the day shown is t's own calendar day.
func (l *Localizer) DateLong(t time.Time) string {
	return l.T("format_date_long", map[string]any{
		"Weekday": l.Weekday(t.Weekday()),
		"Day":     t.Day(),
		"Month":   l.Month(t.Month()),
	})
}

// DateShort renders a compact date, e.g. "Tue 10 Mar" or "вт, 10 мар.";
// t must already be in the location's time zone.
func (l *Localizer) DateShort(t time.Time) string {
	return l.T("format_date_short", map[string]any{
		"Weekday": l.WeekdayShort(t.Weekday()),
		"Day":     t.Day(),
		"Month":   l.monthShort(t.Month()),
	})
}

// Clock renders t's time of day as 24-hour HH:MM ("18:00", "09:05"). All
// supported languages write times this way, so it takes no message; t must
// already be in the location's time zone.
func (l *Localizer) Clock(t time.Time) string {
	return t.Format("15:04")
}
