package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// EventWindow is one event with what the staff's event window shows: its
// service and team member, and its clients.
type EventWindow struct {
	Event      Event
	Service    Service
	TeamMember TeamMember
	// Active holds the bookings that hold seats, oldest first.
	Active []EventClient
	// Cancelled keeps the history, oldest first.
	Cancelled []EventClient
	// Totals counts what the active bookings have paid and owe.
	Totals PaymentTotals
}

// PaymentTotals sums an event's active bookings by payment: how many are
// paid (at the desk, by a pass or free) and how many unpaid, by bookings
// and by seats, and what the desk took (DeskMinor, in the service's
// currency).
type PaymentTotals struct {
	PaidBookings   int
	UnpaidBookings int
	PaidSeats      int
	UnpaidSeats    int
	PassSeats      int
	DeskMinor      int64
	// OnlineMinor is what the bookings paid online, before refunds.
	OnlineMinor int64
	Currency    string
}

func (t *PaymentTotals) add(b *Booking) {
	if !b.Payment.Paid() {
		t.UnpaidBookings++
		t.UnpaidSeats += b.Seats
		return
	}
	t.PaidBookings++
	t.PaidSeats += b.Seats
	switch b.Payment {
	case PaymentPass:
		t.PassSeats += b.Seats
	case PaymentDesk:
		t.DeskMinor += b.PaidAmountMinor
	case PaymentOnline:
		t.OnlineMinor += b.PaidAmountMinor
	}
}

// EventClient is one booking of an event with its client (the other way
// round from ClientBooking, a client's booking with its event).
type EventClient struct {
	Booking
	Client Client
	// PassName names the pass that paid (Payment is PaymentPass).
	PassName string
	// Money is the booking's online money and refunds (zero when it was
	// not paid online).
	Money BookingMoney
	// HoldUntil is when the seats go back unless the online payment
	// arrives (Payment is PaymentOnlinePending); nil otherwise.
	HoldUntil *time.Time
}

// EventWindow loads a live event of the location with its bookings. An
// event of another location, or one removed from the schedule, is
// ErrNotFound: staff reach the window from the schedule, which no longer
// shows it.
func (s *Store) EventWindow(ctx context.Context, locationID, eventID int64) (*EventWindow, error) {
	ev, err := s.LiveEvent(ctx, locationID, eventID)
	if err != nil {
		return nil, err
	}
	w := &EventWindow{Event: *ev}
	if err := s.db.NewSelect().Model(&w.Service).Where("id = ?", ev.ServiceID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("service %d of event %d: %w", ev.ServiceID, ev.ID, err)
	}
	if err := s.db.NewSelect().Model(&w.TeamMember).Where("id = ?", ev.TeamMemberID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("team member %d of event %d: %w", ev.TeamMemberID, ev.ID, err)
	}
	bookings, err := s.EventBookings(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	clients, err := s.clientsByID(ctx, bookings)
	if err != nil {
		return nil, err
	}
	passNames, err := s.passNames(ctx, bookings)
	if err != nil {
		return nil, err
	}
	money, holds, err := s.onlineOf(ctx, bookings)
	if err != nil {
		return nil, err
	}
	w.Totals.Currency = w.Service.Currency
	for _, b := range bookings {
		cb := EventClient{Booking: b, Client: clients[b.ClientID], PassName: passNames[b.PassID], Money: money[b.ID]}
		if b.Payment == PaymentOnlinePending {
			cb.HoldUntil = holds[b.GroupID]
		}
		if b.Active() {
			w.Totals.add(&b)
			w.Active = append(w.Active, cb)
		} else {
			w.Cancelled = append(w.Cancelled, cb)
		}
	}
	return w, nil
}

// EventBooking loads a booking only if it is in the event and the event is
// the location's, so ids taken from a URL cannot reach another event's or
// another studio's booking.
func (s *Store) EventBooking(ctx context.Context, locationID, eventID, bookingID int64) (*Booking, error) {
	b := new(Booking)
	err := s.db.NewSelect().Model(b).
		Where("id = ? AND event_id = ? AND location_id = ?", bookingID, eventID, locationID).
		Scan(ctx)
	if err != nil {
		return nil, notFound(err, "booking of event", fmt.Sprintf("%d/%d", eventID, bookingID))
	}
	return b, nil
}

// LiveEvent loads an event only if it is the location's and still on the
// schedule; anything else is ErrNotFound.
func (s *Store) LiveEvent(ctx context.Context, locationID, eventID int64) (*Event, error) {
	ev := new(Event)
	err := s.db.NewSelect().Model(ev).
		Where("id = ? AND location_id = ? AND deleted_at IS NULL", eventID, locationID).
		Scan(ctx)
	if err != nil {
		return nil, notFound(err, "event", eventID)
	}
	return ev, nil
}

func (s *Store) clientsByID(ctx context.Context, bookings []Booking) (map[int64]Client, error) {
	out := map[int64]Client{}
	if len(bookings) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(bookings))
	for _, b := range bookings {
		ids = append(ids, b.ClientID)
	}
	var list []Client
	if err := s.db.NewSelect().Model(&list).Where("id IN (?)", bun.List(uniqueIDs(ids))).Scan(ctx); err != nil {
		return nil, fmt.Errorf("clients of bookings: %w", err)
	}
	for _, c := range list {
		out[c.ID] = c
	}
	return out, nil
}

// passNames maps the ids of the passes that paid bookings to their names.
func (s *Store) passNames(ctx context.Context, bookings []Booking) (map[int64]string, error) {
	var ids []int64
	for _, b := range bookings {
		if b.PassID != 0 {
			ids = append(ids, b.PassID)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var list []ClientPass
	if err := s.db.NewSelect().Model(&list).Column("id", "name").Where("id IN (?)", bun.List(uniqueIDs(ids))).Scan(ctx); err != nil {
		return nil, fmt.Errorf("passes of bookings: %w", err)
	}
	for _, p := range list {
		out[p.ID] = p.Name
	}
	return out, nil
}

// onlineOf reads the online side of bookings: their money by booking, and
// the hold's end of the groups still awaiting a payment.
func (s *Store) onlineOf(ctx context.Context, bookings []Booking) (map[int64]BookingMoney, map[int64]*time.Time, error) {
	var ids, groups []int64
	for _, b := range bookings {
		switch b.Payment {
		case PaymentOnline:
			ids = append(ids, b.ID)
		case PaymentOnlinePending:
			groups = append(groups, b.GroupID)
		}
	}
	money, err := s.BookingsMoney(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	holds := map[int64]*time.Time{}
	if len(groups) == 0 {
		return money, holds, nil
	}
	var list []Group
	if err := s.db.NewSelect().Model(&list).Column("id", "hold_until").
		Where("id IN (?) AND state = ?", bun.List(groups), GroupPendingPayment).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("holds: %w", err)
	}
	for _, g := range list {
		holds[g.ID] = g.HoldUntil
	}
	return money, holds, nil
}
