package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func intp(v int) *int { return &v }

// TestMinOverrideBeatsService: an event's own minimum wins over its
// service's both ways (a minimum where the service has none, none where it
// has one, a lower one); nil goes back to the service's; the override is
// checked at the field (0..capacity) and nothing is written when it is
// wrong.
func TestMinOverrideBeatsService(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		staffUser(t, f, "olga@sunrise.example")
		setMin(t, f, f.Yoga, 5, 3)
		setMin(t, f, f.Pilates, 0, 2)
		start := f.Now.Truncate(24*time.Hour).AddDate(0, 0, 1).Add(18 * time.Hour)
		create := func(svc *booking.Service, tm *booking.TeamMember, min *int) *booking.Event {
			t.Helper()
			ev, err := f.Store.CreateEvent(ctx, f.Location.ID, booking.EventInput{
				ServiceID: svc.ID, TeamMemberID: tm.ID, StartsAt: start, Capacity: intp(8), MinAttendees: min,
			})
			if err != nil {
				t.Fatal(err)
			}
			return ev
		}
		lower := create(f.Yoga, f.Sofie, intp(1)) // 1 booked: enough
		none := create(f.Yoga, f.Sofie, intp(0))  // no minimum at all
		own := create(f.Pilates, f.Marton, intp(2))
		plain := create(f.Yoga, f.Sofie, nil) // the service's 5
		for _, ev := range []*booking.Event{lower, none, own, plain} {
			if _, err := f.Store.Reserve(ctx, req(f, int(ev.ID), 1, ev)); err != nil {
				t.Fatal(err)
			}
		}
		for ev, want := range map[*booking.Event]int{lower: 1, none: 0, own: 2, plain: 5} {
			min, at, st, err := f.Store.MinAttendeesInfo(ctx, ev.ID)
			if err != nil || min != want || st != booking.MinUndecided {
				t.Fatalf("event %d: min %d state %q %v, want %d", ev.ID, min, st, err, want)
			}
			hours := 3
			if ev == own {
				hours = 2
			}
			if !at.Equal(start.Add(-time.Duration(hours) * time.Hour)) {
				t.Fatalf("event %d decided at %v", ev.ID, at)
			}
		}

		f.Now = start.Add(-2 * time.Hour)
		decide(t, f.Store, 3) // none has no minimum: nothing to decide
		want := map[*booking.Event]booking.MinState{lower: booking.MinOK, none: booking.MinUndecided, own: booking.MinWarned, plain: booking.MinWarned}
		for ev, w := range want {
			if s := minState(t, f, ev); s != w {
				t.Fatalf("event %d: %q, want %q", ev.ID, s, w)
			}
		}

		// The override is edited with the event; nil is the service's again.
		up, err := f.Store.UpdateEvent(ctx, lower.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, MinAttendees: intp(3)})
		if err != nil || up.MinAttendees == nil || *up.MinAttendees != 3 {
			t.Fatalf("update: %+v %v", up, err)
		}
		up, err = f.Store.UpdateEvent(ctx, lower.ID, booking.EventInput{TeamMemberID: f.Sofie.ID})
		if err != nil || up.MinAttendees != nil {
			t.Fatalf("update to the service's: %+v %v", up, err)
		}
		if min, _, _, _ := f.Store.MinAttendeesInfo(ctx, lower.ID); min != 5 {
			t.Fatalf("min %d after clearing the override, want the service's 5", min)
		}

		// Bad overrides: at the field, nothing written.
		count := countEvents(t, db)
		_, err = f.Store.CreateEvent(ctx, f.Location.ID, booking.EventInput{
			ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID, StartsAt: start, Capacity: intp(8), MinAttendees: intp(9),
		})
		wantField(t, err, "min_attendees", booking.MsgMinAboveCapacity)
		_, err = f.Store.CreateEventAt(ctx, f.Location.ID, booking.EventInput{
			ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID, MinAttendees: intp(-1),
		}, "2026-03-10", "18:00")
		wantField(t, err, "min_attendees", booking.MsgOutOfRange)
		if n := countEvents(t, db); n != count {
			t.Fatalf("%d events written by refused creates", n-count)
		}
		_, err = f.Store.UpdateEventAt(ctx, plain.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, MinAttendees: intp(9)}, "bad", "18:00")
		wantField(t, err, "min_attendees", booking.MsgMinAboveCapacity)
		_, err = f.Store.UpdateEvent(ctx, plain.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, MinAttendees: intp(9)})
		wantField(t, err, "min_attendees", booking.MsgMinAboveCapacity)
		if got, _ := f.Store.Event(ctx, plain.ID); got.MinAttendees != nil {
			t.Fatalf("refused update wrote the override %d", *got.MinAttendees)
		}
		_, _, err = f.Store.CreateSeries(ctx, f.Location.ID, booking.SeriesInput{
			ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID, Weekdays: booking.WeekdaySet(time.Tuesday),
			StartTime: "18:00", From: "2026-03-03", Until: "2026-03-31", Capacity: intp(4), MinAttendees: intp(5),
		})
		wantField(t, err, "min_attendees", booking.MsgMinAboveCapacity)
	})
}

// TestMinDecisionResetWhenMoved: moving a decided event to a new time
// (one event, or a series edit that shifts its events) makes its decision
// again at the new decision time; an edit that keeps the time keeps it.
// The series' override goes to every event it edits.
func TestMinDecisionResetWhenMoved(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		staffUser(t, f, "olga@sunrise.example")
		setMin(t, f, f.Yoga, 3, 3)
		ev := f.YogaEvents(t, 1, 10)[0]
		f.Now = ev.StartsAt.Add(-2 * time.Hour)
		decide(t, f.Store, 1)
		if s := minState(t, f, ev); s != booking.MinWarned {
			t.Fatalf("state %q", s)
		}
		// Same time, another comment: still decided.
		if _, err := f.Store.UpdateEvent(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, Comment: "mats"}); err != nil {
			t.Fatal(err)
		}
		if s := minState(t, f, ev); s != booking.MinWarned {
			t.Fatalf("an edit keeping the time reset the decision: %q", s)
		}
		later := ev.StartsAt.AddDate(0, 0, 7)
		if _, err := f.Store.UpdateEvent(ctx, ev.ID, booking.EventInput{TeamMemberID: f.Sofie.ID, StartsAt: later}); err != nil {
			t.Fatal(err)
		}
		if s := minState(t, f, ev); s != booking.MinUndecided {
			t.Fatalf("moved event keeps the decision %q", s)
		}
		decide(t, f.Store, 0)
		f.Now = later.Add(-3 * time.Hour)
		decide(t, f.Store, 1)
		if rows, _ := messagesOf(t, db, booking.MsgStaffMinWarning); len(rows) != 2 {
			t.Fatalf("%d warnings, want one per decision", len(rows))
		}

		// A series: every Tuesday of March 2026, 18:00 Budapest.
		f.Now = booktest.Now
		_, evs, err := f.Store.CreateSeries(ctx, f.Location.ID, booking.SeriesInput{
			ServiceID: f.Yoga.ID, TeamMemberID: f.Sofie.ID, Weekdays: booking.WeekdaySet(time.Tuesday),
			StartTime: "18:00", From: "2026-03-03", Until: "2026-03-31", MinAttendees: intp(2),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 5 || evs[0].MinAttendees == nil || *evs[0].MinAttendees != 2 {
			t.Fatalf("series events %+v", evs)
		}
		f.Now = evs[0].StartsAt.Add(-time.Hour)
		decide(t, f.Store, 1)
		// Moved to 19:00 from the first event on, minimum 1 for all.
		changed, err := f.Store.UpdateSeriesFrom(ctx, evs[0].ID, booking.EventInput{TeamMemberID: f.Sofie.ID, MinAttendees: intp(1)}, "2026-03-03", "19:00")
		if err != nil || len(changed) != 5 {
			t.Fatalf("series edit: %d %v", len(changed), err)
		}
		for _, e := range changed {
			got, err := f.Store.Event(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.MinState != booking.MinUndecided || got.MinAttendees == nil || *got.MinAttendees != 1 {
				t.Fatalf("event %d after the series edit: %q %v", got.ID, got.MinState, got.MinAttendees)
			}
		}
		// Same clock again: the decision made since stays.
		f.Now = changed[0].StartsAt.Add(-time.Hour)
		decide(t, f.Store, 1)
		if _, err := f.Store.UpdateSeriesFrom(ctx, evs[0].ID, booking.EventInput{TeamMemberID: f.Sofie.ID, MinAttendees: intp(1), Comment: "bring a mat"}, "2026-03-03", "19:00"); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.Store.Event(ctx, evs[0].ID); got.MinState != booking.MinWarned {
			t.Fatalf("an edit keeping the time reset the decision: %q", got.MinState)
		}
	})
}

// TestMinCreatedInsideWindow: an event put on the schedule after its own
// decision time runs (staff created it knowing how few had booked); it is
// not called off a minute later.
func TestMinCreatedInsideWindow(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		waitSettings(t, f, true, false)
		setMin(t, f, f.Yoga, 3, 3)
		ev := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(2*time.Hour), 10)
		decide(t, f.Store, 1)
		got, err := f.Store.Event(context.Background(), ev.ID)
		if err != nil || got.DeletedAt != nil || got.MinState != booking.MinOK {
			t.Fatalf("event created inside its window: %+v %v", got, err)
		}
	})
}

// TestMinCountsHeldBookings: seats held for an online payment under way
// count toward the minimum (their client may still pay); cancelled
// bookings do not.
func TestMinCountsHeldBookings(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		waitSettings(t, f, true, false)
		setMin(t, f, f.Yoga, 3, 3)
		first := f.YogaEvents(t, 1, 10)[0]
		evs := []*booking.Event{first, f.Event(t, f.Yoga, f.Sofie, first.StartsAt.Add(-time.Hour), 10)}
		hold(t, f, 1, 2, evs[0])
		if _, err := f.Store.Reserve(ctx, req(f, 2, 1, evs[0])); err != nil {
			t.Fatal(err)
		}
		gone, err := f.Store.Reserve(ctx, req(f, 3, 2, evs[1]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Reserve(ctx, req(f, 4, 1, evs[1])); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.CancelByAdmin(ctx, gone.Bookings[0].ID); err != nil {
			t.Fatal(err)
		}
		f.Now = evs[0].StartsAt.Add(-3 * time.Hour)
		decide(t, f.Store, 2)
		if s := minState(t, f, evs[0]); s != booking.MinOK {
			t.Fatalf("2 held + 1 booked of 3: %q", s)
		}
		if s := minState(t, f, evs[1]); s != booking.MinCancelled {
			t.Fatalf("1 booked (2 cancelled) of 3: %q", s)
		}
	})
}
