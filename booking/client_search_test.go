package booking_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// book makes a staff booking for a client in the events, failing the test
// if it can't.
func book(t *testing.T, f *booktest.Fixture, locationID int64, cl booking.ClientInput, seats int, evs ...*booking.Event) *booking.Reservation {
	t.Helper()
	ids := make([]int64, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	res, err := f.Store.Reserve(context.Background(), booking.ReserveRequest{
		LocationID: locationID, EventIDs: ids, Seats: seats, Client: cl, Lang: "en",
	})
	if err != nil {
		t.Fatalf("book %s: %v", cl.Phone, err)
	}
	return res
}

// otherStudio is a second location with one event, to prove searches never
// cross locations.
func otherStudio(t *testing.T, f *booktest.Fixture) (*booking.Location, *booking.Event) {
	t.Helper()
	ctx := context.Background()
	loc, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other Studio", TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "hu"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := f.Store.CreateService(ctx, loc.ID, booking.ServiceInput{Name: "Yoga", DurationMin: 60, DefaultCapacity: 10, Currency: "HUF", Color: "#123456", OnlineBooking: true})
	if err != nil {
		t.Fatal(err)
	}
	tm, err := f.Store.CreateTeamMember(ctx, loc.ID, booking.TeamMemberInput{Name: "Other", ServiceIDs: []int64{svc.ID}})
	if err != nil {
		t.Fatal(err)
	}
	capacity := 10
	ev, err := f.Store.CreateEvent(ctx, loc.ID, booking.EventInput{ServiceID: svc.ID, TeamMemberID: tm.ID, StartsAt: f.Now.Add(48 * time.Hour), Capacity: &capacity})
	if err != nil {
		t.Fatal(err)
	}
	return loc, ev
}

func clientIDs(rows []booking.ClientSummary) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func TestSearchClients(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		anna := book(t, f, f.Location.ID, booking.ClientInput{Phone: "+36201234567", FirstName: "Anna", LastName: "Kovács", Email: "anna@example.com"}, 2, evs...).Client
		bela := book(t, f, f.Location.ID, booking.ClientInput{Phone: "+36301112222", FirstName: "Béla", LastName: "Nagy"}, 1, evs[0]).Client
		pct := book(t, f, f.Location.ID, booking.ClientInput{Phone: "+36701234000", FirstName: "Zsófi", LastName: "Szabó_Kiss"}, 1, evs[1]).Client
		// Another studio's client has the same phone and name: never shown.
		loc2, ev2 := otherStudio(t, f)
		stranger := book(t, f, loc2.ID, booking.ClientInput{Phone: "+36201234567", FirstName: "Anna", LastName: "Kovács"}, 1, ev2).Client
		if stranger.ID == anna.ID {
			t.Fatal("the other studio's client is the same row")
		}

		for _, tc := range []struct {
			q    string
			want []int64
		}{
			{"06 20 123 4567", []int64{anna.ID}}, // national format, normalised with HU
			{"+36 20 123 4567", []int64{anna.ID}},
			{"0036201234567", []int64{anna.ID}},
			{"06 20 12", []int64{anna.ID}},     // partial, national prefix
			{"1234", []int64{anna.ID, pct.ID}}, // digits anywhere; ordered by last name
			{"30-111", []int64{bela.ID}},       // punctuation ignored
			{"anna", []int64{anna.ID}},         // first name, any case
			{"KOV", []int64{anna.ID}},          // part of the last name
			{"anna kovács", []int64{anna.ID}},  // every word must match
			{"anna nagy", nil},                 // ... so this matches no one
			{"béla", []int64{bela.ID}},         // non-ASCII lower case
			{"anna@example", []int64{anna.ID}}, // email
			{"%", nil},                         // LIKE wildcards are literal
			{"_", []int64{pct.ID}},             // only the name that has one
			{"zzz", nil},
			{"06 99 999 9999", nil},
		} {
			got, more, err := f.Store.SearchClients(ctx, f.Location.ID, tc.q, 50)
			if err != nil {
				t.Fatalf("%q: %v", tc.q, err)
			}
			if ids := clientIDs(got); !slices.Equal(ids, tc.want) || more {
				t.Errorf("search %q = %v (more %v), want %v", tc.q, ids, more, tc.want)
			}
		}

		// The other studio sees only its own client.
		got, _, err := f.Store.SearchClients(ctx, loc2.ID, "06 20 123 4567", 50)
		if err != nil {
			t.Fatal(err)
		}
		if ids := clientIDs(got); !slices.Equal(ids, []int64{stranger.ID}) {
			t.Errorf("other studio: %v", ids)
		}

		// Counts: Anna holds two live bookings, both upcoming.
		got, _, err = f.Store.SearchClients(ctx, f.Location.ID, "anna", 50)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Bookings != 2 || got[0].Upcoming != 2 || got[0].Phone != anna.Phone || got[0].FirstName != "Anna" {
			t.Errorf("Anna's row: %+v", got[0])
		}
		f.Now = evs[0].StartsAt.Add(time.Hour)
		got, _, _ = f.Store.SearchClients(ctx, f.Location.ID, "anna", 50)
		if got[0].Bookings != 2 || got[0].Upcoming != 1 {
			t.Errorf("after the first class: %+v", got[0])
		}

		// An empty query lists the newest clients; the limit reports more.
		got, more, err := f.Store.SearchClients(ctx, f.Location.ID, "", 2)
		if err != nil {
			t.Fatal(err)
		}
		if ids := clientIDs(got); !slices.Equal(ids, []int64{pct.ID, bela.ID}) || !more {
			t.Errorf("newest two = %v (more %v)", ids, more)
		}
	})
}

func TestClientBookings(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 3, 10)
		pil := f.Event(t, f.Pilates, f.Marton, evs[2].StartsAt.Add(24*time.Hour), 8)
		res := book(t, f, f.Location.ID, booktest.Client(1), 2, evs...)
		book(t, f, f.Location.ID, booktest.Client(1), 1, pil)
		book(t, f, f.Location.ID, booktest.Client(2), 1, evs[0]) // someone else
		if _, err := f.Store.CancelByAdmin(ctx, res.Bookings[2].ID); err != nil {
			t.Fatal(err)
		}
		// The first class is over; the second is running (it counts as upcoming).
		f.Now = evs[1].StartsAt.Add(30 * time.Minute)

		up, past, err := f.Store.ClientBookings(ctx, f.Location.ID, res.Client.ID)
		if err != nil {
			t.Fatal(err)
		}
		var upEvents, pastEvents []int64
		for _, b := range up {
			upEvents = append(upEvents, b.Event.ID)
		}
		for _, b := range past {
			pastEvents = append(pastEvents, b.Event.ID)
		}
		if !slices.Equal(upEvents, []int64{evs[1].ID, evs[2].ID, pil.ID}) || !slices.Equal(pastEvents, []int64{evs[0].ID}) {
			t.Fatalf("upcoming %v, past %v", upEvents, pastEvents)
		}
		if b := up[0]; b.ServiceName != "Yoga" || b.MemberName != "Sofie" || b.Seats != 2 || b.Status != booking.StatusExpected || !b.Event.StartsAt.Equal(evs[1].StartsAt) {
			t.Errorf("first upcoming: %+v", b)
		}
		if up[1].Status != booking.StatusCancelled {
			t.Errorf("cancelled booking shows as %s", up[1].Status)
		}
		if up[2].ServiceName != "Pilates" || up[2].MemberName != "Márton" {
			t.Errorf("pilates booking: %+v", up[2])
		}

		// Through another location the client has nothing.
		loc2, _ := otherStudio(t, f)
		up, past, err = f.Store.ClientBookings(ctx, loc2.ID, res.Client.ID)
		if err != nil || len(up)+len(past) != 0 {
			t.Errorf("via another location: %d upcoming, %d past, %v", len(up), len(past), err)
		}
	})
}
