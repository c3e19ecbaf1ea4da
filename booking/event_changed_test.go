package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// bookingNow reads a booking as it is in the database.
func bookingNow(t *testing.T, f *booktest.Fixture, id int64) *booking.Booking {
	t.Helper()
	b, err := f.Store.Booking(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// remindersOf lists a booking's reminders by status.
func remindersOf(t *testing.T, db *bun.DB, bookingID int64) map[string][]booking.OutboxMessage {
	t.Helper()
	var rows []booking.OutboxMessage
	err := db.NewSelect().Model(&rows).Where("booking_id = ? AND kind = ?", bookingID, booking.SMSReminder).Order("id").Scan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]booking.OutboxMessage{}
	for _, r := range rows {
		out[r.Status] = append(out[r.Status], r)
	}
	return out
}

// TestSeriesEditTellsClients is the test that would have caught a series
// edit leaving reminders at the old time and telling no one: moving a
// series from its third event on to 19:00 with another team member sends
// each booked client ONE "changed" message listing all their changed
// bookings (old time, old and new team member), raises every changed
// booking's SEQUENCE, moves every reminder, and leaves the earlier events'
// clients and a cancelled booking alone.
func TestSeriesEditTellsClients(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.AlsoRuns(t, f.Marton, f.Yoga) // the edits below move Yoga events to him
		enableSMS(t, f, 24)
		evs := tueThuSeries(t, f)
		ev := func(i int) *booking.Event { return &evs[i] }

		// Client 1: two dates in one booking and a third in another.
		r := req(f, 1, 1, ev(2), ev(3))
		r.Lang = "hu"
		first, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		second := mustReserve(t, f, req(f, 1, 1, ev(5)))
		// Client 2: two seats on one date.
		other := mustReserve(t, f, req(f, 2, 2, ev(3)))
		// Client 3: before the edited event, so untouched.
		early := mustReserve(t, f, req(f, 3, 1, ev(1)))
		// Client 4: booked and cancelled: not told.
		gone := mustReserve(t, f, req(f, 4, 1, ev(4)))
		cancelAdmin(t, f, gone.Bookings[0])
		before := len(outbox(t, db))

		edit, err := f.Store.EditSeriesFrom(ctx, evs[2].ID, booking.EventInput{TeamMemberID: f.Marton.ID}, "2026-03-24", "19:00")
		if err != nil {
			t.Fatal(err)
		}
		if edit.Told != 2 || len(edit.Events) != 6 {
			t.Fatalf("told %d clients of %d events, want 2 of 6", edit.Told, len(edit.Events))
		}
		msgs, payloads := messagesOf(t, db, booking.SMSChanged)
		if len(msgs) != 2 {
			t.Fatalf("%d changed messages, want one per client (2)", len(msgs))
		}
		byPhone := map[string]int{}
		for i, m := range msgs {
			byPhone[m.Phone] = i
			if m.Status != booking.OutboxPending || m.Channel != booking.ChannelSMS || !m.DueAt.Equal(f.Now) {
				t.Errorf("message %+v", m)
			}
		}
		i1, ok1 := byPhone[booktest.Client(1).Phone]
		i2, ok2 := byPhone[booktest.Client(2).Phone]
		if !ok1 || !ok2 {
			t.Fatalf("messages went to %v", byPhone)
		}
		m1, p1 := msgs[i1], payloads[i1]
		if m1.Lang != "hu" || m1.GroupID != first.Group.ID || m1.BookingID != 0 || p1.Token != first.Group.Token {
			t.Errorf("client 1 message %+v token %q", m1, p1.Token)
		}
		wantIDs := []int64{first.Bookings[0].ID, first.Bookings[1].ID, second.Bookings[0].ID}
		oldStarts := []time.Time{evs[2].StartsAt, evs[3].StartsAt, evs[5].StartsAt}
		if len(p1.Items) != 3 {
			t.Fatalf("client 1 told of %d bookings, want 3: %+v", len(p1.Items), p1.Items)
		}
		for i, it := range p1.Items {
			now := reload(t, f, []int64{evs[2].ID, evs[3].ID, evs[5].ID}[i])
			if it.BookingID != wantIDs[i] || it.From == nil || !it.From.Equal(oldStarts[i]) || !it.Start.Equal(now.StartsAt) ||
				it.Member != f.Marton.Name || it.FromMember != f.Sofie.Name || it.Sequence != 1 || it.Minutes != 60 {
				t.Errorf("item %d: %+v (from %v)", i, it, it.From)
			}
			if it.Start.Equal(*it.From) {
				t.Errorf("item %d: start did not move", i)
			}
		}
		m2, p2 := msgs[i2], payloads[i2]
		if m2.BookingID != other.Bookings[0].ID || len(p2.Items) != 1 || p2.Items[0].Seats != 2 || p2.Token != other.Group.Token {
			t.Errorf("client 2 message %+v payload %+v", m2, p2)
		}

		// Sequences: every active booking of a changed event up by one.
		for _, b := range append(append(first.Bookings, second.Bookings...), other.Bookings...) {
			if got := bookingNow(t, f, b.ID).Sequence; got != 1 {
				t.Errorf("booking %d sequence %d, want 1", b.ID, got)
			}
			// Reminders: the old one skipped, one pending at the new time.
			rem := remindersOf(t, db, b.ID)
			evNow := reload(t, f, b.EventID)
			if len(rem[booking.OutboxSkipped]) != 1 || len(rem[booking.OutboxPending]) != 1 ||
				!rem[booking.OutboxPending][0].DueAt.Equal(evNow.StartsAt.Add(-24*time.Hour)) {
				t.Errorf("booking %d reminders %+v", b.ID, rem)
			}
		}
		if got := bookingNow(t, f, early.Bookings[0].ID); got.Sequence != 0 {
			t.Errorf("earlier booking sequence %d", got.Sequence)
		}
		if rem := remindersOf(t, db, early.Bookings[0].ID); len(rem[booking.OutboxPending]) != 1 || len(rem[booking.OutboxSkipped]) != 0 {
			t.Errorf("earlier booking's reminders touched: %+v", rem)
		}
		if got := bookingNow(t, f, gone.Bookings[0].ID); got.Sequence != 1 { // 1: its cancellation
			t.Errorf("cancelled booking sequence %d", got.Sequence)
		}
		// The event window of each of client 1's bookings in the first
		// group shows the one message about them all.
		for _, b := range first.Bookings {
			got, err := f.Store.BookingMessages(ctx, &b)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, m := range got {
				found = found || m.ID == m1.ID
			}
			if !found {
				t.Errorf("booking %d's messages lack the changed one: %+v", b.ID, got)
			}
		}
		// Nothing else was written: 2 changed messages, 4 new reminders.
		if n := len(outbox(t, db)) - before; n != 2+4 {
			t.Errorf("%d new outbox rows, want 6", n)
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Error(bad)
		}
	})
}

// TestEventEditTellsClients: a single event's new team member alone is
// news (a message naming both, the SEQUENCE up) but moves no reminder; a
// change of capacity, colour or comment tells no one and leaves the
// SEQUENCE; with messages off the SEQUENCE still goes up.
func TestEventEditTellsClients(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.AlsoRuns(t, f.Marton, f.Yoga) // the edits below move Yoga events to him
		enableSMS(t, f, 24)
		evs := f.YogaEvents(t, 3, 10)
		res := mustReserve(t, f, req(f, 1, 1, evs[2]))
		b := res.Bookings[0]
		rem := remindersOf(t, db, b.ID)[booking.OutboxPending]
		if len(rem) != 1 {
			t.Fatalf("reminders %+v", rem)
		}

		// Notes only.
		twelve := 12
		edit, err := f.Store.EditEventAt(ctx, evs[2].ID, booking.EventInput{TeamMemberID: f.Sofie.ID, Capacity: &twelve, Color: "#112233", Comment: "Room 2"},
			evs[2].StartsAt.In(f.Location.Zone()).Format(booking.DateLayout), evs[2].StartsAt.In(f.Location.Zone()).Format("15:04"))
		if err != nil {
			t.Fatal(err)
		}
		if msgs, _ := messagesOf(t, db, booking.SMSChanged); edit.Told != 0 || len(msgs) != 0 || bookingNow(t, f, b.ID).Sequence != 0 {
			t.Fatalf("notes-only edit told %d, %d messages, sequence %d", edit.Told, len(msgs), bookingNow(t, f, b.ID).Sequence)
		}

		// Team member only.
		if _, err := f.Store.UpdateEvent(ctx, evs[2].ID, booking.EventInput{TeamMemberID: f.Marton.ID, StartsAt: evs[2].StartsAt}); err != nil {
			t.Fatal(err)
		}
		msgs, payloads := messagesOf(t, db, booking.SMSChanged)
		if len(msgs) != 1 || msgs[0].BookingID != b.ID || len(payloads[0].Items) != 1 {
			t.Fatalf("messages %+v", msgs)
		}
		it := payloads[0].Items[0]
		if it.FromMember != f.Sofie.Name || it.Member != f.Marton.Name || !it.Start.Equal(evs[2].StartsAt) || !it.From.Equal(evs[2].StartsAt) || it.Sequence != 1 {
			t.Errorf("item %+v", it)
		}
		if now := remindersOf(t, db, b.ID); len(now[booking.OutboxPending]) != 1 || now[booking.OutboxPending][0].ID != rem[0].ID {
			t.Errorf("reminder moved though the time did not: %+v", now)
		}

		// Messages off: no message, the calendar still updates.
		if err := f.Store.SaveSMSSettings(ctx, &booking.SMSSettings{LocationID: f.Location.ID}); err != nil {
			t.Fatal(err)
		}
		edit, err = f.Store.EditEventAt(ctx, evs[2].ID, booking.EventInput{TeamMemberID: f.Sofie.ID}, "2026-03-05", "10:00")
		if err != nil {
			t.Fatal(err)
		}
		if msgs, _ := messagesOf(t, db, booking.SMSChanged); edit.Told != 0 || len(msgs) != 1 || bookingNow(t, f, b.ID).Sequence != 2 {
			t.Errorf("messages off: told %d, %d messages, sequence %d", edit.Told, len(msgs), bookingNow(t, f, b.ID).Sequence)
		}
	})
}

// TestPastEventEditTellsNoOne: staff correcting the record of a class
// that has taken place raise its bookings' SEQUENCE but send nothing.
func TestPastEventEditTellsNoOne(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.AlsoRuns(t, f.Marton, f.Yoga) // the edits below move Yoga events to him
		enableSMS(t, f, 0)
		evs := f.YogaEvents(t, 1, 10)
		res := mustReserve(t, f, req(f, 1, 1, evs[0]))
		f.Now = evs[0].StartsAt.Add(2 * time.Hour)
		edit, err := f.Store.EditEventAt(ctx, evs[0].ID, booking.EventInput{TeamMemberID: f.Marton.ID}, "2026-03-03", "18:30")
		if err != nil {
			t.Fatal(err)
		}
		if msgs, _ := messagesOf(t, db, booking.SMSChanged); edit.Told != 0 || len(msgs) != 0 {
			t.Errorf("told %d, %d messages", edit.Told, len(msgs))
		}
		if got := bookingNow(t, f, res.Bookings[0].ID).Sequence; got != 1 {
			t.Errorf("sequence %d", got)
		}
	})
}

// TestHeldBookingNotToldUntilPaid: a booking held for an online payment
// gets the higher SEQUENCE but no "changed" message and no reminder; the
// "booked" message sent when the payment arrives carries the new time.
func TestHeldBookingNotToldUntilPaid(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 24)
		evs := f.YogaEvents(t, 3, 10)
		res := hold(t, f, 1, 1, evs[2])
		paid := mustReserve(t, f, req(f, 2, 1, evs[2]))
		edit, err := f.Store.EditEventAt(ctx, evs[2].ID, booking.EventInput{TeamMemberID: f.Sofie.ID}, "2026-03-06", "10:00")
		if err != nil {
			t.Fatal(err)
		}
		moved := reload(t, f, evs[2].ID)
		msgs, _ := messagesOf(t, db, booking.SMSChanged)
		if edit.Told != 1 || len(msgs) != 1 || msgs[0].BookingID != paid.Bookings[0].ID {
			t.Fatalf("told %d, messages %+v", edit.Told, msgs)
		}
		held := res.Bookings[0]
		if got := bookingNow(t, f, held.ID); got.Sequence != 1 || got.Payment != booking.PaymentOnlinePending {
			t.Errorf("held booking %+v", got)
		}
		if rem := remindersOf(t, db, held.ID); len(rem) != 0 {
			t.Errorf("held booking has reminders %+v", rem)
		}
		applyEvent(t, f, paidEvent(openCheckout(t, f, res)), booking.StripeConfirmed)
		booked, payloads := messagesOf(t, db, booking.SMSBooked)
		last := payloads[len(payloads)-1]
		if booked[len(booked)-1].GroupID != res.Group.ID || !last.Items[0].Start.Equal(moved.StartsAt) || last.Items[0].Sequence != 1 {
			t.Errorf("booked after payment %+v %+v", booked[len(booked)-1], last.Items)
		}
	})
}

// TestChangedByEveryChannel: the message goes by the location's channels
// (here SMS and e-mail, e-mail only to a client who gave an address), and
// a client told by two channels is one client told.
func TestChangedByEveryChannel(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.AlsoRuns(t, f.Marton, f.Yoga) // the edits below move Yoga events to him
		enableSMS(t, f, 0)
		if _, err := db.NewUpdate().Model((*booking.Location)(nil)).Set("message_channel = ?", booking.ChannelBoth).Where("id = ?", f.Location.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		evs := f.YogaEvents(t, 1, 10)
		r := req(f, 1, 1, evs[0])
		r.Client.Email = "anna@example.com"
		if _, err := f.Store.Reserve(ctx, r); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Reserve(ctx, req(f, 2, 1, evs[0])); err != nil {
			t.Fatal(err)
		}
		edit, err := f.Store.EditEventAt(ctx, evs[0].ID, booking.EventInput{TeamMemberID: f.Marton.ID}, "2026-03-03", "20:00")
		if err != nil {
			t.Fatal(err)
		}
		msgs, _ := messagesOf(t, db, booking.SMSChanged)
		got := map[string]int{}
		for _, m := range msgs {
			got[m.Channel+":"+m.Phone+m.Email]++
		}
		want := map[string]int{
			booking.ChannelSMS + ":" + booktest.Client(1).Phone: 1,
			booking.ChannelEmail + ":anna@example.com":          1,
			booking.ChannelSMS + ":" + booktest.Client(2).Phone: 1,
		}
		if edit.Told != 2 || len(got) != len(want) {
			t.Fatalf("told %d, rows %v", edit.Told, got)
		}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%s: %d rows, want %d", k, got[k], n)
			}
		}
	})
}

// mustReserve books r or fails the test.
func mustReserve(t *testing.T, f *booktest.Fixture, r booking.ReserveRequest) *booking.Reservation {
	t.Helper()
	res, err := f.Store.Reserve(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
