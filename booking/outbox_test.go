package booking_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func outbox(t *testing.T, db *bun.DB) []booking.OutboxMessage {
	t.Helper()
	var out []booking.OutboxMessage
	if err := db.NewSelect().Model(&out).Order("id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

func enableSMS(t *testing.T, f *booktest.Fixture, reminderHours int) {
	t.Helper()
	if err := f.Store.SaveSMSSettings(context.Background(), &booking.SMSSettings{LocationID: f.Location.ID, Enabled: true, ReminderHours: reminderHours}); err != nil {
		t.Fatal(err)
	}
}

// TestOutboxWrittenWithChanges: every change that a client hears about
// writes its message in the same transaction; nothing when SMS is off.
func TestOutboxWrittenWithChanges(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 4, 10)
		if _, err := f.Store.Reserve(ctx, req(f, 1, 1, evs[3])); err != nil {
			t.Fatal(err)
		}
		if n := len(outbox(t, db)); n != 0 {
			t.Fatalf("%d messages with SMS off", n)
		}
		enableSMS(t, f, 36)
		r := req(f, 2, 2, evs[0], evs[1])
		r.Lang = "ru"
		res, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		msgs := outbox(t, db)
		// One "booked" for the request, a reminder per booking except the
		// first event's (tomorrow 18:00 UTC: 36 h before is already past).
		if len(msgs) != 2 || msgs[0].Kind != booking.SMSBooked || msgs[1].Kind != booking.SMSReminder {
			t.Fatalf("messages %+v", msgs)
		}
		booked := msgs[0]
		p, err := booked.DecodePayload()
		if err != nil {
			t.Fatal(err)
		}
		if booked.Phone != booktest.Client(2).Phone || booked.Lang != "ru" || p.Token != res.Group.Token || len(p.Items) != 2 ||
			p.Items[0].Service != "Yoga" || !p.Items[0].Start.Equal(evs[0].StartsAt) || p.Location != "Sunrise Yoga" || p.TimeZone != "Europe/Budapest" {
			t.Errorf("booked message %+v payload %+v", booked, p)
		}
		if want := evs[1].StartsAt.Add(-36 * time.Hour); !msgs[1].DueAt.Equal(want) || msgs[1].BookingID != res.Bookings[1].ID {
			t.Errorf("reminder due %v, want %v", msgs[1].DueAt, want)
		}
		// Cancel: a "cancelled" message and the reminder skipped.
		if _, err := f.Store.CancelByClient(ctx, res.Group.Token, res.Bookings[1].ID, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		msgs = outbox(t, db)
		if msgs[1].Status != booking.OutboxSkipped || msgs[2].Kind != booking.SMSCancelled || msgs[2].BookingID != res.Bookings[1].ID {
			t.Fatalf("after cancel: %+v", msgs)
		}
		if p, _ := msgs[2].DecodePayload(); p.By != booking.CancelledByClient {
			t.Errorf("cancelled by %q", p.By)
		}
		// Move: a "moved" message with the old time, and a new reminder.
		if _, err := f.Store.MoveBooking(ctx, res.Bookings[0].ID, evs[2].ID); err != nil {
			t.Fatal(err)
		}
		msgs = outbox(t, db)
		moved, rem := msgs[3], msgs[4]
		mp, _ := moved.DecodePayload()
		if moved.Kind != booking.SMSMoved || mp.From == nil || !mp.From.Equal(evs[0].StartsAt) || !mp.Items[0].Start.Equal(evs[2].StartsAt) {
			t.Errorf("moved %+v %+v", moved, mp)
		}
		if rem.Kind != booking.SMSReminder || !rem.DueAt.Equal(evs[2].StartsAt.Add(-36*time.Hour)) {
			t.Errorf("new reminder %+v", rem)
		}
		// The event's start changes: its reminders follow.
		later := evs[2].StartsAt.Add(3 * time.Hour)
		if _, err := f.Store.UpdateEvent(ctx, evs[2].ID, booking.EventInput{TeamMemberID: f.Sofie.ID, StartsAt: later}); err != nil {
			t.Fatal(err)
		}
		msgs = outbox(t, db)
		if msgs[4].Status != booking.OutboxSkipped || !msgs[len(msgs)-1].DueAt.Equal(later.Add(-36*time.Hour)) {
			t.Errorf("reminder not rescheduled: %+v", msgs[len(msgs)-1])
		}
		// Deleting the event tells its client, saying why.
		n := len(msgs)
		if _, err := f.Store.DeleteEvent(ctx, evs[2].ID); err != nil {
			t.Fatal(err)
		}
		msgs = outbox(t, db)
		last := msgs[len(msgs)-1]
		lp, _ := last.DecodePayload()
		if len(msgs) != n+1 || last.Kind != booking.SMSCancelled || lp.By != booking.CancelledByEventDeleted || msgs[n-1].Status != booking.OutboxSkipped {
			t.Errorf("after delete: %+v", msgs[n-1:])
		}
	})
}

// TestOutboxClaimLease: due messages are leased to one worker at a time,
// a lease that runs out frees them, and a stale worker cannot finish a
// message another worker took.
func TestOutboxClaimLease(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 0)
		evs := f.YogaEvents(t, 1, 100)
		for i := range 30 {
			if _, err := f.Store.Reserve(ctx, req(f, 100+i, 1, evs[0])); err != nil {
				t.Fatal(err)
			}
		}
		// Two workers claim concurrently: disjoint batches.
		var mu sync.Mutex
		seen := map[int64]string{}
		var wg sync.WaitGroup
		for _, owner := range []string{"a", "b", "c"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := f.Store.ClaimDue(ctx, owner, 20, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				for _, m := range got {
					if prev, dup := seen[m.ID]; dup {
						t.Errorf("message %d claimed by %s and %s", m.ID, prev, owner)
					}
					seen[m.ID] = owner
				}
			}()
		}
		wg.Wait()
		if len(seen) != 30 {
			t.Fatalf("%d of 30 claimed", len(seen))
		}
		if again, _ := f.Store.ClaimDue(ctx, "d", 50, time.Minute); len(again) != 0 {
			t.Errorf("leased messages claimed again: %d", len(again))
		}
		// The lease runs out: another worker takes them; the first can no
		// longer mark them.
		f.Now = f.Now.Add(2 * time.Minute)
		taken, _ := f.Store.ClaimDue(ctx, "e", 50, time.Minute)
		if len(taken) != 30 || taken[0].Attempts != 2 {
			t.Fatalf("after expiry: %d claimed, attempts %d", len(taken), taken[0].Attempts)
		}
		stale := taken[0]
		if err := f.Store.MarkSent(ctx, &stale, seen[stale.ID], "SMstale"); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.MarkSent(ctx, &taken[1], "e", "SM1"); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.MarkRetry(ctx, &taken[2], "e", f.Now.Add(time.Hour), "429 too many requests"); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.MarkFailed(ctx, &taken[3], "e", "21211 invalid number"); err != nil {
			t.Fatal(err)
		}
		msgs := outbox(t, db)
		byID := map[int64]booking.OutboxMessage{}
		for _, m := range msgs {
			byID[m.ID] = m
		}
		if m := byID[stale.ID]; m.Status != booking.OutboxPending || m.ProviderSID != "" {
			t.Errorf("a stale worker changed message %d: %+v", stale.ID, m)
		}
		if m := byID[taken[1].ID]; m.Status != booking.OutboxSent || m.ProviderSID != "SM1" || m.SentAt == nil {
			t.Errorf("sent: %+v", m)
		}
		if m := byID[taken[2].ID]; m.Status != booking.OutboxPending || m.LastError == "" || !m.NextAttemptAt.Equal(f.Now.Add(time.Hour)) {
			t.Errorf("retry: %+v", m)
		}
		if failed, _ := f.Store.FailedMessages(ctx, f.Location.ID, 10); len(failed) != 1 || failed[0].ID != taken[3].ID {
			t.Errorf("failed list: %+v", failed)
		}
		if err := f.Store.SetDeliveryStatus(ctx, "SM1", "undelivered", "30003"); err != nil {
			t.Fatal(err)
		}
		if failed, _ := f.Store.FailedMessages(ctx, f.Location.ID, 10); len(failed) != 2 {
			t.Errorf("undelivered not listed: %d", len(failed))
		}
		// A late, earlier report does not hide the failure.
		if err := f.Store.SetDeliveryStatus(ctx, "SM1", "sent", ""); err != nil {
			t.Fatal(err)
		}
		if failed, _ := f.Store.FailedMessages(ctx, f.Location.ID, 10); len(failed) != 2 {
			t.Errorf("a late 'sent' replaced 'undelivered': %d failed listed", len(failed))
		}
		if err := f.Store.SetDeliveryStatus(ctx, "SMnope", "delivered", ""); err == nil {
			t.Error("unknown sid accepted")
		}
	})
}

func TestRateAllow(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		for i := 1; i <= 4; i++ {
			ok, err := f.Store.RateAllow(ctx, "sms:+36201234567", 3, time.Hour)
			if err != nil || ok != (i <= 3) {
				t.Errorf("event %d: allowed %v (%v)", i, ok, err)
			}
		}
		last, err := f.Store.LastRateEvent(ctx, "sms:+36201234567")
		if err != nil || !last.Equal(f.Now) {
			t.Errorf("last %v %v", last, err)
		}
		if never, _ := f.Store.LastRateEvent(ctx, "nobody"); !never.IsZero() {
			t.Error("a key never used has a last time")
		}
		f.Now = f.Now.Add(time.Hour + time.Second)
		if ok, _ := f.Store.RateAllow(ctx, "sms:+36201234567", 3, time.Hour); !ok {
			t.Error("still limited after the window")
		}
	})
}
