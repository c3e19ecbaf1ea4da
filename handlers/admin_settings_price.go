package handlers

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// settingsPriceRe is a price in major units: up to nine digits, then at
// most two decimals after a point or a comma (both are typed in our
// languages). "1,000" is refused rather than guessed: it means one
// thousand in English and one in Hungarian.
var settingsPriceRe = regexp.MustCompile(`^(\d{1,9})(?:[.,](\d{0,2}))?$`)

// settingsParsePrice reads a price typed in major units ("35", "35.5",
// "35,50", "3 500") and returns it in minor units, or the message id of
// what is wrong with it. An empty price is 0: free.
func settingsParsePrice(s string) (int64, string) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f': // spaces people and copy-paste put between thousands
			return -1
		}
		return r
	}, s)
	if s == "" {
		return 0, ""
	}
	if rest, neg := strings.CutPrefix(s, "-"); neg && settingsPriceRe.MatchString(rest) {
		return 0, "admin_settings_error_price_negative"
	}
	m := settingsPriceRe.FindStringSubmatch(s)
	if m == nil {
		return 0, "admin_settings_error_price"
	}
	whole, _ := strconv.ParseInt(m[1], 10, 64)
	cents := int64(0)
	if m[2] != "" {
		cents, _ = strconv.ParseInt((m[2] + "0")[:2], 10, 64)
	}
	return whole*100 + cents, ""
}

// settingsPriceInput writes minor units back for the form: "3500" for a
// whole amount, "35.50" otherwise.
func settingsPriceInput(minor int64) string {
	if minor%100 == 0 {
		return strconv.FormatInt(minor/100, 10)
	}
	return fmt.Sprintf("%d.%02d", minor/100, minor%100)
}
