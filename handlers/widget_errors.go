package handlers

import (
	"errors"

	"groupbook/booking"
	"groupbook/locales"
)

// bookingErrorIDs maps the core's sentinel errors to the message a client
// reads. The first match wins.
var bookingErrorIDs = []struct {
	err error
	id  string
}{
	{booking.ErrFull, "booking_error_full"},
	{booking.ErrStarted, "booking_error_started"},
	{booking.ErrInsideBuffer, "booking_error_inside_buffer"},
	{booking.ErrOnlineBookingOff, "booking_error_online_off"},
	{booking.ErrNotOnLink, "booking_error_not_on_link"},
	{booking.ErrDifferentService, "booking_error_different_service"},
	{booking.ErrTooManyEvents, "booking_error_too_many_events"},
	{booking.ErrDuplicateEvent, "booking_error_duplicate_event"},
	// Before ErrAlreadyBooked, which it wraps: an unconfirmed phone is not
	// told it has a booking.
	{errRepeatUnconfirmed, "booking_error_already_booked_unconfirmed"},
	{booking.ErrAlreadyBooked, "booking_error_already_booked"},
	{booking.ErrEventDeleted, "booking_error_not_found"},
	{booking.ErrNotFound, "booking_error_not_found"},
	{booking.ErrCancelNotAllowed, "booking_error_cancel_not_allowed"},
	{booking.ErrCutoffPassed, "booking_error_cutoff_passed"},
	{booking.ErrAlreadyCancelled, "booking_error_already_cancelled"},
}

// bookingErrorText is the client's message for a core error.
func bookingErrorText(l *locales.Localizer, err error, maxEvents int) string {
	for _, m := range bookingErrorIDs {
		if errors.Is(err, m.err) {
			return l.T(m.id, map[string]any{"Max": maxEvents})
		}
	}
	return l.T("booking_error_generic")
}
