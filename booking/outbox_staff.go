package booking

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Messages to staff (the staff_* kinds) go by e-mail only: the studio's
// phones get no SMS from its own booking system, and SMS costs money per
// message where e-mail does not. They go to every admin user with an
// e-mail: users are not tied to a location yet (one install runs one
// location's admin), so everyone who signs in works there.

// staffEmails lists the addresses staff messages go to, in a stable order.
// A deactivated user has left the studio: they hear nothing more.
func staffEmails(ctx context.Context, db bun.IDB) ([]string, error) {
	var out []string
	if err := db.NewSelect().Model((*User)(nil)).Column("email").Where("email <> '' AND active").Order("id").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("staff e-mails: %w", err)
	}
	return out, nil
}

// queueStaffRows writes one e-mail row of kind per staff address, in the
// location's language (staff have no language of their own yet).
func queueStaffRows(ctx context.Context, tx bun.Tx, loc *Location, kind string, groupID, bookingID int64, p MessagePayload, now time.Time) error {
	emails, err := staffEmails(ctx, tx)
	if err != nil || len(emails) == 0 {
		return err
	}
	p.Location, p.TimeZone = loc.Name, loc.TimeZone
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("staff payload: %w", err)
	}
	rows := make([]OutboxMessage, 0, len(emails))
	for _, e := range emails {
		rows = append(rows, OutboxMessage{
			LocationID: loc.ID, Kind: kind, Channel: ChannelEmail, Email: e, Lang: loc.DefaultLang,
			GroupID: groupID, BookingID: bookingID, Payload: string(raw), Status: OutboxPending,
			DueAt: now, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now,
		})
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("queue %s: %w", kind, err)
	}
	return nil
}

// queueStaffNotice e-mails the location's staff about a booking
// (MsgStaffBooked) or a cancellation (MsgStaffCancelled) a client made
// online, when the location asks for it (Location.StaffEmailNotify).
// bookings are the client's bookings of one request; events has each one's
// event.
func queueStaffNotice(ctx context.Context, w *outboxWriter, kind string, client *Client, bookings []Booking, events map[int64]*Event) error {
	if w.loc == nil || !w.loc.StaffEmailNotify || len(bookings) == 0 {
		return nil
	}
	p := MessagePayload{Staff: &MessageStaff{Client: staffClientName(client), Phone: client.Phone, EventID: bookings[0].EventID}}
	for i := range bookings {
		ev := events[bookings[i].EventID]
		if ev == nil {
			return fmt.Errorf("staff notice: event %d of booking %d not given", bookings[i].EventID, bookings[i].ID)
		}
		it, err := w.item(ctx, &bookings[i], ev)
		if err != nil {
			return err
		}
		p.Items = append(p.Items, it)
	}
	var bookingID int64
	if len(bookings) == 1 {
		bookingID = bookings[0].ID
	}
	return queueStaffRows(ctx, w.tx, w.loc, kind, bookings[0].GroupID, bookingID, p, w.now)
}

// queueStaffCancelled is queueStaffNotice for one booking a client
// cancelled, for the cancel path, which has no writer of its own.
func queueStaffCancelled(ctx context.Context, tx bun.Tx, b *Booking, ev *Event, now time.Time) error {
	return queueStaffOne(ctx, tx, MsgStaffCancelled, b, ev, nil, now)
}

// queueStaffMoved tells staff a client moved booking b from one event to
// another online; b is already in `to`.
func queueStaffMoved(ctx context.Context, tx bun.Tx, b *Booking, from, to *Event, now time.Time) error {
	return queueStaffOne(ctx, tx, MsgStaffMoved, b, to, from, now)
}

// queueStaffOne is queueStaffNotice for one booking of event ev; was, when
// set, is the event the booking left (its line then names the old time).
func queueStaffOne(ctx context.Context, tx bun.Tx, kind string, b *Booking, ev, was *Event, now time.Time) error {
	loc := new(Location)
	if err := tx.NewSelect().Model(loc).Where("id = ?", b.LocationID).Scan(ctx); err != nil {
		return notFound(err, "location", b.LocationID)
	}
	if !loc.StaffEmailNotify {
		return nil
	}
	// Staff rows need no SMS settings (no SMS goes to staff), so the
	// writer is built without reading them.
	w := &outboxWriter{tx: tx, now: now, loc: loc, services: map[int64]string{}, tokens: map[int64]string{}}
	cl := new(Client)
	if err := tx.NewSelect().Model(cl).Where("id = ?", b.ClientID).Scan(ctx); err != nil {
		return fmt.Errorf("client %d: %w", b.ClientID, err)
	}
	if was == nil {
		return queueStaffNotice(ctx, w, kind, cl, []Booking{*b}, map[int64]*Event{ev.ID: ev})
	}
	it, err := w.item(ctx, b, ev)
	if err != nil {
		return err
	}
	old := was.StartsAt.UTC()
	it.From = &old
	if was.TeamMemberID != ev.TeamMemberID {
		names, err := memberNames(ctx, tx, was.TeamMemberID, ev.TeamMemberID)
		if err != nil {
			return err
		}
		it.Member, it.FromMember = names[ev.TeamMemberID], names[was.TeamMemberID]
	}
	p := MessagePayload{Staff: &MessageStaff{Client: staffClientName(cl), Phone: cl.Phone, EventID: ev.ID}, Items: []MessageItem{it}}
	return queueStaffRows(ctx, tx, loc, kind, b.GroupID, b.ID, p, now)
}

// staffEvents gives the plain events of a booking's locked events.
func staffEvents(events map[int64]*lockedEvent) map[int64]*Event {
	out := make(map[int64]*Event, len(events))
	for id, ev := range events {
		out[id] = &ev.Event
	}
	return out
}

// staffClientName is the client's name as staff read it.
func staffClientName(c *Client) string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}
