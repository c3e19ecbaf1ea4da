package widget

import (
	"context"
	"fmt"
	"slices"

	"groupbook/booking"
)

// ManageItem is one booking on the client's manage page.
type ManageItem struct {
	Booking booking.Booking
	Event   booking.Event
	Service booking.Service
	Member  booking.TeamMember
	// CancelErr is why the client cannot cancel online (nil: they can).
	CancelErr error
	// RescheduleErr is why the client cannot move the booking online (nil:
	// they can, to the targets RescheduleTargets lists).
	RescheduleErr error
}

// Manage is everything the manage page shows for one group of bookings.
type Manage struct {
	Reservation *booking.Reservation
	// Link is the link the bookings came through; for bookings staff made it
	// is a stand-in that allows no online cancellation.
	Link  *booking.Link
	Cat   *Catalog
	Items []ManageItem
	// Pass is the pass that paid the bookings, with its balance now; nil
	// when none did.
	Pass *booking.ClientPass
	// Payments are the group's online payments, newest first: loaded only
	// for a group that was held for one (see OnlineState).
	Payments []booking.OnlinePayment
	// Money is each booking's online money (paid, refunded, refunds
	// pending), for a group held for one.
	Money map[int64]booking.BookingMoney
}

// OpenManage loads the bookings a manage token opens.
func (f *Flow) OpenManage(ctx context.Context, token string) (*Manage, error) {
	res, err := f.Store.GroupByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	link := &booking.Link{LocationID: res.Group.LocationID}
	if res.Group.LinkID != 0 {
		if link, err = f.Store.Link(ctx, res.Group.LinkID); err != nil {
			return nil, err
		}
	}
	cat, err := f.catalog(ctx, res.Group.LocationID)
	if err != nil {
		return nil, err
	}
	m := &Manage{Reservation: res, Link: link, Cat: cat}
	now := f.Now()
	for _, b := range res.Bookings {
		ev, err := f.Store.Event(ctx, b.EventID)
		if err != nil {
			return nil, fmt.Errorf("manage: %w", err)
		}
		it := ManageItem{Booking: b, Event: *ev, Service: cat.Service(ev.ServiceID), Member: cat.Member(ev.TeamMemberID)}
		var l *booking.Link
		if res.Group.LinkID != 0 {
			l = link
		}
		it.CancelErr = booking.CanClientCancel(&b, ev, l, now)
		it.RescheduleErr = booking.CanClientReschedule(&b, ev, l, now)
		m.Items = append(m.Items, it)
	}
	for _, b := range res.Bookings {
		if b.PassID == 0 {
			continue
		}
		// Scoped by the group's client and location: the page shows only
		// the pass of the client the token belongs to.
		p, err := f.Store.ClientPass(ctx, booking.PassRef{LocationID: res.Group.LocationID, ClientID: res.Group.ClientID, PassID: b.PassID})
		if err != nil {
			return nil, fmt.Errorf("manage: %w", err)
		}
		p.Entries = nil
		m.Pass = p
		break
	}
	if m.heldOnline() {
		if m.Payments, err = f.Store.GroupPayments(ctx, res.Group.ID); err != nil {
			return nil, fmt.Errorf("manage: %w", err)
		}
		ids := make([]int64, len(res.Bookings))
		for i, b := range res.Bookings {
			ids[i] = b.ID
		}
		if m.Money, err = f.Store.BookingsMoney(ctx, ids); err != nil {
			return nil, fmt.Errorf("manage: %w", err)
		}
	}
	// Bookings are created in id order (the lock order), not the order the
	// client reads a calendar in.
	slices.SortStableFunc(m.Items, func(a, b ManageItem) int { return byStart(a.Event, b.Event) })
	return m, nil
}

// Active counts the bookings still holding seats.
func (m *Manage) Active() int {
	n := 0
	for _, it := range m.Items {
		if it.Booking.Active() {
			n++
		}
	}
	return n
}

// Calendar returns the calendar items of the given booking, or of every
// booking when id is 0.
func (m *Manage) Calendar(id int64) []CalendarItem {
	var out []CalendarItem
	for _, it := range m.Items {
		if id == 0 || it.Booking.ID == id {
			out = append(out, CalendarItem{Booking: it.Booking, Event: it.Event, Service: it.Service, Member: it.Member, Location: *m.Cat.Location})
		}
	}
	return out
}

// Cancel cancels one booking of the group the token opens; ip is the
// client's address, for the SMS limits.
func (f *Flow) Cancel(ctx context.Context, token string, bookingID int64, ip string) (*booking.Booking, error) {
	return f.Store.CancelByClient(ctx, token, bookingID, ip)
}

// Item returns the group's booking with the given id (false: the group has
// no such booking, so an id from the browser names someone else's).
func (m *Manage) Item(id int64) (ManageItem, bool) {
	for _, it := range m.Items {
		if it.Booking.ID == id {
			return it, true
		}
	}
	return ManageItem{}, false
}

// RescheduleTargets lists the events the token's booking can move to.
func (f *Flow) RescheduleTargets(ctx context.Context, token string, bookingID int64, limit int) ([]booking.Event, error) {
	return f.Store.RescheduleTargets(ctx, token, bookingID, f.Now(), limit)
}

// Reschedule moves one booking of the token's group to another event.
func (f *Flow) Reschedule(ctx context.Context, req booking.RescheduleRequest) (*booking.Reschedule, error) {
	return f.Store.RescheduleByClient(ctx, req)
}
