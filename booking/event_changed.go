package booking

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// EventEdit is what a staff edit of one event, or of a series from one
// event on, did: the events as they are now, in start order, and how many
// clients a "changed" message went to, so the admin can say so.
type EventEdit struct {
	Events []Event
	Told   int
}

// eventChange is one event as it was before an edit and as it is after.
type eventChange struct {
	before Event
	after  *Event
}

// moved says the change is one a booked client must hear about: a new
// start or a new team member. Capacity, colour and notes are the studio's
// business and change nothing in the client's calendar.
func (c eventChange) moved() bool {
	return !c.before.StartsAt.Equal(c.after.StartsAt) || c.before.TeamMemberID != c.after.TeamMemberID
}

// clientChanged collects one client's bookings changed by one edit, so a
// series edit sends one message per client, not one per event.
type clientChanged struct {
	clientID int64
	first    *Booking
	items    []MessageItem
	bookings []*Booking
	events   []*Event
}

// tellEventChanges runs, inside the edit's transaction and under its
// event locks, what a change of start or team member means for the
// bookings: each active booking's SEQUENCE goes up (a calendar that
// imported its .ics then updates the event rather than adding a second);
// a moved start skips the pending reminders and queues them again at the
// new time; every client with a paid or unpaid (not online-pending)
// booking of an upcoming changed event gets ONE "changed" message listing
// all those bookings with their old time and team member. Bookings held for
// an online payment are not told: their "booked" message, queued when the
// payment arrives, already carries the new time. The messages are staff's
// (no widget origin), so the SMS limits do not count them. It returns the
// number of clients told.
func (s *Store) tellEventChanges(ctx context.Context, tx bun.Tx, locationID int64, changes []eventChange, now time.Time) (int, error) {
	byID := map[int64]eventChange{}
	var ids []int64
	for _, c := range changes {
		if c.moved() {
			byID[c.after.ID] = c
			ids = append(ids, c.after.ID)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	var bookings []Booking
	err := tx.NewSelect().Model(&bookings).
		Where("event_id IN (?) AND status <> ?", bun.List(ids), StatusCancelled).
		Order("id").Scan(ctx)
	if err != nil {
		return 0, fmt.Errorf("bookings of changed events: %w", err)
	}
	if len(bookings) == 0 {
		return 0, nil
	}
	_, err = tx.NewUpdate().Model((*Booking)(nil)).
		Set("sequence = sequence + 1").Set("updated_at = ?", now).
		Where("event_id IN (?) AND status <> ?", bun.List(ids), StatusCancelled).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("bump sequence of changed bookings: %w", err)
	}
	for i := range bookings {
		bookings[i].Sequence++
		bookings[i].UpdatedAt = now
	}
	w, err := newOutboxWriter(ctx, tx, locationID, now)
	if err != nil || !w.on() {
		return 0, err
	}
	names, err := changedMemberNames(ctx, tx, changes)
	if err != nil {
		return 0, err
	}
	// A client's bookings in start order, so the message leads with the
	// first date that changed.
	slices.SortStableFunc(bookings, func(a, b Booking) int {
		return cmp.Or(byID[a.EventID].after.StartsAt.Compare(byID[b.EventID].after.StartsAt), cmp.Compare(a.ID, b.ID))
	})
	var order []*clientChanged
	clients := map[int64]*clientChanged{}
	for i := range bookings {
		b := &bookings[i]
		if b.Payment == PaymentOnlinePending {
			continue
		}
		c := byID[b.EventID]
		cc := clients[b.ClientID]
		if cc == nil {
			cc = &clientChanged{clientID: b.ClientID, first: b}
			clients[b.ClientID] = cc
			order = append(order, cc)
		}
		cc.bookings = append(cc.bookings, b)
		cc.events = append(cc.events, c.after)
		// Only a class still ahead, before and after, is news: staff
		// correcting the record of a past class tell no one.
		if !c.before.StartsAt.After(now) || !c.after.StartsAt.After(now) {
			continue
		}
		it, err := w.item(ctx, b, c.after)
		if err != nil {
			return 0, err
		}
		from := c.before.StartsAt.UTC()
		it.From, it.Member = &from, names[c.after.TeamMemberID]
		if c.before.TeamMemberID != c.after.TeamMemberID {
			it.FromMember = names[c.before.TeamMemberID]
		}
		cc.items = append(cc.items, it)
	}
	told := 0
	for _, cc := range order {
		to, err := clientContact(ctx, tx, cc.clientID)
		if err != nil {
			return 0, err
		}
		if len(cc.items) > 0 {
			ok, err := w.tell(ctx, to, cc)
			if err != nil {
				return 0, err
			}
			if ok {
				told++
			}
		}
		// Reminders after the message: it is sent first, and a reminder
		// is due later anyway.
		for i, b := range cc.bookings {
			if c := byID[b.EventID]; c.before.StartsAt.Equal(c.after.StartsAt) {
				continue
			}
			if err := w.skipReminders(ctx, b.ID); err != nil {
				return 0, err
			}
			if err := w.reminder(ctx, to, b, cc.events[i]); err != nil {
				return 0, err
			}
		}
	}
	return told, nil
}

// tell queues one client's "changed" message, in the language and with the
// manage link of the client's first changed booking (the other bookings of
// the message are listed in it; each group's page lists its own). It says
// whether a message is on its way by some channel.
func (w *outboxWriter) tell(ctx context.Context, to recipient, cc *clientChanged) (bool, error) {
	sms, email := w.channels(to)
	if sms && !w.phoneAllowed(to.Phone) {
		sms = false
	}
	b := cc.first
	var bookingID int64
	if len(cc.items) == 1 {
		bookingID = cc.items[0].BookingID
	}
	p := MessagePayload{Items: cc.items, Token: w.token(ctx, b.GroupID), From: cc.items[0].From}
	if err := w.add(ctx, SMSChanged, to, b.Lang, b.GroupID, bookingID, p, w.now); err != nil {
		return false, err
	}
	return sms || email, nil
}

// changedMemberNames reads the names of the team members before and after the
// changes, for the messages.
func changedMemberNames(ctx context.Context, tx bun.Tx, changes []eventChange) (map[int64]string, error) {
	var ids []int64
	for _, c := range changes {
		ids = append(ids, c.before.TeamMemberID, c.after.TeamMemberID)
	}
	return memberNames(ctx, tx, uniqueIDs(ids)...)
}
