package handlers

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func waitlistSettingsForm() url.Values {
	return url.Values{"waitlist_mode": {"first_claim"}, "waitlist_claim_min": {"45"}, "waitlist_max": {"8"},
		"min_auto_cancel": {"1"}, "message_channel": {"both"}, "staff_email_notify": {"1"}}
}

func TestAdminWaitlistSettings(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		settingsAccess(t, e, [][2]string{{"GET", settingsWaitlistPath}, {"POST", settingsWaitlistPath}})
		c := e.signIn(ownerEmail)

		// The form shows the location's settings as stored (the defaults).
		p := c.get(settingsWaitlistPath)
		settingsOK(t, p, "waitlist settings")
		for sel, want := range map[string]string{"#gb-waitlist_mode": "in_order", "#gb-message_channel": "sms"} {
			if got := p.doc.Find(sel+" option[selected]").AttrOr("value", ""); got != want {
				t.Errorf("%s selected %q, want %q", sel, got, want)
			}
		}
		for sel, want := range map[string]string{"#gb-waitlist_claim_min": "120", "#gb-waitlist_max": "20"} {
			if got := p.doc.Find(sel).AttrOr("value", ""); got != want {
				t.Errorf("%s = %q, want %q", sel, got, want)
			}
		}
		if p.doc.Find("#gb-min_auto_cancel[checked], #gb-staff_email_notify[checked]").Length() != 0 {
			t.Error("a checkbox is ticked that is off")
		}
		if p.doc.Find(`nav a[href="/admin/location/waitlist"][aria-current=page]`).Length() != 1 {
			t.Error("the navigation does not lead to the page, or does not mark it")
		}

		// Bad input: 422 with the message at the field, nothing written.
		for _, tc := range []struct{ field, value, msg string }{
			{"waitlist_claim_min", "two hours", settingsMsg(t, "admin_settings_error_whole_number")},
			{"waitlist_claim_min", "5", settingsMsg(t, booking.MsgOutOfRange)},
			{"waitlist_claim_min", "", settingsMsg(t, booking.MsgRequired)},
			{"waitlist_max", "501", settingsMsg(t, booking.MsgOutOfRange)},
			{"waitlist_max", "0", settingsMsg(t, booking.MsgOutOfRange)},
			{"waitlist_mode", "lottery", settingsMsg(t, booking.MsgInvalidMode)},
			{"message_channel", "pigeon", settingsMsg(t, booking.MsgInvalidMode)},
		} {
			form := waitlistSettingsForm()
			form.Set(tc.field, tc.value)
			r := c.post(settingsWaitlistPath, form)
			settingsRefused(t, r, tc.field, tc.msg)
			// What was typed comes back, to be corrected.
			if got := r.doc.Find("#gb-waitlist_claim_min").AttrOr("value", ""); got != form.Get("waitlist_claim_min") {
				t.Errorf("claim window shown back as %q, want %q", got, form.Get("waitlist_claim_min"))
			}
			loc, err := e.f.Store.Location(ctx, e.f.Location.ID)
			if err != nil {
				t.Fatal(err)
			}
			if loc.WaitlistSettings() != e.f.Location.WaitlistSettings() {
				t.Fatalf("%s=%q was refused but saved: %+v", tc.field, tc.value, loc.WaitlistSettings())
			}
		}

		// A good form is saved and shown back.
		r := c.post(settingsWaitlistPath, waitlistSettingsForm())
		settingsDoneTo(t, r, settingsWaitlistPath)
		loc, err := e.f.Store.Location(ctx, e.f.Location.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := booking.WaitlistSettings{WaitlistMode: booking.WaitlistFirstClaim, WaitlistClaimMin: 45, WaitlistMax: 8,
			MinAutoCancel: true, MessageChannel: booking.ChannelBoth, StaffEmailNotify: true}
		if got := loc.WaitlistSettings(); got != want {
			t.Fatalf("saved %+v, want %+v", got, want)
		}
		p = c.get(r.hdr.Get("Location"))
		settingsOK(t, p, "waitlist settings after save")
		if p.text(".gb-alert--success") == "" {
			t.Error("no success message after saving")
		}
		if p.doc.Find("#gb-min_auto_cancel[checked]").Length() != 1 || p.doc.Find("#gb-staff_email_notify[checked]").Length() != 1 ||
			p.doc.Find("#gb-waitlist_mode option[selected]").AttrOr("value", "") != "first_claim" ||
			p.doc.Find("#gb-message_channel option[selected]").AttrOr("value", "") != "both" {
			t.Error("the saved settings are not shown back")
		}
		// Unticked boxes turn the settings off; the location form never
		// touches them.
		off := waitlistSettingsForm()
		off.Del("min_auto_cancel")
		off.Del("staff_email_notify")
		settingsDoneTo(t, c.post(settingsWaitlistPath, off), settingsWaitlistPath)
		loc, _ = e.f.Store.Location(ctx, e.f.Location.ID)
		if loc.MinAutoCancel || loc.StaffEmailNotify {
			t.Error("unticked boxes stayed on")
		}
		// Hungarian page, Hungarian texts.
		if hu := c.get(settingsWaitlistPath + "?lang=hu"); hu.text("h1") != "Várólista és üzenetek" {
			t.Errorf("Hungarian title %q", hu.text("h1"))
		}
	})
}

func TestAdminServiceMinimum(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)
		path := "/admin/services/" + settingsID64(e.f.Yoga.ID) + "/edit"
		p := c.get(path)
		settingsOK(t, p, "service form")
		if got := p.doc.Find("#gb-min_attendees").AttrOr("value", "?"); got != "0" {
			t.Errorf("min_attendees shows %q", got)
		}
		if got := p.doc.Find("#gb-min_decide_hours").AttrOr("value", "?"); got != "3" {
			t.Errorf("min_decide_hours shows %q", got)
		}
		for _, tc := range []struct{ field, value, msg string }{
			{"min_attendees", "few", settingsMsg(t, "admin_settings_error_whole_number")},
			{"min_attendees", "-1", settingsMsg(t, booking.MsgOutOfRange)},
			{"min_decide_hours", "169", settingsMsg(t, booking.MsgOutOfRange)},
			{"min_decide_hours", "3h", settingsMsg(t, "admin_settings_error_whole_number")},
		} {
			form := settingsServiceForm("Yoga")
			form.Set(tc.field, tc.value)
			settingsRefused(t, c.post(path, form), tc.field, tc.msg)
			if svc, _ := e.f.Store.Service(ctx, e.f.Yoga.ID); svc.Name != "Yoga" || svc.DurationMin != 60 || svc.MinAttendees != 0 {
				t.Fatalf("%s=%q was refused but saved", tc.field, tc.value)
			}
		}
		form := settingsServiceForm("Yoga")
		form.Set("min_attendees", "4")
		form.Set("min_decide_hours", "6")
		settingsDoneTo(t, c.post(path, form), "/admin/services")
		svc, err := e.f.Store.Service(ctx, e.f.Yoga.ID)
		if err != nil {
			t.Fatal(err)
		}
		if svc.MinAttendees != 4 || svc.MinDecideHours != 6 {
			t.Fatalf("saved minimum %d, decide %d h", svc.MinAttendees, svc.MinDecideHours)
		}
		p = c.get(path)
		if p.doc.Find("#gb-min_attendees").AttrOr("value", "") != "4" || p.doc.Find("#gb-min_decide_hours").AttrOr("value", "") != "6" {
			t.Error("the saved minimum is not shown back")
		}
		// Empty fields: no minimum, the default decision time.
		form.Set("min_attendees", "")
		form.Set("min_decide_hours", "")
		settingsDoneTo(t, c.post(path, form), "/admin/services")
		if svc, _ = e.f.Store.Service(ctx, e.f.Yoga.ID); svc.MinAttendees != 0 || svc.MinDecideHours != booking.DefaultMinDecideHours {
			t.Errorf("empty fields saved minimum %d, decide %d h", svc.MinAttendees, svc.MinDecideHours)
		}
		if http.StatusOK != c.get("/admin/services/new").code {
			t.Error("the new service form does not render")
		}
	})
}
