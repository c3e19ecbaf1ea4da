package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"groupbook/booking"
)

// Shape of the extra events "demo -events N" adds, for load runs: a busy
// studio with classes every 75 minutes from early morning to late evening,
// every day, for as many years as N needs (50,000 events ≈ 11 years).
const (
	// demoBatch rows go into one INSERT: few round trips, and statements
	// of a few hundred KB at most (bun inlines the values).
	demoBatch = 500
	// demoClients is the pool of clients the pre-booked seats belong to.
	demoClients = 60
	// Share of the extra events that are full, and that are partly booked.
	demoFullShare, demoPartShare = 0.10, 0.25
)

// demoSlots are the local start times of the extra events, 75 minutes
// apart, so one team member's classes never overlap.
var demoSlots = []int{7*60 + 15, 8*60 + 30, 9*60 + 45, 11 * 60, 12*60 + 15, 13*60 + 30,
	14*60 + 45, 16 * 60, 17*60 + 15, 18*60 + 30, 19*60 + 45, 21 * 60}

// demoCapacities are the capacities the extra events pick from.
var demoCapacities = []int{4, 6, 8, 10, 12, 15, 20}

// addDemoEvents adds n future events to the demo, spread over its services
// and their team members, from tomorrow's local date on. About a tenth are
// full and a quarter partly booked; every taken seat belongs to a real
// booking (staff bookings of demo clients, each in its own group, as
// Reserve makes them), so the admin pages agree with the seat counts.
//
// It writes in bulk in one transaction, bypassing the store's one-by-one
// validation: the values are built here from validated demo services and
// team members. It runs before the server starts, so no request competes
// for SQLite's write lock.
func addDemoEvents(ctx context.Context, st *booking.Store, d *demoData, now time.Time, n int) error {
	if n <= 0 {
		return nil
	}
	zone := d.Location.Zone()
	pairs := []struct {
		svc *booking.Service
		tm  *booking.TeamMember
	}{{d.Yoga, d.Sofie}, {d.Pilates, d.Marton}}
	// A fixed seed: every demo start shows the same schedule shape.
	rnd := mrand.New(mrand.NewPCG(9, uint64(n)))
	created := now.UTC().Truncate(time.Microsecond)
	tomorrow := now.In(zone).AddDate(0, 0, 1)

	events := make([]booking.Event, n)
	taken := make([]int, n)
	for i := range events {
		day := tomorrow.AddDate(0, 0, i/len(demoSlots))
		slot := demoSlots[i%len(demoSlots)]
		start := time.Date(day.Year(), day.Month(), day.Day(), slot/60, slot%60, 0, 0, zone)
		p := pairs[rnd.IntN(len(pairs))]
		capacity := demoCapacities[rnd.IntN(len(demoCapacities))]
		events[i] = booking.Event{
			LocationID: d.Location.ID, ServiceID: p.svc.ID, TeamMemberID: p.tm.ID,
			StartsAt: start.UTC(), DurationMin: p.svc.DurationMin, Capacity: capacity,
			Color: p.svc.Color, Category: p.svc.Category, CreatedAt: created,
		}
		switch r := rnd.Float64(); {
		case r < demoFullShare:
			taken[i] = capacity
		case r < demoFullShare+demoPartShare:
			taken[i] = 1 + rnd.IntN(capacity-1)
		}
		// The seat count goes in with the event; the bookings that
		// hold the seats follow in the same transaction.
		events[i].SeatsTaken = taken[i]
	}
	err := st.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := insertBatches(ctx, tx, events); err != nil {
			return fmt.Errorf("demo events: %w", err)
		}
		clients, err := insertDemoClients(ctx, tx, d.Location.ID, created)
		if err != nil {
			return err
		}
		return bookDemoSeats(ctx, tx, events, taken, clients, rnd, created)
	})
	if err != nil {
		return err
	}
	// A PostgreSQL database that grew to this size over years has been
	// analyzed by autovacuum; one filled in seconds has not, until
	// autovacuum wakes up a minute later, and meanwhile the planner thinks
	// the events table is empty (a 0.2 ms list query takes 300 ms). So
	// the demo does what autovacuum would, and a load run measures the
	// same plans whenever it starts. SQLite has no such daemon: keeping
	// its statistics is the server's own job, so the demo leaves it be.
	// Only the tables the filler grew: a bare ANALYZE also reads every
	// system catalog, the shared ones included, which queues behind other
	// databases' ANALYZE and took seconds on a busy server.
	if st.DB().Dialect().Name() == dialect.PG {
		if _, err := st.DB().ExecContext(ctx, "ANALYZE events, bookings, booking_groups, clients"); err != nil {
			return fmt.Errorf("demo: analyze: %w", err)
		}
	}
	return nil
}

// insertBatches inserts rows demoBatch at a time and fills in their ids.
func insertBatches[T any](ctx context.Context, tx bun.Tx, rows []T) error {
	for from := 0; from < len(rows); from += demoBatch {
		batch := rows[from:min(from+demoBatch, len(rows))]
		if _, err := tx.NewInsert().Model(&batch).Returning("id").Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// insertDemoClients creates the clients whose bookings fill the seats.
func insertDemoClients(ctx context.Context, tx bun.Tx, locationID int64, at time.Time) ([]booking.Client, error) {
	first := []string{"Anna", "Bence", "Csilla", "Dániel", "Eszter", "Ferenc", "Gabriella", "Hanna", "István", "Judit"}
	last := []string{"Kovács", "Szabó", "Tóth", "Nagy", "Horváth", "Varga"}
	clients := make([]booking.Client, demoClients)
	for i := range clients {
		clients[i] = booking.Client{
			LocationID: locationID, Phone: fmt.Sprintf("+3620555%04d", i+1),
			FirstName: first[i%len(first)], LastName: last[i/len(first)%len(last)], CreatedAt: at,
		}
	}
	if err := insertBatches(ctx, tx, clients); err != nil {
		return nil, fmt.Errorf("demo clients: %w", err)
	}
	return clients, nil
}

// bookDemoSeats writes the bookings behind each event's taken seats: one
// to four seats each, every booking by a different client.
func bookDemoSeats(ctx context.Context, tx bun.Tx, events []booking.Event, taken []int, clients []booking.Client, rnd *mrand.Rand, at time.Time) error {
	var groups []booking.Group
	var bookings []booking.Booking
	flush := func() error {
		if err := insertBatches(ctx, tx, groups); err != nil {
			return fmt.Errorf("demo booking groups: %w", err)
		}
		for i := range bookings {
			bookings[i].GroupID = groups[i].ID
		}
		if err := insertBatches(ctx, tx, bookings); err != nil {
			return fmt.Errorf("demo bookings: %w", err)
		}
		groups, bookings = groups[:0], bookings[:0]
		return nil
	}
	for i, ev := range events {
		if taken[i] == 0 {
			continue
		}
		next := rnd.IntN(len(clients))
		for left := taken[i]; left > 0; next++ {
			n := min(left, 1+rnd.IntN(4))
			left -= n
			c := clients[next%len(clients)]
			key := demoToken()
			groups = append(groups, booking.Group{
				LocationID: ev.LocationID, ClientID: c.ID, RequestKey: "staff-" + key,
				Fingerprint: "demo", Token: demoToken(), Lang: "en", CreatedAt: at,
			})
			bookings = append(bookings, booking.Booking{
				LocationID: ev.LocationID, EventID: ev.ID, ClientID: c.ID, Seats: n,
				Status: booking.StatusConfirmed, Source: booking.SourceAdmin, Lang: "en",
				CreatedAt: at, UpdatedAt: at,
			})
		}
		if len(bookings) >= demoBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// demoToken is a random token like the store's manage-link tokens.
func demoToken() string {
	b := make([]byte, 16)
	rand.Read(b) //nolint:errcheck // crypto/rand does not fail on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
