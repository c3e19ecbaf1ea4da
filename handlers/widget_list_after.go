package handlers

import (
	"strconv"
	"strings"
	"time"

	"groupbook/booking"
)

// The "Show more" link carries the last event shown as after=<unix
// seconds>.<event id>: the next page starts right after it, whatever was
// booked or added meanwhile, and costs the same however deep it is. Events
// start on whole minutes, so seconds lose nothing. The key is not a secret:
// a forged one only pages from somewhere else in the same public list.

// formatAfter writes a page key for a URL.
func formatAfter(k booking.EventKey) string {
	return strconv.FormatInt(k.StartsAt.Unix(), 10) + "." + strconv.FormatInt(k.ID, 10)
}

// maxAfterUnix bounds a page key's time (year 9999), so a forged value
// cannot overflow time arithmetic or the database's timestamp range.
const maxAfterUnix = 253402300799

// parseAfter reads a page key; ok is false for anything malformed, which
// the list treats as no key (the first page).
func parseAfter(s string) (booking.EventKey, bool) {
	sec, id, found := strings.Cut(s, ".")
	if !found || len(s) > 40 {
		return booking.EventKey{}, false
	}
	u, err1 := strconv.ParseInt(sec, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || u < 0 || u > maxAfterUnix || n <= 0 {
		return booking.EventKey{}, false
	}
	return booking.EventKey{StartsAt: time.Unix(u, 0).UTC(), ID: n}, true
}
