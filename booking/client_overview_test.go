package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// overviewFixture: client 1 has two upcoming Yoga bookings made together
// (one cancelled since), a Pilates booking whose class is over, a pass and
// a place in line for a full class; client 2 has a booking in the same
// events; the same phone as client 1 is a client of a second location
// too, with a booking there.
type overviewFixture struct {
	f                  *booktest.Fixture
	me                 *booking.Client
	group              *booking.Reservation
	past, other, there booking.Booking
	full               *booking.Event
	entry              *booking.WaitlistEntry
	pass               *booking.ClientPass
}

func seedOverview(t *testing.T, db *bun.DB) *overviewFixture {
	t.Helper()
	ctx := context.Background()
	f := booktest.Seed(t, db)
	o := &overviewFixture{f: f}
	f.WithWaitlist(t, booking.WaitlistInOrder, 60)
	// The past class: booked yesterday for today 07:00 UTC, before Now.
	f.Now = f.Now.Add(-24 * time.Hour)
	early := f.Event(t, f.Pilates, f.Marton, booktest.Now.Add(-2*time.Hour), 8)
	res, err := f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{early.ID}, Seats: 1, Client: booktest.Client(1), Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	o.past = res.Bookings[0]
	f.Now = booktest.Now

	evs := f.YogaEvents(t, 3, 10)
	if o.group, err = f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{evs[1].ID, evs[0].ID}, Seats: 2, Client: booktest.Client(1), Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.CancelByClient(ctx, o.group.Group.Token, o.group.Bookings[1].ID, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	res, err = f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, Link: f.Link, EventIDs: []int64{evs[0].ID}, Seats: 1, Client: booktest.Client(2), Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	o.other = res.Bookings[0]
	o.full = f.Event(t, f.Yoga, f.Sofie, evs[2].StartsAt.Add(3*time.Hour), 2)
	f.Fill(t, o.full)
	o.entry = f.Join(t, 1, 1, o.full)

	if o.me, err = f.Store.ClientByPhone(ctx, f.Location.ID, booktest.Client(1).Phone); err != nil {
		t.Fatal(err)
	}
	pt, err := f.Store.CreatePassType(ctx, f.Location.ID, booking.PassTypeInput{Name: "5 Yoga classes", Kind: booking.PassVisits, Visits: 5,
		ValidityDays: 30, ValidFrom: booking.ValidFromSale, PriceMinor: 1500000, Currency: "HUF", ServiceIDs: []int64{f.Yoga.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if o.pass, err = f.Store.SellPass(ctx, booking.SellPassInput{LocationID: f.Location.ID, ClientID: o.me.ID, PassTypeID: pt.ID, Free: true}); err != nil {
		t.Fatal(err)
	}

	// Another location with a client of the same phone.
	loc2, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other Studio", Address: "Fő utca 2", TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := f.Store.CreateService(ctx, loc2.ID, booking.ServiceInput{Name: "Spin", DurationMin: 45, DefaultCapacity: 5, Currency: "HUF", Color: "#123456", OnlineBooking: true})
	if err != nil {
		t.Fatal(err)
	}
	tm, err := f.Store.CreateTeamMember(ctx, loc2.ID, booking.TeamMemberInput{Name: "Zoé", ServiceIDs: []int64{svc.ID}})
	if err != nil {
		t.Fatal(err)
	}
	five := 5
	ev2, err := f.Store.CreateEvent(ctx, loc2.ID, booking.EventInput{ServiceID: svc.ID, TeamMemberID: tm.ID, StartsAt: evs[0].StartsAt, Capacity: &five})
	if err != nil {
		t.Fatal(err)
	}
	res, err = f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: loc2.ID, EventIDs: []int64{ev2.ID}, Seats: 1, Client: booktest.Client(1), Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	o.there = res.Bookings[0]
	return o
}

func TestClientOverview(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		o := seedOverview(t, db)
		ctx := context.Background()
		ov, err := o.f.Store.ClientOverview(ctx, o.f.Location.ID, o.me.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Upcoming: both bookings of the group, soonest first, the
		// cancelled one marked, each with the group's manage token.
		if len(ov.Upcoming) != 2 {
			t.Fatalf("%d upcoming, want 2: %+v", len(ov.Upcoming), ov.Upcoming)
		}
		if !ov.Upcoming[0].Event.StartsAt.Before(ov.Upcoming[1].Event.StartsAt) {
			t.Error("upcoming not soonest first")
		}
		for _, b := range ov.Upcoming {
			if b.GroupToken != o.group.Group.Token || b.ClientID != o.me.ID || b.ServiceName != "Yoga" || b.MemberName != "Sofie" {
				t.Errorf("upcoming %+v", b)
			}
		}
		if got := ov.Upcoming[0]; got.ID != o.group.Bookings[1].ID || got.Active() {
			t.Errorf("the first upcoming should be the cancelled booking %d, got %d (%s)", o.group.Bookings[1].ID, got.ID, got.Status)
		}
		// Past: the Pilates class that is over.
		if len(ov.Past) != 1 || ov.Past[0].ID != o.past.ID || ov.Past[0].GroupToken == "" || ov.PastMore {
			t.Errorf("past %+v (more %v)", ov.Past, ov.PastMore)
		}
		// Never another client's or another location's booking.
		for _, list := range [][]booking.OverviewBooking{ov.Upcoming, ov.Past} {
			for _, b := range list {
				if b.ID == o.other.ID || b.ID == o.there.ID || b.LocationID != o.f.Location.ID {
					t.Errorf("booking %d of another client or location listed", b.ID)
				}
			}
		}
		// The pass with its balance, without the ledger.
		if len(ov.Passes) != 1 || ov.Passes[0].ID != o.pass.ID || ov.Passes[0].Balance != 5 || ov.Passes[0].ValidUntil == "" || ov.Passes[0].Entries != nil {
			t.Errorf("passes %+v", ov.Passes)
		}
		// The place in line, with its position.
		if len(ov.Waiting) != 1 || ov.Waiting[0].Entry.ID != o.entry.ID || ov.Waiting[0].Position != 1 || ov.Waiting[0].Service != "Yoga" {
			t.Errorf("waiting %+v", ov.Waiting)
		}

		// Once the full class has started, its line is gone from the page.
		o.f.Now = o.full.StartsAt.Add(time.Minute)
		if ov, err = o.f.Store.ClientOverview(ctx, o.f.Location.ID, o.me.ID); err != nil {
			t.Fatal(err)
		}
		if len(ov.Waiting) != 0 {
			t.Errorf("a started class's line still listed: %+v", ov.Waiting)
		}
		if len(ov.Upcoming) != 0 || len(ov.Past) != 3 || ov.Past[2].ID != o.past.ID {
			t.Errorf("after the classes: %d upcoming, %d past", len(ov.Upcoming), len(ov.Past))
		}
	})
}

func TestClientOverviewEmpty(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		o := seedOverview(t, db)
		ctx := context.Background()
		// Client 0 (a phone nobody booked with) and a client id of another
		// location both read as nothing at all, without an error.
		there, err := o.f.Store.Client(ctx, o.there.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{0, there.ID, 999999} {
			ov, err := o.f.Store.ClientOverview(ctx, o.f.Location.ID, id)
			if err != nil {
				t.Fatalf("client %d: %v", id, err)
			}
			if len(ov.Upcoming)+len(ov.Past)+len(ov.Passes)+len(ov.Waiting) != 0 {
				t.Errorf("client %d at the first location: %+v", id, ov)
			}
		}
	})
}

func TestClientOverviewPastLimit(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		ctx := context.Background()
		n := booking.MaxOverviewPast + 2
		start := f.Now.Add(time.Hour)
		for i := range n {
			ev := f.Event(t, f.Yoga, f.Sofie, start.Add(time.Duration(i)*2*time.Hour), 5)
			if _, err := f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, EventIDs: []int64{ev.ID}, Seats: 1, Client: booktest.Client(1), Lang: "en"}); err != nil {
				t.Fatal(err)
			}
		}
		f.Now = start.Add(time.Duration(n) * 2 * time.Hour)
		cl, err := f.Store.ClientByPhone(ctx, f.Location.ID, booktest.Client(1).Phone)
		if err != nil {
			t.Fatal(err)
		}
		ov, err := f.Store.ClientOverview(ctx, f.Location.ID, cl.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ov.Past) != booking.MaxOverviewPast || !ov.PastMore {
			t.Fatalf("%d past (more %v), want %d and more", len(ov.Past), ov.PastMore, booking.MaxOverviewPast)
		}
		if !ov.Past[0].Event.StartsAt.After(ov.Past[1].Event.StartsAt) {
			t.Error("past not latest first")
		}
	})
}
