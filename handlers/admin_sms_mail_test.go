package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestAdminMessagesShowChannel: with SMS and e-mail on, the event window
// lists a booking's message once per channel, and an e-mail that failed
// shows on the SMS page with its address, its channel and the reason.
func TestAdminMessagesShowChannel(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newAdminEnv(t, db)
		owner := e.signIn(ownerEmail)
		if err := e.f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: e.f.Location.ID, Enabled: true, ReminderHours: 0}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewUpdate().Table("locations").Set("message_channel = ?", booking.ChannelBoth).Where("id = ?", e.f.Location.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		ev := e.f.YogaEvents(t, 1, 10)[0]
		c := booktest.Client(3)
		c.Email = "anna@example.com"
		res, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: e.f.Location.ID, EventIDs: []int64{ev.ID}, Seats: 1, Client: c})
		if err != nil {
			t.Fatal(err)
		}
		w := owner.get("/admin/events/" + itoa64(ev.ID))
		items := w.doc.Find("#booking-" + itoa64(res.Bookings[0].ID) + " .ga-sms__list li")
		if items.Length() != 2 {
			t.Fatalf("%d messages in the event window, want SMS and e-mail: %q", items.Length(), items.Text())
		}
		var sms, email bool
		items.Each(func(_ int, li *goquery.Selection) {
			ch := li.Find(".ga-sms__channel")
			switch {
			case strings.TrimSpace(ch.Text()) == "by e-mail" && ch.HasClass("ga-sms__channel--email") && ch.AttrOr("title", "") == "anna@example.com":
				email = true
			case strings.TrimSpace(ch.Text()) == "by SMS":
				sms = true
			}
		})
		if !sms || !email {
			t.Errorf("channels in the event window: %q", items.Text())
		}
		// The e-mail fails for good: the SMS page lists it with its address.
		msgs, err := e.f.Store.ClaimDue(ctx, "test", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		for i := range msgs {
			if msgs[i].Channel == booking.ChannelEmail {
				if err := e.f.Store.MarkFailed(ctx, &msgs[i], "test", "smtp send: 550 5.1.1 No such user"); err != nil {
					t.Fatal(err)
				}
			}
		}
		p := owner.get("/admin/sms")
		row := p.doc.Find("#ga-sms-failed tbody tr")
		if row.Length() != 1 || !strings.Contains(row.Text(), "anna@example.com") || !strings.Contains(row.Text(), "by e-mail") ||
			!strings.Contains(row.Text(), "550 5.1.1 No such user") || !strings.Contains(row.Text(), "Booked") {
			t.Errorf("failed list: %q", row.Text())
		}
		if h := p.doc.Find("#ga-sms-failed thead").Text(); !strings.Contains(h, "To") {
			t.Errorf("failed list header %q", h)
		}
	})
}
