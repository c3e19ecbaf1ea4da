package widget

import (
	"net/url"
	"strings"
	"time"
)

// googleCalendarTime is the UTC form Google's template link expects; the
// trailing Z makes Google convert to the viewer's zone itself.
const googleCalendarTime = "20060102T150405Z"

// GoogleCalendarURL returns an "Add to Google Calendar" link that a person
// clicks; it opens Google's prefilled event form, nothing is sent to Google by
// us. Empty details or location are left out.
func GoogleCalendarURL(title string, start, end time.Time, details, location string) string {
	q := []string{
		"action=TEMPLATE",
		"text=" + queryEscape(title),
		"dates=" + start.UTC().Format(googleCalendarTime) + "/" + end.UTC().Format(googleCalendarTime),
	}
	if details != "" {
		q = append(q, "details="+queryEscape(details))
	}
	if location != "" {
		q = append(q, "location="+queryEscape(location))
	}
	return "https://calendar.google.com/calendar/render?" + strings.Join(q, "&")
}

// queryEscape encodes a space as %20, not '+': '+' is a space only in form
// encoding, while %20 is read as a space by every decoder that may handle the
// link (Google's, and mail or chat apps that rewrite links). A literal '+' is
// already %2B at this point, so the swap is safe.
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
