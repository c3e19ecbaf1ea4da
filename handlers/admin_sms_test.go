package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestAdminSMSSettingsAndMessages(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newAdminEnv(t, db)
		owner := e.signIn(ownerEmail)
		p := owner.get("/admin/sms")
		if p.code != 200 || p.doc.Find(`input[name=enabled][checked]`).Length() != 0 {
			t.Fatalf("SMS page: %d", p.code)
		}
		bad := owner.post("/admin/sms", url.Values{"enabled": {"on"}, "reminder_hours": {"200"}})
		if bad.code != http.StatusUnprocessableEntity || bad.text("#gb-reminder_hours-error") == "" {
			t.Errorf("reminder 200 h: %d %q", bad.code, bad.text("#gb-reminder_hours-error"))
		}
		if st, _ := e.f.Store.SMSSettings(ctx, e.f.Location.ID); st.Enabled {
			t.Fatal("a refused form was saved")
		}
		if r := owner.post("/admin/sms", url.Values{"enabled": {"on"}, "reminder_hours": {"12"}, "sender": {"Sunrise"}}); r.code != http.StatusSeeOther {
			t.Fatalf("save: %d", r.code)
		}
		st, _ := e.f.Store.SMSSettings(ctx, e.f.Location.ID)
		if !st.Enabled || st.ReminderHours != 12 || st.Sender != "Sunrise" {
			t.Errorf("saved %+v", st)
		}
		// A booking now writes messages; the event window lists them.
		evs := e.f.YogaEvents(t, 1, 10)
		res, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, EventIDs: []int64{evs[0].ID}, Seats: 1, Client: booktest.Client(3)})
		if err != nil {
			t.Fatal(err)
		}
		w := owner.get("/admin/events/" + itoa64(evs[0].ID))
		row := w.doc.Find("#booking-" + itoa64(res.Bookings[0].ID))
		if !strings.Contains(row.Find(".ga-sms").Text(), "Booked") || !strings.Contains(row.Find(".ga-sms").Text(), "waiting") {
			t.Errorf("event window messages: %q", row.Find(".ga-sms").Text())
		}
		// A permanent failure shows on the SMS page.
		msgs, err := e.f.Store.ClaimDue(ctx, "test", 10, time.Minute)
		if err != nil || len(msgs) == 0 {
			t.Fatalf("claim: %v %d", err, len(msgs))
		}
		if err := e.f.Store.MarkFailed(ctx, &msgs[0], "test", "21211 invalid number"); err != nil {
			t.Fatal(err)
		}
		p = owner.get("/admin/sms")
		if !strings.Contains(p.text(".ga-table"), "21211 invalid number") {
			t.Errorf("failed list: %q", p.text("main"))
		}
		// Staff may not change SMS settings.
		if r := e.signIn(staffEmail).get("/admin/sms"); r.code != http.StatusForbidden {
			t.Errorf("staff: %d", r.code)
		}
	})
}
