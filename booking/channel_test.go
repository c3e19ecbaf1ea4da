package booking_test

import (
	"testing"

	"groupbook/booking"
)

func TestUTMChannel(t *testing.T) {
	for _, tc := range []struct {
		source, medium string
		want           booking.Channel
	}{
		{"", "", booking.ChannelWebsite},
		{"instagram", "", booking.ChannelInstagram},
		{"IG", "social", booking.ChannelInstagram},
		{"l.instagram.com", "referral", booking.ChannelInstagram},
		{"ig_bio", "", booking.ChannelInstagram},
		{"google", "organic", booking.ChannelGoogle},
		{"gbp", "", booking.ChannelGoogle},
		{"GMB", "", booking.ChannelGoogle},
		{"Google Maps", "", booking.ChannelGoogle},
		{"facebook", "", booking.ChannelFacebook},
		{"fb", "paid", booking.ChannelFacebook},
		{"m.facebook.com", "", booking.ChannelFacebook},
		{"newsletter", "instagram", booking.ChannelInstagram},
		{"", "gbp", booking.ChannelGoogle},
		{"website", "", booking.ChannelWebsite},
		{"fbi", "", booking.ChannelWebsite},
		{"bigoogle", "", booking.ChannelWebsite},
		{"studio-site", "banner", booking.ChannelWebsite},
		// The source decides over the medium.
		{"facebook", "instagram", booking.ChannelFacebook},
	} {
		got := booking.UTMChannel(booking.UTM{Source: tc.source, Medium: tc.medium})
		if got != tc.want {
			t.Errorf("UTMChannel(source %q, medium %q) = %q, want %q", tc.source, tc.medium, got, tc.want)
		}
	}
}

func TestBookingChannel(t *testing.T) {
	staff := booking.Booking{Source: booking.SourceAdmin, UTM: booking.UTM{Source: "instagram"}}
	if ch := staff.Channel(); ch != "" {
		t.Errorf("staff booking channel %q, want none", ch)
	}
	web := booking.Booking{Source: booking.SourceWidget}
	if ch := web.Channel(); ch != booking.ChannelWebsite {
		t.Errorf("widget booking without UTM: %q", ch)
	}
}
