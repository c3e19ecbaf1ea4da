package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestWorkerSMSLimits: the worker never sends a suppressed message, a
// message whose country was dropped after it was queued is suppressed at
// send time, and old rate events are pruned.
func TestWorkerSMSLimits(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newWorkerEnv(t, db, booking.SMSSettings{ReminderHours: 0, PhoneCountries: "HU,US"})
		limits := booking.DefaultSMSLimits()
		limits.PhoneHour = 1
		e.f.Store.SMSLimits = &limits
		evs := e.f.YogaEvents(t, 3, 10)
		book := func(phone string, ev *booking.Event) {
			t.Helper()
			_, err := e.f.Store.Reserve(ctx, booking.ReserveRequest{
				LocationID: e.f.Location.ID, Link: e.f.Link, EventIDs: []int64{ev.ID}, Seats: 1,
				Client: booking.ClientInput{Phone: phone, FirstName: "Ann"}, ClientIP: "192.0.2.1",
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		book(booktest.Client(1).Phone, evs[0])
		book(booktest.Client(1).Phone, evs[1]) // over the phone's hourly limit
		book("+12025550143", evs[2])           // the US, allowed when queued
		// An old count, from before the limits' longest window.
		e.f.Now = e.f.Now.Add(-72 * time.Hour)
		if _, err := e.f.Store.RateAllow(ctx, "code-send:+36201000001", 3, time.Hour); err != nil {
			t.Fatal(err)
		}
		e.f.Now = e.f.Now.Add(72 * time.Hour)

		st, _ := e.f.Store.SMSSettings(ctx, e.f.Location.ID)
		st.PhoneCountries = "HU"
		if err := e.f.Store.SaveSMSSettings(ctx, st); err != nil {
			t.Fatal(err)
		}
		if _, err := e.worker(t, "w").RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, m := range e.outbox(t) {
			got[m.Phone+" "+m.Status] = m.LastError
		}
		want := map[string]string{
			booktest.Client(1).Phone + " sent":       "",
			booktest.Client(1).Phone + " suppressed": "limit:phone:hour",
			"+12025550143 suppressed":                "country:US",
		}
		if len(got) != len(want) {
			t.Fatalf("outbox %v, want %v", got, want)
		}
		for k, v := range want {
			if r, ok := got[k]; !ok || r != v {
				t.Errorf("%s: %q (outbox %v)", k, r, got)
			}
		}
		if msgs := e.fake.Messages(); len(msgs) != 1 || msgs[0].To != booktest.Client(1).Phone {
			t.Errorf("Twilio got %+v", msgs)
		}
		if n, err := e.f.Store.RateCount(ctx, "code-send:+36201000001", 7*24*time.Hour); err != nil || n != 0 {
			t.Errorf("an old rate event survived the prune: %d %v", n, err)
		}
		if n, err := e.f.Store.RateCount(ctx, "sms:phone:"+booktest.Client(1).Phone, time.Hour); err != nil || n != 1 {
			t.Errorf("a current rate event was pruned: %d %v", n, err)
		}
	})
}
