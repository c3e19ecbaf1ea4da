package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// postFrom submits a widget form from the client address ip.
func (e *widgetEnv) postFrom(ip, path string, form url.Values) *page {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.RemoteAddr = ip + ":40000"
	return e.do(req)
}

func enableSMSFor(t *testing.T, f *booktest.Fixture) {
	t.Helper()
	if err := f.Store.SaveSMSSettings(context.Background(), &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true}); err != nil {
		t.Fatal(err)
	}
}

// TestWidgetSMSLimitByAddress: the client's address reaches the core from
// the booking form and from the manage page's Cancel, and the messages it
// causes count against it; the bookings themselves go through.
func TestWidgetSMSLimitByAddress(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		enableSMSFor(t, e.f)
		limits := booking.DefaultSMSLimits()
		limits.AddressHour = 2
		e.f.Store.SMSLimits = &limits
		evs := e.f.YogaEvents(t, 3, 10)
		book := func(ip, phone string, ev *booking.Event) string {
			t.Helper()
			form := contact(e.contactForm(ev, "1").hidden("s"))
			form.Set("phone", phone)
			r := e.postFrom(ip, "/w/sunrise/book", form)
			if r.code != http.StatusSeeOther {
				t.Fatalf("book from %s: %d", ip, r.code)
			}
			u, _ := url.Parse(r.hdr.Get("Location"))
			return u.Path
		}
		manage := book("203.0.113.5", "+36201110001", evs[0])
		id := manageBookingIDs(e.get(manage))[0]
		if r := e.postFrom("203.0.113.5", manage+"/cancel", url.Values{"booking": {id}, "confirm": {"1"}}); r.code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", r.code)
		}
		book("203.0.113.5", "+36201110002", evs[1])
		book("198.51.100.9", "+36201110003", evs[2])
		var msgs []booking.OutboxMessage
		if err := db.NewSelect().Model(&msgs).Order("id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		got := make([]string, len(msgs))
		for i, m := range msgs {
			got[i] = m.Kind + " " + m.Status + " " + m.LastError
		}
		want := []string{"booked pending ", "cancelled pending ", "booked suppressed limit:address:hour", "booked pending "}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("messages %q, want %q", got, want)
		}
		if e.bookings() != 3 {
			t.Errorf("%d bookings: a limit refused a booking", e.bookings())
		}
	})
}

// TestWidgetPhoneCountry: with SMS on, a phone from a country the studio
// does not take is refused at the phone field, localised, and nothing is
// written.
func TestWidgetPhoneCountry(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWidgetEnv(t, db)
		enableSMSFor(t, e.f)
		evs := e.f.YogaEvents(t, 1, 10)
		for lang, text := range map[string]string{"en": "does not take phone numbers from this country", "ru": "не принимает номера телефонов"} {
			form := contact(e.contactFormWith(url.Values{"lang": {lang}}, evs[0], "1").hidden("s"))
			form.Set("phone", "+1 202 555 0143")
			r := e.post("/w/sunrise/book?lang="+lang, form)
			if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.text("#gb-phone-error"), text) {
				t.Errorf("%s: %d %q", lang, r.code, r.text("#gb-phone-error"))
			}
		}
		n, err := db.NewSelect().Model((*booking.Client)(nil)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if e.bookings() != 0 || n != 0 {
			t.Errorf("refused bookings wrote %d bookings, %d clients", e.bookings(), n)
		}
	})
}

// TestAdminSMSLimitsPage: the sender and the phone countries are checked
// at their fields; what the limits held back is counted by reason, and
// the event window says why a message was not sent.
func TestAdminSMSLimitsPage(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newAdminEnv(t, db)
		owner := e.signIn(ownerEmail)
		form := func(sender, countries string) url.Values {
			return url.Values{"enabled": {"on"}, "reminder_hours": {"0"}, "sender": {sender}, "phone_countries": {countries}}
		}
		for _, tc := range []struct{ sender, countries, field, text string }{
			{"Sunrise Yoga Studio", "", "#gb-sender-error", "up to 11 letters"},
			{"+0036201234567", "", "#gb-sender-error", "international format"},
			{"Yoga&Co", "", "#gb-sender-error", "at least one letter"},
			{"Sunrise", "HU, Hungary", "#gb-phone_countries-error", "two-letter country codes"},
			{"Sunrise", "XX", "#gb-phone_countries-error", "two-letter country codes"},
		} {
			r := owner.post("/admin/sms", form(tc.sender, tc.countries))
			if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.text(tc.field), tc.text) {
				t.Errorf("%q %q: %d %q", tc.sender, tc.countries, r.code, r.text(tc.field))
			}
			if v, _ := r.doc.Find("#gb-phone_countries").Attr("value"); v != tc.countries {
				t.Errorf("typed countries not shown back: %q", v)
			}
		}
		if st, _ := e.f.Store.SMSSettings(ctx, e.f.Location.ID); st.Enabled {
			t.Fatal("a refused form was saved")
		}
		if r := owner.post("/admin/sms", form("+36201234567", "hu, at")); r.code != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.code, r.text(".gb-error"))
		}
		p := owner.get("/admin/sms")
		if v, _ := p.doc.Find("#gb-phone_countries").Attr("value"); v != "AT, HU" || !strings.Contains(p.text("#gb-phone_countries-hint"), "Austria, Hungary") {
			t.Errorf("countries %q, hint %q", v, p.text("#gb-phone_countries-hint"))
		}
		if !strings.Contains(p.text("main"), "Nothing held back") {
			t.Errorf("no suppressed messages yet: %q", p.text("main"))
		}

		// A client books twice within the hour through the widget: the
		// second message is held back.
		limits := booking.DefaultSMSLimits()
		limits.PhoneHour = 1
		e.f.Store.SMSLimits = &limits
		evs := e.f.YogaEvents(t, 2, 10)
		var last *booking.Reservation
		for _, ev := range evs {
			res, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{
				LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: []int64{ev.ID}, Seats: 1,
				Client: booktest.Client(5), ClientIP: "192.0.2.50",
			})
			if err != nil {
				t.Fatal(err)
			}
			last = res
		}
		p = owner.get("/admin/sms")
		var cells []string
		p.doc.Find("#ga-sms-suppressed tbody td").Each(func(_ int, td *goqSel) { cells = append(cells, td.Text()) })
		if strings.Join(cells, "|") != "Limit per phone number: 1 per hour|1|1" {
			t.Errorf("suppressed table %q", cells)
		}
		w := owner.get("/admin/events/" + itoa64(evs[1].ID))
		line := w.doc.Find("#booking-" + itoa64(last.Bookings[0].ID) + " .ga-sms")
		if !strings.Contains(line.Text(), "not sent") || !strings.Contains(line.Text(), "Limit per phone number: 1 per hour") {
			t.Errorf("event window: %q", strings.Join(strings.Fields(line.Text()), " "))
		}
		// Every language names the reason.
		for _, lang := range []string{"hu", "pt", "ru", "uk"} {
			r := owner.get("/admin/sms?lang=" + lang)
			if reason := r.text("#ga-sms-suppressed tbody td:first-child"); r.code != 200 || !strings.Contains(reason, "1") || strings.Contains(reason, "limit:") {
				t.Errorf("%s: %d %q", lang, r.code, reason)
			}
		}
	})
}

// TestAdminCodesPausedAlert: while the breaker holds codes back, the admin
// home and the SMS page say since when, why and until when; afterwards
// the alert is gone.
func TestAdminCodesPausedAlert(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newAdminEnv(t, db)
		owner, staff := e.signIn(ownerEmail), e.signIn(staffEmail)
		if p := owner.get("/admin"); p.doc.Find(".gb-alert--error").Length() != 0 {
			t.Fatalf("alert before any pause: %q", p.text(".gb-alert--error"))
		}
		err := e.f.Store.TakeCodeSend(ctx, nil, booking.CodeBreaker{Sends: 0, Window: 10 * time.Minute, Pause: 30 * time.Minute})
		if !strings.Contains(err.Error(), "paused") {
			t.Fatalf("trip: %v", err)
		}
		// 09:00 UTC is 10:00 in Budapest.
		for name, p := range map[string]*page{"owner home": owner.get("/admin"), "staff home": staff.get("/admin"), "sms page": owner.get("/admin/sms")} {
			alert := p.text(".gb-alert--error")
			if !strings.Contains(alert, "Confirmation codes are paused") || !strings.Contains(alert, "10:00") || !strings.Contains(alert, "10:30") || !strings.Contains(alert, "10 min") {
				t.Errorf("%s: %q", name, alert)
			}
		}
		if p := owner.get("/admin?lang=uk"); !strings.Contains(p.text(".gb-alert--error"), "призупинено") {
			t.Errorf("uk: %q", p.text(".gb-alert--error"))
		}
		e.f.Now = e.f.Now.Add(31 * time.Minute)
		if p := owner.get("/admin"); p.doc.Find(".gb-alert--error").Length() != 0 {
			t.Errorf("alert after the pause: %q", p.text(".gb-alert--error"))
		}
	})
}
