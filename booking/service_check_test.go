package booking_test

import (
	"testing"

	"groupbook/booking"
)

func TestValidateService(t *testing.T) {
	good := booking.ServiceInput{Name: " Yoga ", DurationMin: 60, DefaultCapacity: 10, Currency: "eur", Color: "#aabbcc"}
	if err := booking.ValidateService(good); err != nil {
		t.Fatalf("good service: %v", err)
	}
	bad := good
	bad.DefaultCapacity, bad.PriceMinor, bad.Color = 0, -1, "red"
	err := booking.ValidateService(bad)
	wantField(t, err, "default_capacity", booking.MsgMustBePositive)
	wantField(t, err, "price_minor", booking.MsgOutOfRange)
	wantField(t, err, "color", booking.MsgInvalidColor)
}
