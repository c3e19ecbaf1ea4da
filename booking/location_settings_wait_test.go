package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestWaitlistSettingsValidation: every bad setting is reported at its
// field at once and nothing is written; good settings are saved and read
// back; the location form does not reset them.
func TestWaitlistSettingsValidation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		loc, err := f.Store.Location(ctx, f.Location.ID)
		if err != nil {
			t.Fatal(err)
		}
		defaults := booking.WaitlistSettings{
			WaitlistMode: booking.WaitlistInOrder, WaitlistClaimMin: booking.DefaultWaitlistClaimMin,
			WaitlistMax: booking.DefaultWaitlistMax, MessageChannel: booking.ChannelSMSOnly,
		}
		if got := loc.WaitlistSettings(); got != defaults {
			t.Fatalf("a new location's settings %+v, want %+v", got, defaults)
		}

		err = f.Store.SaveWaitlistSettings(ctx, f.Location.ID, booking.WaitlistSettings{
			WaitlistMode: "lottery", WaitlistClaimMin: booking.MinWaitlistClaimMin - 1, WaitlistMax: 0,
			MinAutoCancel: true, MessageChannel: "fax", StaffEmailNotify: true,
		})
		var fe booking.FieldErrors
		if !errors.As(err, &fe) || len(fe) != 4 {
			t.Fatalf("want 4 field errors, got %v", err)
		}
		wantField(t, err, "waitlist_mode", booking.MsgInvalidMode)
		wantField(t, err, "waitlist_claim_min", booking.MsgOutOfRange)
		wantField(t, err, "waitlist_max", booking.MsgOutOfRange)
		wantField(t, err, "message_channel", booking.MsgInvalidMode)
		for _, bad := range []booking.WaitlistSettings{
			{WaitlistMode: booking.WaitlistFirstClaim, WaitlistClaimMin: booking.MaxWaitlistClaimMin + 1, WaitlistMax: 5, MessageChannel: booking.ChannelBoth},
			{WaitlistMode: booking.WaitlistFirstClaim, WaitlistClaimMin: 60, WaitlistMax: booking.MaxWaitlistMax + 1, MessageChannel: booking.ChannelBoth},
			{WaitlistMode: "", WaitlistClaimMin: 60, WaitlistMax: 5, MessageChannel: booking.ChannelBoth},
			{WaitlistMode: booking.WaitlistFirstClaim, WaitlistClaimMin: 60, WaitlistMax: 5, MessageChannel: ""},
		} {
			if err := f.Store.SaveWaitlistSettings(ctx, f.Location.ID, bad); !errors.As(err, &fe) || len(fe) != 1 {
				t.Fatalf("%+v: want one field error, got %v", bad, err)
			}
		}
		if got, _ := f.Store.Location(ctx, f.Location.ID); got.WaitlistSettings() != defaults {
			t.Fatalf("refused settings were written: %+v", got.WaitlistSettings())
		}

		good := booking.WaitlistSettings{
			WaitlistMode: booking.WaitlistFirstClaim, WaitlistClaimMin: booking.MinWaitlistClaimMin, WaitlistMax: booking.MaxWaitlistMax,
			MinAutoCancel: true, MessageChannel: booking.ChannelEmailFirst, StaffEmailNotify: true,
		}
		if err := f.Store.SaveWaitlistSettings(ctx, f.Location.ID, good); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.UpdateLocation(ctx, f.Location.ID, booking.LocationInput{
			Name: "Sunrise Yoga Studio", TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "hu",
		}); err != nil {
			t.Fatal(err)
		}
		got, err := f.Store.Location(ctx, f.Location.ID)
		if err != nil || got.WaitlistSettings() != good || got.Name != "Sunrise Yoga Studio" {
			t.Fatalf("saved %+v, read %+v (%v)", good, got.WaitlistSettings(), err)
		}

		if err := f.Store.SaveWaitlistSettings(ctx, f.Location.ID+100, good); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("unknown location: %v", err)
		}
	})
}
