package locales

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Money renders an amount in minor units with its ISO 4217 code, the digits
// grouped and the decimals marked as the language writes them ("10,500 HUF",
// "10 500 HUF", "35,50 EUR"). Every currency a studio here is likely to use
// has two decimals; whole amounts drop them. The separators come from the
// message format_number_separators: its first character is the decimal
// mark, its second the thousands separator.
func (l *Localizer) Money(minor int64, currency string) string {
	dec, group := l.separators()
	neg := minor < 0
	if neg {
		minor = -minor
	}
	whole, frac := minor/100, minor%100
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteRune(group)
		}
		b.WriteRune(r)
	}
	if frac != 0 {
		b.WriteRune(dec)
		if frac < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.FormatInt(frac, 10))
	}
	if currency != "" {
		b.WriteString("\u00a0" + currency)
	}
	return b.String()
}

// separators reads the decimal mark and thousands separator, falling back
// to "." and a no-break space when the message is malformed.
func (l *Localizer) separators() (dec, group rune) {
	s := l.T("format_number_separators")
	dec, n := utf8.DecodeRuneInString(s)
	group, m := utf8.DecodeRuneInString(s[n:])
	if n == 0 || m == 0 || dec == utf8.RuneError || group == utf8.RuneError {
		return '.', '\u00a0'
	}
	return dec, group
}
