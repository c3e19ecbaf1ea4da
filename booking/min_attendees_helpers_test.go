package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// setMin gives svc a minimum of min seats decided hours before the start,
// through the service form's path.
func setMin(t *testing.T, f *booktest.Fixture, svc *booking.Service, min, hours int) {
	t.Helper()
	_, err := f.Store.UpdateService(context.Background(), svc.ID, booking.ServiceInput{
		Name: svc.Name, Category: svc.Category, DurationMin: svc.DurationMin, DefaultCapacity: svc.DefaultCapacity,
		PriceMinor: svc.PriceMinor, Currency: svc.Currency, Color: svc.Color, OnlineBooking: svc.OnlineBooking,
		MinAttendees: min, MinDecideHours: hours,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// waitSettings saves the location's issue 12 settings, defaults but for
// auto-cancel and staff e-mails.
func waitSettings(t *testing.T, f *booktest.Fixture, autoCancel, staffNotify bool) {
	t.Helper()
	err := f.Store.SaveWaitlistSettings(context.Background(), f.Location.ID, booking.WaitlistSettings{
		WaitlistMode: booking.WaitlistInOrder, WaitlistClaimMin: booking.DefaultWaitlistClaimMin,
		WaitlistMax: booking.DefaultWaitlistMax, MinAutoCancel: autoCancel,
		MessageChannel: booking.ChannelSMSOnly, StaffEmailNotify: staffNotify,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// staffUser adds an admin user with an e-mail (staff messages go to it).
func staffUser(t *testing.T, f *booktest.Fixture, email string) *booking.User {
	t.Helper()
	u, err := f.Store.CreateUser(context.Background(), email, "Olga", "correct horse battery", booking.RoleOwner)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// decide runs the sweep and checks how many events it decided.
func decide(t *testing.T, st *booking.Store, want int) {
	t.Helper()
	n, err := st.DecideMinAttendees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("decided %d events, want %d", n, want)
	}
}

// minState reads an event's decision.
func minState(t *testing.T, f *booktest.Fixture, ev *booking.Event) booking.MinState {
	t.Helper()
	_, _, st, err := f.Store.MinAttendeesInfo(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// messagesOf lists the outbox rows of kind, oldest first, with payloads.
func messagesOf(t *testing.T, db *bun.DB, kind string) ([]booking.OutboxMessage, []*booking.MessagePayload) {
	t.Helper()
	var rows []booking.OutboxMessage
	var ps []*booking.MessagePayload
	for _, m := range outbox(t, db) {
		if m.Kind != kind {
			continue
		}
		p, err := m.DecodePayload()
		if err != nil {
			t.Fatal(err)
		}
		rows, ps = append(rows, m), append(ps, p)
	}
	return rows, ps
}

// decideTime is when ev's minimum is decided, by MinAttendeesInfo.
func decideTime(t *testing.T, f *booktest.Fixture, ev *booking.Event) time.Time {
	t.Helper()
	_, at, _, err := f.Store.MinAttendeesInfo(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
