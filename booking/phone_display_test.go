package booking_test

import (
	"testing"

	"groupbook/booking"
)

func TestFormatPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+36201234567":  "+36 20 123 4567",
		"+351912345678": "+351 912 345 678",
		"not a phone":   "not a phone",
	} {
		if got := booking.FormatPhone(in); got != want {
			t.Errorf("FormatPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
