package widget

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"groupbook/booking"
)

// icsProductID names us in every calendar file. The "//EN" suffix is the
// language of the product name, not of the bookings.
const icsProductID = "-//groupbook//groupbook//EN"

// ErrNoCalendarItems is returned for an empty list: RFC 5545 requires at
// least one component in a VCALENDAR, so there is no valid empty file.
var ErrNoCalendarItems = errors.New("no bookings to put in a calendar file")

// CalendarItem is one booking as it goes into a calendar.
type CalendarItem struct {
	Booking  booking.Booking
	Event    booking.Event
	Service  booking.Service
	Member   booking.TeamMember
	Location booking.Location
}

// CalendarOptions carries what the items themselves don't know. Texts a person
// reads come in already localised, because package widget does not import the
// translations: the caller owns the language.
type CalendarOptions struct {
	// Host makes UIDs globally unique, e.g. "groupbook.example.com" (from
	// the base URL).
	Host string
	// ManageURL is the client's manage link; it goes into URL, and into
	// DESCRIPTION when Description is nil.
	ManageURL string
	// Now is the DTSTAMP: when this file was made.
	Now time.Time
	// Description returns the localised DESCRIPTION of one item, e.g.
	// "2 seats. Manage or cancel: <url>".
	Description func(CalendarItem) string
}

// WriteICS writes items as one VCALENDAR with a VEVENT per booking.
//
// All active: METHOD:PUBLISH, so the events are added or updated. All
// cancelled: METHOD:CANCEL with STATUS:CANCELLED and the booking's higher
// SEQUENCE, which is how a calendar that imported the booking removes it.
// A mix is written as PUBLISH of the active ones only: METHOD applies to the
// whole file (RFC 5546), and the "all my bookings" download exists to add
// bookings to a calendar, not to put cancelled ones in; a cancelled booking's
// own .ics removes it where it was imported.
func WriteICS(w io.Writer, items []CalendarItem, opt CalendarOptions) error {
	if len(items) == 0 {
		return ErrNoCalendarItems
	}
	if opt.Host == "" {
		return errors.New("widget: calendar host is empty, UIDs would not be unique")
	}
	if opt.Now.IsZero() {
		return errors.New("widget: calendar DTSTAMP time is zero")
	}
	if opt.ManageURL != "" {
		// URL is a URI value that golang-ical writes unescaped, so a
		// control character in it could end the line and inject
		// properties; url.Parse refuses those.
		if _, err := url.Parse(opt.ManageURL); err != nil {
			return fmt.Errorf("widget: manage URL: %w", err)
		}
	}

	var active, cancelled []CalendarItem
	for _, it := range items {
		if it.Booking.Active() {
			active = append(active, it)
		} else {
			cancelled = append(cancelled, it)
		}
	}
	method, status, write := ics.MethodPublish, ics.ObjectStatusConfirmed, active
	if len(active) == 0 {
		method, status, write = ics.MethodCancel, ics.ObjectStatusCancelled, cancelled
	}

	cal := ics.NewCalendarFor("groupbook")
	cal.SetProductId(icsProductID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(method)
	for _, it := range write {
		if err := addICSEvent(cal, it, status, opt); err != nil {
			return err
		}
	}

	// Serialise into memory first: golang-ical ignores write errors on
	// BEGIN/END lines, and a buffer lets us report the real one once.
	var buf bytes.Buffer
	if err := cal.SerializeTo(&buf, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("widget: serialise calendar: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("widget: write calendar: %w", err)
	}
	return nil
}

func addICSEvent(cal *ics.Calendar, it CalendarItem, status ics.ObjectStatus, opt CalendarOptions) error {
	start, end := it.Event.StartsAt, it.Event.EndsAt()
	if !end.After(start) {
		// RFC 5545 requires DTEND after DTSTART; calendars reject or
		// misplace such an event, so refuse rather than write it.
		return fmt.Errorf("widget: event %d of booking %d has no duration", it.Event.ID, it.Booking.ID)
	}

	// The UID must stay the same across create, move and cancel so that a
	// calendar updates or removes the event it already has.
	e := cal.AddEvent(fmt.Sprintf("booking-%d@%s", it.Booking.ID, opt.Host))
	e.SetSequence(it.Booking.Sequence)
	e.SetDtStampTime(opt.Now.UTC())
	// UTC only: WithTZID on these setters writes an invalid value, and a
	// TZID would need a hand-built VTIMEZONE (see DESIGN.md 4).
	e.SetStartAt(start.UTC())
	e.SetEndAt(end.UTC())
	e.SetSummary(calendarText(Summary(it)))
	if loc := locationText(it.Location); loc != "" {
		e.SetLocation(calendarText(loc))
	}
	desc := opt.ManageURL
	if opt.Description != nil {
		desc = opt.Description(it)
	}
	if desc != "" {
		e.SetDescription(calendarText(desc))
	}
	if opt.ManageURL != "" {
		e.SetURL(opt.ManageURL)
	}
	e.SetStatus(status)
	return nil
}

// Summary is an item's title in a calendar: "Service — Member". It holds only
// names, so it needs no translation.
func Summary(it CalendarItem) string {
	if it.Member.Name == "" {
		return it.Service.Name
	}
	return it.Service.Name + " — " + it.Member.Name
}

// locationText is "Name, Address", leaving out whichever part is empty.
func locationText(l booking.Location) string {
	var parts []string
	for _, p := range []string{strings.TrimSpace(l.Name), strings.TrimSpace(l.Address)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// calendarText prepares a TEXT value for golang-ical, which escapes backslash,
// semicolon, comma and LF but passes CR and other control characters through
// raw. A raw CR would break the CRLF line structure, and RFC 5545 TEXT allows
// no control characters but HTAB, so line breaks become LF (escaped as \n by
// the library) and other controls are dropped. Invalid UTF-8 becomes U+FFFD,
// as the file is declared UTF-8.
func calendarText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
}
