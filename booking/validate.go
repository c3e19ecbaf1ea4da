package booking

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Message ids returned in FieldErrors. They are keys in the locale files.
const (
	MsgRequired         = "error_required"
	MsgTooLong          = "error_too_long"
	MsgInvalidTimeZone  = "error_invalid_time_zone"
	MsgInvalidCountry   = "error_invalid_country"
	MsgInvalidLanguage  = "error_invalid_language"
	MsgInvalidColor     = "error_invalid_color"
	MsgInvalidCurrency  = "error_invalid_currency"
	MsgMustBePositive   = "error_must_be_positive"
	MsgOutOfRange       = "error_out_of_range"
	MsgInvalidPhone     = "error_invalid_phone"
	MsgInvalidEmail     = "error_invalid_email"
	MsgInvalidSlug      = "error_invalid_slug"
	MsgSlugTaken        = "error_slug_taken"
	MsgInvalidOrigin    = "error_invalid_origin"
	MsgCutoffStep       = "error_cutoff_step"
	MsgNoWeekdays       = "error_no_weekdays"
	MsgUntilBeforeFrom  = "error_until_before_from"
	MsgSeriesTooLong    = "error_series_too_long"
	MsgInvalidDate      = "error_invalid_date"
	MsgInvalidTime      = "error_invalid_time"
	MsgCapacityBelow    = "error_capacity_below_taken"
	MsgUnknownService   = "error_unknown_service"
	MsgUnknownMember    = "error_unknown_team_member"
	MsgInvalidStatus    = "error_invalid_status"
	MsgInvalidMode      = "error_invalid_field_mode"
	MsgSeatsOutOfRange  = "error_seats_out_of_range"
	MsgEmailTaken       = "error_email_taken"
	MsgPasswordTooShort = "error_password_too_short"
	MsgInvalidText      = "error_invalid_text"
	MsgWrongPassword    = "error_wrong_password"
	MsgPasswordMismatch = "error_password_mismatch"
	MsgLastOwner        = "error_last_owner"
)

// Languages the product is translated into; the first is the fallback.
var Languages = []string{"en", "hu", "pt", "ru", "uk"}

// ValidLanguage tells whether lang is one of Languages.
func ValidLanguage(lang string) bool { return slices.Contains(Languages, lang) }

var (
	colorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	// emailRe refuses, beside white space, the characters that carry
	// meaning in a mail header (list separators, quotes, comments, angle
	// brackets, escapes): the address goes into a To header, where a
	// comma or "<" would add a recipient or hide the real one.
	emailRe = regexp.MustCompile(`^[^@\s,;:<>()\[\]\\"]+@[^@\s,;:<>()\[\]\\"]+\.[^@\s,;:<>()\[\]\\"]+$`)
	upperRe = regexp.MustCompile(`^[A-Z]{3}$`)
)

// Field limits, in characters.
const (
	MaxNameLen          = 100
	MaxCommentLen       = 200
	MaxCommentLabelLen  = 60
	MaxContactMsgLen    = 500
	MaxEmailLen         = 254
	MaxAddressLen       = 200
	MaxEventsPerBooking = 10
	MaxSeatsLimit       = 50
)

// checker collects field errors; each method records the first problem of a
// field only, since one clear message beats a list.
type checker struct{ fe FieldErrors }

func newChecker() *checker { return &checker{fe: FieldErrors{}} }

func (c *checker) add(field, msg string) {
	if _, ok := c.fe[field]; !ok {
		c.fe[field] = msg
	}
}

func (c *checker) text(field, v string, required bool, max int) {
	switch {
	case !validText(v, multiLineFields[field]):
		// Checked first: a NUL would otherwise reach PostgreSQL, which
		// refuses it in text with an error that is not the user's fault
		// to read.
		c.add(field, MsgInvalidText)
	case required && strings.TrimSpace(v) == "":
		c.add(field, MsgRequired)
	case utf8.RuneCountInString(v) > max:
		c.add(field, MsgTooLong)
	}
}

// multiLineFields are the fields typed in a textarea, where line breaks and
// tabs belong; everywhere else they can only come from a forged request.
var multiLineFields = map[string]bool{"comment": true, "address": true, "contact_message": true}

// ValidText reports whether s may be stored as one line of text: valid
// UTF-8 with no control characters. PostgreSQL refuses NUL and invalid
// UTF-8 in text columns (so they would fail as a server error, and SQLite
// would store them silently); the other C0 controls and DEL are never typed
// and can hide text or garble a terminal reading the logs.
func ValidText(s string) bool { return validText(s, false) }

// ValidMultiLineText is ValidText that also allows tab, newline and
// carriage return, for text typed in a textarea.
func ValidMultiLineText(s string) bool { return validText(s, true) }

func validText(s string, multiLine bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b == '\t' || b == '\n' || b == '\r':
			if !multiLine {
				return false
			}
		case b < 0x20 || b == 0x7f:
			return false
		}
	}
	return true
}

func (c *checker) color(field, v string) {
	if v != "" && !colorRe.MatchString(v) {
		c.add(field, MsgInvalidColor)
	}
}

func (c *checker) email(field, v string, required bool) {
	switch {
	case v == "" && required:
		c.add(field, MsgRequired)
	case v == "":
	case !ValidText(v):
		// CR and LF (header injection) are control characters: refused
		// here with the other unprintable ones.
		c.add(field, MsgInvalidText)
	case len(v) > MaxEmailLen:
		c.add(field, MsgTooLong)
	case !ValidEmail(v):
		c.add(field, MsgInvalidEmail)
	}
}

// ValidEmail tells whether s is an address the mailer may put in a header
// as it is: one address, no control characters, no header syntax, and no
// Unicode line or paragraph separators, which some mail software reads as
// line ends.
func ValidEmail(s string) bool {
	return ValidText(s) && emailRe.MatchString(s) && !strings.ContainsAny(s, "\u0085\u2028\u2029")
}

func (c *checker) rangeInt(field string, v, min, max int) {
	if v < min || v > max {
		c.add(field, MsgOutOfRange)
	}
}

func (c *checker) err() error { return c.fe.orNil() }
