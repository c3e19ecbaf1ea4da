package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// staffReq is a booking staff make in the event window: no link, no key.
func staffReq(f *booktest.Fixture, client, seats int, visitor string, ev *booking.Event) booking.ReserveRequest {
	return booking.ReserveRequest{
		LocationID: f.Location.ID, EventIDs: []int64{ev.ID}, Seats: seats,
		Client: booktest.Client(client), VisitorName: visitor,
	}
}

func TestEventWindow(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		ev := evs[0]
		web := req(f, 1, 2, ev)
		web.UTM = booking.UTM{Source: "instagram", Medium: "bio"}
		wres, err := f.Store.Reserve(ctx, web)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Reserve(ctx, staffReq(f, 1, 1, "Peti", ev)); err != nil {
			t.Fatal(err)
		}
		gone, err := f.Store.Reserve(ctx, staffReq(f, 2, 3, "", ev))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.CancelByAdmin(ctx, gone.Bookings[0].ID); err != nil {
			t.Fatal(err)
		}
		// A booking in another event stays out of this window.
		if _, err := f.Store.Reserve(ctx, staffReq(f, 3, 1, "", evs[1])); err != nil {
			t.Fatal(err)
		}

		w, err := f.Store.EventWindow(ctx, f.Location.ID, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w.Service.ID != f.Yoga.ID || w.TeamMember.ID != f.Sofie.ID || w.Event.SeatsTaken != 3 {
			t.Errorf("window: service %d, member %d, taken %d", w.Service.ID, w.TeamMember.ID, w.Event.SeatsTaken)
		}
		if len(w.Active) != 2 || len(w.Cancelled) != 1 {
			t.Fatalf("active %d, cancelled %d", len(w.Active), len(w.Cancelled))
		}
		first, second := w.Active[0], w.Active[1]
		if first.ID != wres.Bookings[0].ID || first.Seats != 2 || first.Client.Phone != booktest.Client(1).Phone || first.Channel() != booking.ChannelInstagram {
			t.Errorf("widget booking: %+v", first)
		}
		if second.VisitorName != "Peti" || second.Client.ID != first.Client.ID || second.Channel() != "" {
			t.Errorf("visitor booking: %+v", second)
		}
		if w.Cancelled[0].Client.FirstName != "Anna" || w.Cancelled[0].Status != booking.StatusCancelled {
			t.Errorf("cancelled: %+v", w.Cancelled[0])
		}

		// Another location's id, an unknown id and a deleted event are not found.
		other, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.EventWindow(ctx, other.ID, ev.ID); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("other location: %v", err)
		}
		if _, err := f.Store.EventWindow(ctx, f.Location.ID, 987654); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown event: %v", err)
		}
		if _, err := f.Store.DeleteEvent(ctx, evs[1].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.EventWindow(ctx, f.Location.ID, evs[1].ID); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("deleted event: %v", err)
		}
	})
}

func TestEventBooking(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		evs := f.YogaEvents(t, 2, 10)
		res, err := f.Store.Reserve(ctx, staffReq(f, 1, 1, "", evs[0]))
		if err != nil {
			t.Fatal(err)
		}
		id := res.Bookings[0].ID
		if b, err := f.Store.EventBooking(ctx, f.Location.ID, evs[0].ID, id); err != nil || b.ID != id {
			t.Fatalf("own event: %v %v", b, err)
		}
		if _, err := f.Store.EventBooking(ctx, f.Location.ID, evs[1].ID, id); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("booking through another event: %v", err)
		}
		if _, err := f.Store.EventBooking(ctx, f.Location.ID+1, evs[0].ID, id); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("booking through another location: %v", err)
		}
	})
}
