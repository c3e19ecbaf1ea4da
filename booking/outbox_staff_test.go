package booking_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// staffRows lists the staff e-mails of kind, checking each is an e-mail row.
func staffRows(t *testing.T, db *bun.DB, kind string) ([]booking.OutboxMessage, []*booking.MessagePayload) {
	t.Helper()
	rows, ps := messagesOf(t, db, kind)
	for _, m := range rows {
		if m.Channel != booking.ChannelEmail || m.Phone != "" || m.Email == "" || m.Status != booking.OutboxPending {
			t.Fatalf("staff row %+v", m)
		}
	}
	return rows, ps
}

// TestStaffNotices: with staff e-mails on, every admin user with an
// e-mail gets one for a booking made online (one per request, naming the
// client and each booked event) and for a client's own cancel; staff's
// own bookings and cancels send none; it works with client messages off;
// a booking held for an online payment is told once paid, not at the
// hold; with the setting off nothing goes.
func TestStaffNotices(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		staffUser(t, f, "olga@sunrise.example")
		if _, err := f.Store.CreateUser(ctx, "sam@sunrise.example", "Sam", "correct horse battery", booking.RoleStaff); err != nil {
			t.Fatal(err)
		}
		waitSettings(t, f, false, true)
		evs := f.YogaEvents(t, 4, 10)

		// SMS is off and the channel is SMS: clients hear nothing, staff do.
		res, err := f.Store.Reserve(ctx, req(f, 1, 2, evs[0], evs[1]))
		if err != nil {
			t.Fatal(err)
		}
		rows, ps := staffRows(t, db, booking.MsgStaffBooked)
		if len(rows) != 2 || rows[0].Email != "olga@sunrise.example" || rows[1].Email != "sam@sunrise.example" {
			t.Fatalf("staff booked rows %+v", rows)
		}
		if n := len(outbox(t, db)); n != 2 {
			t.Fatalf("%d messages, want the 2 staff e-mails only", n)
		}
		p := ps[0]
		if rows[0].GroupID != res.Group.ID || rows[0].Lang != "en" || p.Staff == nil || p.Staff.Client != "Anna Kovács" ||
			p.Staff.Phone != res.Client.Phone || p.Staff.EventID != evs[0].ID || len(p.Items) != 2 ||
			p.Items[0].Service != "Yoga" || p.Items[0].Seats != 2 || !p.Items[1].Start.Equal(evs[1].StartsAt) || p.Location != "Sunrise Yoga" {
			t.Fatalf("staff booked payload %+v %+v", p, p.Staff)
		}

		// Staff booking and staff cancel: nothing.
		sres, err := f.Store.Reserve(ctx, staffReq(f, 2, 1, "", evs[2]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.CancelByAdmin(ctx, sres.Bookings[0].ID); err != nil {
			t.Fatal(err)
		}
		if n := len(outbox(t, db)); n != 2 {
			t.Fatalf("staff's own booking and cancel queued %d staff messages", n-2)
		}

		// The client cancels one of the two online.
		if _, err := f.Store.CancelByClient(ctx, res.Group.Token, res.Bookings[1].ID, "203.0.113.9"); err != nil {
			t.Fatal(err)
		}
		rows, ps = staffRows(t, db, booking.MsgStaffCancelled)
		if len(rows) != 2 || rows[0].BookingID != res.Bookings[1].ID || ps[0].Staff.EventID != evs[1].ID ||
			len(ps[0].Items) != 1 || ps[0].Items[0].BookingID != res.Bookings[1].ID {
			t.Fatalf("staff cancelled rows %+v payload %+v", rows, ps)
		}

		// Held for an online payment: told when paid.
		h := hold(t, f, 3, 1, evs[3])
		if rows, _ := staffRows(t, db, booking.MsgStaffBooked); len(rows) != 2 {
			t.Fatalf("%d staff booked rows after a hold, want still 2", len(rows))
		}
		applyEvent(t, f, paidEvent(openCheckout(t, f, h)), booking.StripeConfirmed)
		rows, ps = staffRows(t, db, booking.MsgStaffBooked)
		if len(rows) != 4 || rows[2].GroupID != h.Group.ID || ps[2].Staff.EventID != evs[3].ID {
			t.Fatalf("staff booked rows after the payment %+v", rows)
		}

		// Off: nothing more.
		waitSettings(t, f, false, false)
		before := len(outbox(t, db))
		res2, err := f.Store.Reserve(ctx, req(f, 4, 1, evs[0]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.CancelByClient(ctx, res2.Group.Token, res2.Bookings[0].ID, ""); err != nil {
			t.Fatal(err)
		}
		if n := len(outbox(t, db)); n != before {
			t.Fatalf("%d messages with staff e-mails off", n-before)
		}
	})
}

// TestStaffNoticeBesideClientMessages: with SMS on, the client's SMS and
// the staff e-mail are separate rows; with no admin user to write to, no
// staff row is queued.
func TestStaffNoticeBesideClientMessages(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 0)
		waitSettings(t, f, false, true)
		ev := f.YogaEvents(t, 1, 10)[0]
		if _, err := f.Store.Reserve(ctx, req(f, 1, 1, ev)); err != nil {
			t.Fatal(err)
		}
		if rows, _ := messagesOf(t, db, booking.MsgStaffBooked); len(rows) != 0 {
			t.Fatalf("staff rows with no staff user: %+v", rows)
		}
		staffUser(t, f, "olga@sunrise.example")
		if _, err := f.Store.Reserve(ctx, req(f, 2, 1, ev)); err != nil {
			t.Fatal(err)
		}
		booked, _ := messagesOf(t, db, booking.SMSBooked)
		staff, _ := staffRows(t, db, booking.MsgStaffBooked)
		if len(booked) != 2 || booked[0].Channel != booking.ChannelSMS || len(staff) != 1 {
			t.Fatalf("client rows %+v, staff rows %+v", booked, staff)
		}
	})
}

// TestStaffNoticeReschedule: a client's own reschedule e-mails staff once
// per address, the line at the new time with the old one beside it and the
// button on the new event; a staff move sends none, and nothing goes with
// the setting off.
func TestStaffNoticeReschedule(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		staffUser(t, f, "olga@sunrise.example")
		waitSettings(t, f, false, true)
		evs := f.YogaEvents(t, 4, 10)
		res, err := f.Store.Reserve(ctx, req(f, 1, 1, evs[0]))
		if err != nil {
			t.Fatal(err)
		}
		b := res.Bookings[0]
		if _, err := f.Store.RescheduleByClient(ctx, booking.RescheduleRequest{Token: res.Group.Token, BookingID: b.ID,
			FromEventID: evs[0].ID, ToEventID: evs[1].ID, ClientIP: "203.0.113.9"}); err != nil {
			t.Fatal(err)
		}
		rows, ps := staffRows(t, db, booking.MsgStaffMoved)
		if len(rows) != 1 || rows[0].Email != "olga@sunrise.example" || rows[0].BookingID != b.ID || rows[0].GroupID != res.Group.ID {
			t.Fatalf("staff moved rows %+v", rows)
		}
		p := ps[0]
		if p.Staff == nil || p.Staff.Client != "Anna Kovács" || p.Staff.EventID != evs[1].ID || len(p.Items) != 1 ||
			!p.Items[0].Start.Equal(evs[1].StartsAt) || p.Items[0].From == nil || !p.Items[0].From.Equal(evs[0].StartsAt) {
			t.Fatalf("staff moved payload %+v %+v", p, p.Staff)
		}

		// Staff move it back: staff are not told of their own change.
		if _, err := f.Store.MoveBooking(ctx, b.ID, evs[0].ID); err != nil {
			t.Fatal(err)
		}
		// Off: the client's next move tells no one on the staff.
		waitSettings(t, f, false, false)
		if _, err := f.Store.RescheduleByClient(ctx, booking.RescheduleRequest{Token: res.Group.Token, BookingID: b.ID,
			FromEventID: evs[0].ID, ToEventID: evs[2].ID}); err != nil {
			t.Fatal(err)
		}
		if rows, _ := staffRows(t, db, booking.MsgStaffMoved); len(rows) != 1 {
			t.Fatalf("%d staff moved rows, want still 1", len(rows))
		}
		if problems := booktest.Invariant(t, db); len(problems) > 0 {
			t.Fatal(problems)
		}
	})
}
