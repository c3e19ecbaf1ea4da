package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// JoinWaitlist puts a client in line for a full event. The contact is
// checked exactly as Reserve checks it (the link's fields and the phone's
// country rule), then, under the event's lock, the join rules of
// waitlist_api.go: the event bookable by the link apart from seats, a
// party no larger than the event, seats not free now, one place per
// client, and the line shorter than the location's maximum. The client is
// sent a "joined" message naming the place.
func (s *Store) JoinWaitlist(ctx context.Context, req JoinWaitlistRequest) (*WaitlistEntry, error) {
	if req.Link != nil && !req.Link.Waitlist {
		return nil, ErrWaitlistOff
	}
	loc, st, err := s.locationWithSMS(ctx, req.LocationID)
	if err != nil {
		return nil, err
	}
	if err := s.checkJoin(ctx, &req, loc, st); err != nil {
		return nil, err
	}
	var out *WaitlistEntry
	err = s.inSeatsTx(ctx, func(tx bun.Tx) error {
		var err error
		out, err = s.joinTx(ctx, tx, &req, loc, st)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkJoin validates the request's fields as Reserve does, so a client
// sees the same messages at the same fields on both forms.
func (s *Store) checkJoin(ctx context.Context, req *JoinWaitlistRequest, loc *Location, st *SMSSettings) error {
	// A ReserveRequest carries the contact through the very checks a
	// booking runs; only its fields matter here.
	rr := ReserveRequest{LocationID: req.LocationID, Link: req.Link, Client: req.Client}
	rr.Client.normalize()
	req.Lang = truncate(req.Lang, 8)
	req.UTM = UTM{Source: truncate(req.UTM.Source, maxUTMLen), Medium: truncate(req.UTM.Medium, maxUTMLen), Campaign: truncate(req.UTM.Campaign, maxUTMLen)}
	c := newChecker()
	var comment string
	checkContact(c, req.Link, &rr.Client, &comment, loc.Country)
	if req.Lang != "" && !ValidLanguage(req.Lang) {
		c.add("lang", MsgInvalidLanguage)
	}
	maxSeats := MaxSeatsLimit
	if req.Link != nil {
		maxSeats = req.Link.EffectiveMaxSeats()
	}
	if req.Seats < 1 || req.Seats > maxSeats {
		c.add("seats", MsgSeatsOutOfRange)
	}
	err := c.err()
	if req.Link != nil && req.Link.LocationID != req.LocationID {
		err = s.checkOtherLinkPhone(ctx, &rr, err)
	} else {
		err = checkWidgetPhone(&rr, loc, st, err)
	}
	req.Client = rr.Client
	return err
}

// joinTx adds the entry. Its locks come in the order of every booking
// transaction: the client's row (upsertClient), then the event's.
func (s *Store) joinTx(ctx context.Context, tx bun.Tx, req *JoinWaitlistRequest, loc *Location, st *SMSSettings) (*WaitlistEntry, error) {
	now := s.now()
	client, err := upsertClient(ctx, tx, req.LocationID, req.Client, now)
	if err != nil {
		return nil, err
	}
	events, err := s.lockAndLoadEvents(ctx, tx, []int64{req.EventID}, client.ID, "")
	if err != nil {
		return nil, err
	}
	ev := events[req.EventID]
	if err := checkJoinEvent(req, ev, now); err != nil {
		return nil, err
	}
	if ev.held {
		return nil, fmt.Errorf("client %d in event %d: %w", client.ID, ev.ID, ErrAlreadyBooked)
	}
	if old, err := activeEntry(ctx, tx, ev.ID, client.ID); err != nil || old != nil {
		if err == nil {
			err = &AlreadyWaitingError{Entry: *old}
		}
		return nil, err
	}
	switch {
	case req.Seats > ev.Capacity:
		return nil, fmt.Errorf("%d seats in event %d of %d: %w", req.Seats, ev.ID, ev.Capacity, ErrPartyTooLarge)
	case req.Seats <= ev.Capacity-ev.SeatsTaken:
		return nil, fmt.Errorf("%d seats in event %d: %w", req.Seats, ev.ID, ErrSeatsAvailable)
	}
	inLine, last, err := lineOf(ctx, tx, ev.ID)
	if err != nil {
		return nil, err
	}
	if inLine >= loc.WaitlistMax {
		return nil, fmt.Errorf("event %d has %d in line: %w", ev.ID, inLine, ErrWaitlistFull)
	}
	e := &WaitlistEntry{
		LocationID: req.LocationID, EventID: ev.ID, ClientID: client.ID, Seats: req.Seats, Lang: req.Lang,
		Token: newToken(), Position: last + 1, State: WaitWaiting, UTM: req.UTM, CreatedAt: now, UpdatedAt: now,
	}
	if req.Link != nil {
		e.LinkID = req.Link.ID
	}
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		if isUniqueViolation(err) {
			// Only reachable if the event's lock were bypassed; the index
			// still keeps one place per client.
			return nil, &AlreadyWaitingError{Entry: *e}
		}
		return nil, fmt.Errorf("insert waitlist entry: %w", err)
	}
	w := outboxWriterFor(tx, loc, st, now)
	if !w.on() {
		return e, nil
	}
	if req.Link != nil {
		w.origin = s.widgetOrigin(req.Link.ID, req.ClientIP)
	}
	p := MessageWaitlist{Token: e.Token, Seats: e.Seats, Position: inLine + 1}
	return e, queueWaitlistMessage(ctx, w, MsgWaitlistJoined, e, &ev.Event, recipient{Phone: client.Phone, Email: client.Email}, p)
}

// checkJoinEvent applies the rules of a booking that do not depend on
// seats: a link's client joins only where the link could book; staff may
// put someone in line for any event that has not started.
func checkJoinEvent(req *JoinWaitlistRequest, ev *lockedEvent, now time.Time) error {
	if ev == nil || ev.LocationID != req.LocationID || ev.DeletedAt != nil {
		return fmt.Errorf("event %d: %w", req.EventID, ErrNotFound)
	}
	if req.Link == nil {
		if !ev.StartsAt.After(now) {
			return fmt.Errorf("event %d: %w", ev.ID, ErrStarted)
		}
		return nil
	}
	if err := checkBookable(&ev.Event, ev.service(), ev.member(), req.Link, now); err != nil {
		return fmt.Errorf("event %d: %w", ev.ID, err)
	}
	return nil
}

// activeEntry is the client's place in line for the event, nil if none.
func activeEntry(ctx context.Context, tx bun.IDB, eventID, clientID int64) (*WaitlistEntry, error) {
	e := new(WaitlistEntry)
	err := tx.NewSelect().Model(e).
		Where("event_id = ? AND client_id = ? AND state IN (?)", eventID, clientID, bun.List(inLineStates)).
		Limit(1).Scan(ctx)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("waitlist entry of client %d: %w", clientID, err)
	}
	return e, nil
}

// inLineStates are the states that hold a place in line.
var inLineStates = []WaitlistState{WaitWaiting, WaitOffered}

// lineOf counts an event's entries in line and returns the highest
// position ever given (new entries go after it, so a position is never
// reused).
func lineOf(ctx context.Context, tx bun.IDB, eventID int64) (inLine int, last int64, err error) {
	var row struct {
		InLine int   `bun:"in_line"`
		Last   int64 `bun:"last"`
	}
	err = tx.NewSelect().Model((*WaitlistEntry)(nil)).
		ColumnExpr("COUNT(CASE WHEN w.state IN (?) THEN 1 END) AS in_line", bun.List(inLineStates)).
		ColumnExpr("COALESCE(MAX(w.position), 0) AS last").
		Where("w.event_id = ?", eventID).
		Scan(ctx, &row)
	if err != nil {
		return 0, 0, fmt.Errorf("waitlist line of event %d: %w", eventID, err)
	}
	return row.InLine, row.Last, nil
}
