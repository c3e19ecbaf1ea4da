package booktest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/crypto/bcrypt"

	"groupbook/booking"
)

// Fixture is a small studio with readable names, the world most tests need.
type Fixture struct {
	Store    *booking.Store
	Location *booking.Location
	Yoga     *booking.Service
	Pilates  *booking.Service
	Sofie    *booking.TeamMember // runs Yoga
	Marton   *booking.TeamMember // runs Pilates
	Link     *booking.Link       // "sunrise": up to 10 events, up to 4 seats
	// Now is the fixed clock of the store: Monday 2026-03-02 09:00 UTC.
	Now time.Time
}

// Now is the fixed clock fixtures start with.
var Now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Seed builds the fixture on db.
func Seed(tb testing.TB, db *bun.DB) *Fixture {
	tb.Helper()
	ctx := context.Background()
	st := booking.NewStore(db)
	st.PasswordCost = bcrypt.MinCost // fixtures' passwords protect nothing
	f := &Fixture{Store: st, Now: Now}
	st.Now = func() time.Time { return f.Now }
	var err error
	f.Location, err = st.CreateLocation(ctx, booking.LocationInput{
		Name: "Sunrise Yoga", Address: "Király utca 1, Budapest", TimeZone: "Europe/Budapest",
		Country: "HU", DefaultLang: "en",
	})
	must(tb, err)
	f.Yoga, err = st.CreateService(ctx, f.Location.ID, booking.ServiceInput{
		Name: "Yoga", Category: "Classes", DurationMin: 60, DefaultCapacity: 10,
		PriceMinor: 350000, Currency: "HUF", Color: "#2a9d8f", OnlineBooking: true,
	})
	must(tb, err)
	f.Pilates, err = st.CreateService(ctx, f.Location.ID, booking.ServiceInput{
		Name: "Pilates", Category: "Classes", DurationMin: 50, DefaultCapacity: 8,
		PriceMinor: 300000, Currency: "HUF", Color: "#e76f51", OnlineBooking: true,
	})
	must(tb, err)
	f.Sofie, err = st.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "Sofie", Title: "Yoga teacher", ServiceIDs: []int64{f.Yoga.ID}})
	must(tb, err)
	f.Marton, err = st.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "Márton", Title: "Pilates trainer", ServiceIDs: []int64{f.Pilates.ID}})
	must(tb, err)
	f.Link = &booking.Link{
		LocationID: f.Location.ID, Slug: "sunrise", Name: "Website", Enabled: true,
		MultiEvent: true, MaxEvents: 10, MultiSeat: true, MaxSeats: 4,
		EmailMode: booking.FieldOptional, CommentMode: booking.FieldOptional,
		CancelAllowed: true, CancelCutoffMin: 120,
	}
	must(tb, st.SaveLink(ctx, f.Link))
	return f
}

// Event creates an event of svc with member starting at start.
func (f *Fixture) Event(tb testing.TB, svc *booking.Service, member *booking.TeamMember, start time.Time, capacity int) *booking.Event {
	tb.Helper()
	ev, err := f.Store.CreateEvent(context.Background(), f.Location.ID, booking.EventInput{
		ServiceID: svc.ID, TeamMemberID: member.ID, StartsAt: start, Capacity: &capacity,
	})
	must(tb, err)
	return ev
}

// AlsoRuns lets m run svcs as well as its own services, for tests that put
// a member on another service's events (an event's member must run its
// service, schedule_integrity.go).
func (f *Fixture) AlsoRuns(tb testing.TB, m *booking.TeamMember, svcs ...*booking.Service) {
	tb.Helper()
	ctx := context.Background()
	runs, err := f.Store.MemberServices(ctx, f.Location.ID)
	must(tb, err)
	ids := runs[m.ID]
	for _, s := range svcs {
		ids = append(ids, s.ID)
	}
	_, err = f.Store.UpdateTeamMember(ctx, m.ID, booking.TeamMemberInput{Name: m.Name, Title: m.Title, ServiceIDs: ids})
	must(tb, err)
}

// YogaEvents creates n Yoga events with Sofie, a day apart from tomorrow 18:00 UTC.
func (f *Fixture) YogaEvents(tb testing.TB, n, capacity int) []*booking.Event {
	tb.Helper()
	out := make([]*booking.Event, n)
	start := f.Now.Truncate(24*time.Hour).AddDate(0, 0, 1).Add(18 * time.Hour)
	for i := range out {
		out[i] = f.Event(tb, f.Yoga, f.Sofie, start.AddDate(0, 0, i), capacity)
	}
	return out
}

// Client returns a valid client input for a Hungarian mobile number ending in n.
func Client(n int) booking.ClientInput {
	return booking.ClientInput{
		Phone:     hungarianMobile(n),
		FirstName: "Anna", LastName: "Kovács",
	}
}

func hungarianMobile(n int) string {
	const digits = "0123456789"
	b := []byte("+36201000000")
	for i := len(b) - 1; n > 0 && i > 5; i-- {
		b[i] = digits[n%10]
		n /= 10
	}
	return string(b)
}

// Invariant checks every event's seats_taken equals the sum of its active
// bookings' seats and of the seats its waitlist offers hold, and never
// exceeds capacity. It returns the violations.
func Invariant(tb testing.TB, db *bun.DB) []string {
	tb.Helper()
	var rows []struct {
		ID       int64 `bun:"id"`
		Capacity int   `bun:"capacity"`
		Taken    int   `bun:"seats_taken"`
		Sum      int   `bun:"sum"`
	}
	err := db.NewSelect().TableExpr("events AS e").
		ColumnExpr("e.id, e.capacity, e.seats_taken").
		ColumnExpr("COALESCE((SELECT SUM(b.seats) FROM bookings b WHERE b.event_id = e.id AND b.status <> 'cancelled'), 0)"+
			" + COALESCE((SELECT SUM(w.seats) FROM waitlist_entries w WHERE w.event_id = e.id AND w.state = 'offered' AND w.reserved), 0) AS sum").
		Where("e.deleted_at IS NULL").
		Scan(context.Background(), &rows)
	must(tb, err)
	var bad []string
	for _, r := range rows {
		if r.Taken != r.Sum || r.Sum > r.Capacity {
			bad = append(bad, fmt.Sprintf("event %d: capacity %d, seats_taken %d, booked %d", r.ID, r.Capacity, r.Taken, r.Sum))
		}
	}
	return bad
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
