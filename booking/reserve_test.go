package booking_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func req(f *booktest.Fixture, client int, seats int, events ...*booking.Event) booking.ReserveRequest {
	ids := make([]int64, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return booking.ReserveRequest{
		LocationID: f.Location.ID, Link: f.Link, EventIDs: ids, Seats: seats,
		Client: booktest.Client(client), Lang: "en",
	}
}

func seatsTaken(t *testing.T, f *booktest.Fixture, ev *booking.Event) int {
	t.Helper()
	got, err := f.Store.Event(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.SeatsTaken
}

func countBookings(t *testing.T, db *bun.DB) int {
	t.Helper()
	n, err := db.NewSelect().Model((*booking.Booking)(nil)).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestReserveMultiEvent(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 3, 10)
		r := req(f, 1, 2, evs[1], evs[0], evs[2])
		r.UTM = booking.UTM{Source: "instagram", Medium: "social", Campaign: "spring"}
		res, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatalf("reserve: %v", err)
		}
		if len(res.Bookings) != 3 || res.Replayed {
			t.Fatalf("got %d bookings, replayed %v", len(res.Bookings), res.Replayed)
		}
		if res.Bookings[0].EventID != evs[1].ID {
			t.Errorf("bookings not in request order: first is event %d", res.Bookings[0].EventID)
		}
		for _, ev := range evs {
			if got := seatsTaken(t, f, ev); got != 2 {
				t.Errorf("event %d seats taken %d, want 2", ev.ID, got)
			}
		}
		b := res.Bookings[0]
		if b.Status != booking.StatusExpected || b.Source != booking.SourceWidget || b.LinkID != f.Link.ID ||
			b.UTM.Source != "instagram" || b.UTM.Campaign != "spring" || b.Lang != "en" || b.GroupID != res.Group.ID {
			t.Errorf("booking fields: %+v", b)
		}
		if len(res.Group.Token) < 20 {
			t.Errorf("group token %q too short to be unguessable", res.Group.Token)
		}
		if res.Client.Phone != "+36201000001" || res.Client.FirstName != "Anna" {
			t.Errorf("client %+v", res.Client)
		}
		again, err := f.Store.GroupByToken(ctx, res.Group.Token)
		if err != nil || len(again.Bookings) != 3 {
			t.Fatalf("group by token: %v, %d bookings", err, len(again.Bookings))
		}
		if _, err := f.Store.GroupByToken(ctx, "nope"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown token: %v", err)
		}
	})
}

// TestReserveRules checks every rule that refuses an event, one by one, and
// that a refusal writes nothing.
func TestReserveRules(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 3, 10)
		small := f.Event(t, f.Yoga, f.Sofie, evs[2].StartsAt.AddDate(0, 0, 7), 1)
		pilates := f.Event(t, f.Pilates, f.Marton, evs[0].StartsAt.Add(2*time.Hour), 8)
		otherMember, err := f.Store.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "Zoe", ServiceIDs: []int64{f.Yoga.ID}})
		if err != nil {
			t.Fatal(err)
		}
		yogaZoe := f.Event(t, f.Yoga, otherMember, evs[0].StartsAt.Add(3*time.Hour), 8)
		started := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(-10*time.Minute), 8)
		soon := f.Event(t, f.Yoga, f.Sofie, f.Now.Add(30*time.Minute), 8)

		otherLoc, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		otherSvc, _ := f.Store.CreateService(ctx, otherLoc.ID, booking.ServiceInput{Name: "Surf", DurationMin: 90, DefaultCapacity: 5, Currency: "EUR", OnlineBooking: true})
		otherTM, _ := f.Store.CreateTeamMember(ctx, otherLoc.ID, booking.TeamMemberInput{Name: "Rui", ServiceIDs: []int64{otherSvc.ID}})
		foreign, err := f.Store.CreateEvent(ctx, otherLoc.ID, booking.EventInput{ServiceID: otherSvc.ID, TeamMemberID: otherTM.ID, StartsAt: evs[0].StartsAt})
		if err != nil {
			t.Fatal(err)
		}

		buffered := *f.Link
		buffered.BufferMin = 60
		single := *f.Link
		single.MultiEvent = false
		pilatesOnly := *f.Link
		pilatesOnly.ServiceIDs = []int64{f.Pilates.ID}
		three := *f.Link
		three.MaxEvents = 3

		cases := []struct {
			name    string
			link    *booking.Link
			events  []*booking.Event
			seats   int
			wantErr error
			bad     int64 // the event the problem is reported for
		}{
			{"full", f.Link, []*booking.Event{evs[0], small}, 2, booking.ErrFull, small.ID},
			{"started", f.Link, []*booking.Event{started}, 1, booking.ErrStarted, started.ID},
			{"inside buffer", &buffered, []*booking.Event{soon}, 1, booking.ErrInsideBuffer, soon.ID},
			{"other service", f.Link, []*booking.Event{evs[0], pilates}, 1, booking.ErrDifferentService, pilates.ID},
			{"other team member", f.Link, []*booking.Event{evs[0], yogaZoe}, 1, booking.ErrDifferentService, yogaZoe.ID},
			{"over link limit", &three, []*booking.Event{evs[0], evs[1], evs[2], small}, 1, booking.ErrTooManyEvents, small.ID},
			{"multi-event off", &single, []*booking.Event{evs[0], evs[1]}, 1, booking.ErrTooManyEvents, evs[1].ID},
			{"duplicate id", f.Link, []*booking.Event{evs[0], evs[0]}, 1, booking.ErrDuplicateEvent, evs[0].ID},
			{"not on link", &pilatesOnly, []*booking.Event{evs[0]}, 1, booking.ErrNotOnLink, evs[0].ID},
			{"other location", f.Link, []*booking.Event{foreign}, 1, booking.ErrNotFound, foreign.ID},
			{"unknown id", f.Link, []*booking.Event{{ID: 999999}}, 1, booking.ErrNotFound, 999999},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := countBookings(t, db)
				r := req(f, 5, tc.seats, tc.events...)
				r.Link = tc.link
				_, err := f.Store.Reserve(ctx, r)
				var re *booking.ReserveError
				if !errors.As(err, &re) || !errors.Is(err, tc.wantErr) {
					t.Fatalf("got %v, want ReserveError with %v", err, tc.wantErr)
				}
				if got := re.ProblemFor(tc.bad); !errors.Is(got, tc.wantErr) {
					t.Errorf("problem for event %d = %v, want %v", tc.bad, got, tc.wantErr)
				}
				if countBookings(t, db) != before {
					t.Error("a refused request wrote bookings")
				}
				for _, ev := range tc.events {
					if ev.ID != 999999 && seatsTaken(t, f, ev) != ev.SeatsTaken {
						t.Errorf("event %d seats changed", ev.ID)
					}
				}
			})
		}

		// Online booking switched off for the service.
		yogaOff := booking.ServiceInput{Name: "Yoga", DurationMin: 60, DefaultCapacity: 10, Currency: "HUF", OnlineBooking: false}
		if _, err := f.Store.UpdateService(ctx, f.Yoga.ID, yogaOff); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Reserve(ctx, req(f, 6, 1, evs[0])); !errors.Is(err, booking.ErrOnlineBookingOff) {
			t.Errorf("online booking off: %v", err)
		}
		// Staff may still add the client.
		staff := req(f, 6, 1, evs[0])
		staff.Link = nil
		if _, err := f.Store.Reserve(ctx, staff); err != nil {
			t.Errorf("staff booking with online booking off: %v", err)
		}
		if n := len(booktest.Invariant(t, db)); n != 0 {
			t.Errorf("invariant broken: %v", booktest.Invariant(t, db))
		}
	})
}

func TestReserveAlreadyBooked(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		if _, err := f.Store.Reserve(ctx, req(f, 1, 1, evs[0])); err != nil {
			t.Fatal(err)
		}
		_, err := f.Store.Reserve(ctx, req(f, 1, 1, evs[1], evs[0]))
		var re *booking.ReserveError
		if !errors.As(err, &re) || !errors.Is(re.ProblemFor(evs[0].ID), booking.ErrAlreadyBooked) || re.ProblemFor(evs[1].ID) != nil {
			t.Fatalf("got %v, want already booked for event %d only", err, evs[0].ID)
		}
		if seatsTaken(t, f, evs[1]) != 0 {
			t.Error("all-or-nothing broken: seats taken in the other event")
		}
		// A visitor registered by staff under the same phone is another person.
		staff := req(f, 1, 1, evs[0])
		staff.Link, staff.VisitorName = nil, "Lili"
		if _, err := f.Store.Reserve(ctx, staff); err != nil {
			t.Fatalf("visitor under same phone: %v", err)
		}
	})
}

func TestReserveInputValidation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 1, 10)
		strict := *f.Link
		strict.LastNameRequired, strict.EmailMode, strict.CommentMode = true, booking.FieldRequired, booking.FieldRequired
		long := strings.Repeat("x", 201) // not NUL runes: those are refused as invalid text before their length counts
		cases := []struct {
			name  string
			edit  func(r *booking.ReserveRequest)
			field string
			msg   string
		}{
			{"no phone", func(r *booking.ReserveRequest) { r.Client.Phone = "" }, "phone", booking.MsgRequired},
			{"not E.164", func(r *booking.ReserveRequest) { r.Client.Phone = "06 20 100 0001" }, "phone", booking.MsgInvalidPhone},
			{"impossible number", func(r *booking.ReserveRequest) { r.Client.Phone = "+3620123" }, "phone", booking.MsgInvalidPhone},
			{"no first name", func(r *booking.ReserveRequest) { r.Client.FirstName = " " }, "first_name", booking.MsgRequired},
			{"bad email", func(r *booking.ReserveRequest) { r.Client.Email = "not-an-email" }, "email", booking.MsgInvalidEmail},
			{"long comment", func(r *booking.ReserveRequest) { r.Comment = "x" + long }, "comment", booking.MsgTooLong},
			{"zero seats", func(r *booking.ReserveRequest) { r.Seats = 0 }, "seats", booking.MsgSeatsOutOfRange},
			{"negative seats", func(r *booking.ReserveRequest) { r.Seats = -1 }, "seats", booking.MsgSeatsOutOfRange},
			{"over link seats", func(r *booking.ReserveRequest) { r.Seats = 5 }, "seats", booking.MsgSeatsOutOfRange},
			{"no events", func(r *booking.ReserveRequest) { r.EventIDs = nil }, "events", booking.MsgRequired},
			{"bad lang", func(r *booking.ReserveRequest) { r.Lang = "xx" }, "lang", booking.MsgInvalidLanguage},
			{"last name required", func(r *booking.ReserveRequest) { r.Link = &strict; r.Client.LastName = "" }, "last_name", booking.MsgRequired},
			{"email required", func(r *booking.ReserveRequest) { r.Link = &strict; r.Client.LastName = "K"; r.Comment = "c" }, "email", booking.MsgRequired},
			{"comment required", func(r *booking.ReserveRequest) { r.Link = &strict; r.Client.Email = "a@b.hu" }, "comment", booking.MsgRequired},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := req(f, 1, 1, evs[0])
				tc.edit(&r)
				_, err := f.Store.Reserve(ctx, r)
				var fe booking.FieldErrors
				if !errors.As(err, &fe) || fe[tc.field] != tc.msg {
					t.Fatalf("got %v, want %s: %s", err, tc.field, tc.msg)
				}
				if !errors.Is(err, booking.ErrInvalid) {
					t.Error("FieldErrors should match ErrInvalid")
				}
				if countBookings(t, db) != 0 || seatsTaken(t, f, evs[0]) != 0 {
					t.Error("invalid input wrote something")
				}
			})
		}
		// Hidden fields are dropped, not stored.
		hidden := *f.Link
		hidden.EmailMode, hidden.CommentMode = booking.FieldHidden, booking.FieldHidden
		r := req(f, 2, 1, evs[0])
		r.Link, r.Client.Email, r.Comment = &hidden, "a@b.hu", "sneaky"
		res, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if res.Bookings[0].Comment != "" || res.Client.Email != "" {
			t.Errorf("hidden fields stored: comment %q, email %q", res.Bookings[0].Comment, res.Client.Email)
		}
	})
}

func TestReserveIdempotent(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		r := req(f, 1, 2, evs[0], evs[1])
		r.Key = "key-1"
		first, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		second, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if !second.Replayed || second.Group.ID != first.Group.ID || len(second.Bookings) != 2 || second.Group.Token != first.Group.Token {
			t.Fatalf("replay: %+v", second)
		}
		if seatsTaken(t, f, evs[0]) != 2 || countBookings(t, db) != 2 {
			t.Fatal("a replayed request booked again")
		}
		other := r
		other.Seats = 3
		if _, err := f.Store.Reserve(ctx, other); !errors.Is(err, booking.ErrKeyReused) {
			t.Errorf("same key, other request: %v", err)
		}
		// A failed request leaves its key free: the retry may succeed.
		full := f.Event(t, f.Yoga, f.Sofie, evs[1].StartsAt.AddDate(0, 0, 7), 1)
		r2 := req(f, 3, 1, full)
		r2.Key = "key-2"
		if _, err := f.Store.Reserve(ctx, req(f, 4, 1, full)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Reserve(ctx, r2); !errors.Is(err, booking.ErrFull) {
			t.Fatalf("want full, got %v", err)
		}
		if err := f.Store.SetCapacity(ctx, full.ID, 2); err != nil {
			t.Fatal(err)
		}
		if res, err := f.Store.Reserve(ctx, r2); err != nil || res.Replayed {
			t.Fatalf("retry after failure: %v", err)
		}
	})
}
