package booking_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/payments"
)

// TestMinAttendeesWarnedAtDecisionTime: nothing is decided before an
// event's decision time; at it, an event below its minimum (the location
// not cancelling automatically) is marked warned and every staff user with
// an e-mail gets one warning e-mail, whatever the staff-notice setting,
// while its bookings, seats and clients are left alone; an event at its
// minimum is ok; a second sweep decides nothing again.
func TestMinAttendeesWarnedAtDecisionTime(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 0)
		staffUser(t, f, "olga@sunrise.example")
		setMin(t, f, f.Yoga, 3, 3)
		evs := f.YogaEvents(t, 2, 10) // tomorrow 18:00 UTC, and the day after
		short, full := evs[0], evs[1]
		if _, err := f.Store.Reserve(ctx, req(f, 1, 2, short)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Reserve(ctx, req(f, 2, 3, full)); err != nil {
			t.Fatal(err)
		}
		if at := decideTime(t, f, short); !at.Equal(short.StartsAt.Add(-3 * time.Hour)) {
			t.Fatalf("decided at %v, want 3 h before %v", at, short.StartsAt)
		}
		before := len(outbox(t, db))

		decide(t, f.Store, 0)
		f.Now = short.StartsAt.Add(-3*time.Hour - time.Minute)
		decide(t, f.Store, 0)
		if s := minState(t, f, short); s != booking.MinUndecided {
			t.Fatalf("decided a minute early: %q", s)
		}

		f.Now = short.StartsAt.Add(-3 * time.Hour)
		decide(t, f.Store, 1)
		if s := minState(t, f, short); s != booking.MinWarned {
			t.Fatalf("state %q, want warned", s)
		}
		if s := minState(t, f, full); s != booking.MinUndecided {
			t.Fatalf("the next day's event decided early: %q", s)
		}
		rows, ps := messagesOf(t, db, booking.MsgStaffMinWarning)
		if len(rows) != 1 || rows[0].Channel != booking.ChannelEmail || rows[0].Email != "olga@sunrise.example" || rows[0].Phone != "" ||
			rows[0].Status != booking.OutboxPending || rows[0].Lang != "en" {
			t.Fatalf("staff warnings %+v", rows)
		}
		p := ps[0]
		if p.Staff == nil || p.Staff.EventID != short.ID || p.Staff.Booked != 2 || p.Staff.Min != 3 ||
			len(p.Items) != 1 || p.Items[0].Service != "Yoga" || !p.Items[0].Start.Equal(short.StartsAt) || p.Location != "Sunrise Yoga" {
			t.Fatalf("warning payload %+v %+v", p, p.Staff)
		}
		// Nothing else changed: the class runs unless staff call it off.
		if got := len(outbox(t, db)); got != before+1 {
			t.Fatalf("%d messages queued, want only the warning", got-before)
		}
		if n := seatsTaken(t, f, short); n != 2 {
			t.Fatalf("seats taken %d", n)
		}
		bs, err := f.Store.EventBookings(ctx, short.ID)
		if err != nil || len(bs) != 1 || bs[0].Status == booking.StatusCancelled {
			t.Fatalf("bookings %+v %v", bs, err)
		}

		decide(t, f.Store, 0)
		f.Now = full.StartsAt.Add(-3 * time.Hour)
		decide(t, f.Store, 1)
		if s := minState(t, f, full); s != booking.MinOK {
			t.Fatalf("event at its minimum: %q", s)
		}
		if rows, _ := messagesOf(t, db, booking.MsgStaffMinWarning); len(rows) != 1 {
			t.Fatalf("%d warnings after an ok event", len(rows))
		}
		invariant(t, db)
	})
}

// TestMinAttendeesAutoCancel: with auto-cancel on, an event below its
// minimum at its decision time is called off like a deleted one, run by
// the job worker's sweep: its bookings cancelled by min_attendees, a pass's
// visits back, an online payment refunded in full (a refund queued with its
// job), each client told with By=min_attendees, the event off the
// schedule. Another event of the day is untouched.
func TestMinAttendeesAutoCancel(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 0)
		waitSettings(t, f, true, false)
		setMin(t, f, f.Yoga, 5, 3)
		evs := f.YogaEvents(t, 2, 10)
		ev, other := evs[0], evs[1]

		cl := passClient(t, f, 1)
		p := withBalance(t, f, cl, 10)
		if _, err := f.Store.Reserve(ctx, passReq(f, 1, p, 2, ev)); err != nil {
			t.Fatal(err)
		}
		paid, c := paidGroup(t, f, 2, 1, ev)
		if _, err := f.Store.Reserve(ctx, req(f, 3, 1, other)); err != nil {
			t.Fatal(err)
		}
		if got := reloadPass(t, f, p).Balance; got != 8 {
			t.Fatalf("pass balance %d after booking 2 seats", got)
		}

		w := &payments.Worker{Store: f.Store}
		if err := f.Store.EnsureCoreJobs(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if s := minState(t, f, ev); s != booking.MinUndecided {
			t.Fatalf("decided before its time: %q", s)
		}
		f.Now = ev.StartsAt.Add(-3 * time.Hour).Add(30 * time.Second)
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}

		got, err := f.Store.Event(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.DeletedAt == nil || got.MinState != booking.MinCancelled || got.SeatsTaken != 0 {
			t.Fatalf("event after the sweep: deleted %v state %q seats %d", got.DeletedAt, got.MinState, got.SeatsTaken)
		}
		bs, err := f.Store.EventBookings(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) != 2 {
			t.Fatalf("bookings %+v", bs)
		}
		for _, b := range bs {
			if b.Status != booking.StatusCancelled || b.CancelledBy != booking.CancelledByMinAttendees {
				t.Fatalf("booking %d: %s by %q", b.ID, b.Status, b.CancelledBy)
			}
		}
		if got := reloadPass(t, f, p).Balance; got != 10 {
			t.Fatalf("pass balance %d, want the 2 visits back", got)
		}
		rs := refunds(t, db)
		if len(rs) != 1 || rs[0].BookingID != bookingsOf(t, db, paid.Group.ID)[0].ID || rs[0].AmountMinor != 350000 ||
			rs[0].OnlinePaymentID != c.Payment.ID || rs[0].Reason != booking.RefundEventDeleted {
			t.Fatalf("refunds %+v", rs)
		}
		if j := jobByKey(t, f, fmt.Sprintf("refund:%d", rs[0].ID)); j.Kind != booking.JobRefund {
			t.Fatalf("refund job %+v", j)
		}
		rows, ps := messagesOf(t, db, booking.SMSCancelled)
		if len(rows) != 2 {
			t.Fatalf("cancelled messages %+v", rows)
		}
		for i, p := range ps {
			if p.By != booking.CancelledByMinAttendees || len(p.Items) != 1 || !p.Items[0].Start.Equal(ev.StartsAt) {
				t.Fatalf("cancelled message %d payload %+v", rows[i].ID, p)
			}
		}
		if s := minState(t, f, other); s != booking.MinUndecided || seatsTaken(t, f, other) != 1 {
			t.Fatalf("the other event: %q, %d seats", s, seatsTaken(t, f, other))
		}
		// The sweep stays scheduled a minute on.
		if j := jobByKey(t, f, booking.MinAttendeesSweepKey); j.Status != booking.JobPending || !j.RunAt.Equal(f.Now.Add(booking.MinAttendeesSweepEvery)) {
			t.Fatalf("sweep job %+v", j)
		}
		invariant(t, db)
	})
}

// TestMinAttendeesOnceAcrossSweeps: two server processes sweeping at once
// (two pools on one database, several sweeps each) decide every event
// once: each client hears of the cancel once, staff are warned once, and
// seats never go wrong.
func TestMinAttendeesOnceAcrossSweeps(t *testing.T) {
	for _, kind := range []string{booktest.SQLite, booktest.Postgres} {
		for _, auto := range []bool{true, false} {
			name := kind + "/warn"
			if auto {
				name = kind + "/cancel"
			}
			t.Run(name, func(t *testing.T) {
				a, b := booktest.OpenTwo(t, kind)
				ctx := context.Background()
				f := booktest.Seed(t, a)
				enableSMS(t, f, 0)
				staffUser(t, f, "olga@sunrise.example")
				waitSettings(t, f, auto, false)
				setMin(t, f, f.Yoga, 4, 3)
				// Three events a minute apart, each one short of its minimum.
				start := f.Now.Truncate(24*time.Hour).AddDate(0, 0, 1).Add(18 * time.Hour)
				var evs []*booking.Event
				for i := range 3 {
					ev := f.Event(t, f.Yoga, f.Sofie, start.Add(time.Duration(i)*time.Minute), 10)
					evs = append(evs, ev)
					for n := range 2 {
						if _, err := f.Store.Reserve(ctx, req(f, 10*i+n+1, 1, ev)); err != nil {
							t.Fatal(err)
						}
					}
				}
				f.Now = start.Add(-2 * time.Hour)
				second := booking.NewStore(b)
				second.Now = f.Store.Now

				var wg sync.WaitGroup
				var mu sync.Mutex
				total := 0
				var errs []error
				for i := range 6 {
					st := f.Store
					if i%2 == 1 {
						st = second
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						n, err := st.DecideMinAttendees(ctx)
						mu.Lock()
						defer mu.Unlock()
						total += n
						errs = append(errs, err)
					}()
				}
				wg.Wait()
				if err := errors.Join(errs...); err != nil {
					t.Fatal(err)
				}
				if total != 3 {
					t.Fatalf("%d decisions in all, want 3", total)
				}
				cancelled, _ := messagesOf(t, a, booking.SMSCancelled)
				warned, _ := messagesOf(t, a, booking.MsgStaffMinWarning)
				want := booking.MinWarned
				if auto {
					want = booking.MinCancelled
					if len(cancelled) != 6 || len(warned) != 0 {
						t.Fatalf("%d cancelled messages (want 6), %d warnings", len(cancelled), len(warned))
					}
				} else if len(cancelled) != 0 || len(warned) != 3 {
					t.Fatalf("%d cancelled messages, %d warnings (want 3)", len(cancelled), len(warned))
				}
				for _, ev := range evs {
					if s := minState(t, f, ev); s != want {
						t.Fatalf("event %d: %q, want %q", ev.ID, s, want)
					}
				}
				if bad := booktest.Invariant(t, a); len(bad) > 0 {
					t.Fatal(bad)
				}
			})
		}
	}
}
