package booking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// ReserveRequest asks for seats in one or several events for one client.
// EventIDs[0] is the event the client chose; the others come from Book
// another and must share its service and team member.
type ReserveRequest struct {
	LocationID int64
	// Link is the widget link the request came through; nil for staff.
	Link *Link
	// Key makes the request idempotent: a second request with the same key
	// returns the first result. Empty for a one-off staff booking.
	Key         string
	EventIDs    []int64
	Seats       int
	Client      ClientInput
	VisitorName string
	Comment     string
	Lang        string
	UTM         UTM
	// ClientIP is the widget client's address, counted by the SMS limits;
	// empty for staff.
	ClientIP string
}

// Reservation is the result of a successful request.
type Reservation struct {
	Group    Group
	Client   Client
	Bookings []Booking // in the order of the request's EventIDs
	// Replayed is true when the key had been used: nothing new was booked.
	Replayed bool
}

// errReplay stops the transaction of a request whose key is already stored.
var errReplay = errors.New("request key already used")

const maxUTMLen = 100

// Reserve books seats in every requested event or in none. Per-event
// problems come back as a *ReserveError; input problems as FieldErrors.
func (s *Store) Reserve(ctx context.Context, req ReserveRequest) (*Reservation, error) {
	loc, err := s.Location(ctx, req.LocationID)
	if err != nil {
		return nil, err
	}
	if err := s.checkWidgetPhone(ctx, &req, req.check(loc.Country)); err != nil {
		return nil, err
	}
	if req.Key == "" {
		req.Key = "staff-" + newToken()
	}
	fp := req.fingerprint()

	var res *Reservation
	err = s.inTx(ctx, func(tx bun.Tx) error {
		var err error
		res, err = s.reserveTx(ctx, tx, &req, fp)
		return err
	})
	if errors.Is(err, errReplay) {
		return s.replay(ctx, req.Key, fp)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// check validates what can be checked without the database.
func (req *ReserveRequest) check(region string) error {
	req.Client.normalize()
	req.VisitorName = strings.TrimSpace(req.VisitorName)
	req.Comment = strings.TrimSpace(req.Comment)
	req.UTM.Source = truncate(req.UTM.Source, maxUTMLen)
	req.UTM.Medium = truncate(req.UTM.Medium, maxUTMLen)
	req.UTM.Campaign = truncate(req.UTM.Campaign, maxUTMLen)

	c := newChecker()
	checkContact(c, req.Link, &req.Client, &req.Comment, region)
	c.text("visitor_name", req.VisitorName, false, MaxNameLen)
	if req.Lang != "" && !ValidLanguage(req.Lang) {
		c.add("lang", MsgInvalidLanguage)
	}
	maxSeats, maxEvents := MaxSeatsLimit, MaxEventsPerBooking
	if req.Link != nil {
		maxSeats, maxEvents = req.Link.EffectiveMaxSeats(), req.Link.EffectiveMaxEvents()
	}
	if req.Seats < 1 || req.Seats > maxSeats {
		c.add("seats", MsgSeatsOutOfRange)
	}
	if len(req.EventIDs) == 0 {
		c.add("events", MsgRequired)
	}
	if err := c.err(); err != nil {
		return err
	}

	var problems []EventProblem
	seen := map[int64]bool{}
	for i, id := range req.EventIDs {
		switch {
		case seen[id]:
			problems = append(problems, EventProblem{id, ErrDuplicateEvent})
		case i >= maxEvents:
			problems = append(problems, EventProblem{id, ErrTooManyEvents})
		}
		seen[id] = true
	}
	if len(problems) > 0 {
		return &ReserveError{Problems: problems}
	}
	return nil
}

// ValidateContact checks the contact fields as Reserve will, so a form can
// show every problem at once. phone must already be normalised to E.164.
func ValidateContact(link *Link, client ClientInput, comment, region string) error {
	c := newChecker()
	client.normalize()
	comment = strings.TrimSpace(comment)
	checkContact(c, link, &client, &comment, region)
	return c.err()
}

// checkContact applies the client rules and the link's field settings.
func checkContact(c *checker, link *Link, client *ClientInput, comment *string, region string) {
	client.check(c, region)
	c.text("comment", *comment, false, MaxCommentLen)
	if link == nil {
		return
	}
	if link.LastNameRequired && client.LastName == "" {
		c.add("last_name", MsgRequired)
	}
	if link.EmailMode == FieldRequired && client.Email == "" {
		c.add("email", MsgRequired)
	}
	if link.CommentMode == FieldRequired && *comment == "" {
		c.add("comment", MsgRequired)
	}
	// A hidden field cannot be filled in by a client; anything sent for it
	// is dropped rather than stored.
	if link.EmailMode == FieldHidden {
		client.Email = ""
	}
	if link.CommentMode == FieldHidden {
		*comment = ""
	}
}

// fingerprint identifies what a request asks for, so a key reused for a
// different request is refused instead of silently returning the old one.
func (req *ReserveRequest) fingerprint() string {
	ids := slices.Clone(req.EventIDs)
	slices.Sort(ids)
	var b strings.Builder
	b.WriteString(strconv.FormatInt(req.LocationID, 10))
	for _, id := range ids {
		b.WriteString("," + strconv.FormatInt(id, 10))
	}
	fmt.Fprintf(&b, "|%d|%s|%s|%s", req.Seats, req.Client.Phone, req.VisitorName, req.Comment)
	if req.Link != nil {
		fmt.Fprintf(&b, "|link%d", req.Link.ID)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

func (s *Store) reserveTx(ctx context.Context, tx bun.Tx, req *ReserveRequest, fp string) (*Reservation, error) {
	now := s.now()
	g := &Group{
		LocationID: req.LocationID, RequestKey: req.Key, Fingerprint: fp, Token: newToken(),
		Lang: req.Lang, UTM: req.UTM, CreatedAt: now,
	}
	if req.Link != nil {
		g.LinkID = req.Link.ID
	}
	// The key is claimed first: a concurrent request with the same key waits
	// here on the unique index until this one commits, then finds it taken.
	r, err := tx.NewInsert().Model(g).On("CONFLICT (request_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim request key: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return nil, errReplay
	}

	ids := slices.Clone(req.EventIDs)
	slices.Sort(ids)
	if err := s.lockEvents(ctx, tx, ids...); err != nil {
		return nil, err
	}
	events, err := loadEvents(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	if err := s.checkEvents(ctx, tx, req, events, now); err != nil {
		return nil, err
	}

	client, err := upsertClient(ctx, tx, req.LocationID, req.Client, now)
	if err != nil {
		return nil, err
	}
	var held []int64
	err = tx.NewSelect().Model((*Booking)(nil)).Column("event_id").
		Where("client_id = ? AND visitor_name = ? AND status <> ?", client.ID, req.VisitorName, StatusCancelled).
		Where("event_id IN (?)", bun.List(ids)).
		Scan(ctx, &held)
	if err != nil {
		return nil, fmt.Errorf("check existing bookings: %w", err)
	}
	var problems []EventProblem
	for _, id := range held {
		problems = append(problems, EventProblem{id, ErrAlreadyBooked})
	}
	if len(problems) > 0 {
		return nil, &ReserveError{Problems: problems}
	}

	// Seats are taken in ascending event id order, the lock order.
	for _, id := range ids {
		if err := s.takeSeats(ctx, tx, id, req.Seats); errors.Is(err, ErrFull) {
			problems = append(problems, EventProblem{id, ErrFull})
		} else if err != nil {
			return nil, err
		}
	}
	if len(problems) > 0 {
		return nil, &ReserveError{Problems: problems}
	}

	source := SourceAdmin
	if req.Link != nil {
		source = SourceWidget
	}
	bookings := make([]Booking, len(req.EventIDs))
	for i, id := range req.EventIDs {
		bookings[i] = Booking{
			LocationID: req.LocationID, GroupID: g.ID, EventID: id, ClientID: client.ID,
			VisitorName: req.VisitorName, Seats: req.Seats, Status: StatusExpected,
			Comment: req.Comment, Source: source, LinkID: g.LinkID, UTM: req.UTM,
			Lang: req.Lang, CreatedAt: now, UpdatedAt: now,
		}
	}
	if _, err := tx.NewInsert().Model(&bookings).Exec(ctx); err != nil {
		if isUniqueViolation(err) {
			return nil, &ReserveError{Problems: []EventProblem{{req.EventIDs[0], ErrAlreadyBooked}}}
		}
		return nil, fmt.Errorf("insert bookings: %w", err)
	}
	g.ClientID = client.ID
	if _, err := tx.NewUpdate().Model(g).WherePK().Column("client_id").Exec(ctx); err != nil {
		return nil, fmt.Errorf("set group client: %w", err)
	}
	var origin *smsOrigin
	if req.Link != nil {
		origin = s.widgetOrigin(req.Link.ID, req.ClientIP)
	}
	if err := queueBooked(ctx, tx, g, client, bookings, events, origin, now); err != nil {
		return nil, err
	}
	return &Reservation{Group: *g, Client: *client, Bookings: bookings}, nil
}

// queueBooked writes the "booked" SMS (one for the whole request, with the
// manage link) and a reminder per booking, when the location has SMS on.
func queueBooked(ctx context.Context, tx bun.Tx, g *Group, client *Client, bookings []Booking, events map[int64]*Event, origin *smsOrigin, now time.Time) error {
	w, err := newOutboxWriter(ctx, tx, g.LocationID, now)
	if err != nil || !w.on() {
		return err
	}
	w.origin = origin
	p := MessagePayload{Token: g.Token}
	for i := range bookings {
		it, err := w.item(ctx, &bookings[i], events[bookings[i].EventID])
		if err != nil {
			return err
		}
		p.Items = append(p.Items, it)
	}
	if err := w.add(ctx, SMSBooked, client.Phone, g.Lang, g.ID, 0, p, now); err != nil {
		return err
	}
	for i := range bookings {
		if err := w.reminder(ctx, client.Phone, &bookings[i], events[bookings[i].EventID]); err != nil {
			return err
		}
	}
	return nil
}

func loadEvents(ctx context.Context, db bun.IDB, ids []int64) (map[int64]*Event, error) {
	var list []Event
	if err := db.NewSelect().Model(&list).Where("id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load events: %w", err)
	}
	out := make(map[int64]*Event, len(list))
	for i := range list {
		out[list[i].ID] = &list[i]
	}
	return out, nil
}

// checkEvents applies every rule that does not depend on seats.
func (s *Store) checkEvents(ctx context.Context, tx bun.Tx, req *ReserveRequest, events map[int64]*Event, now time.Time) error {
	first := events[req.EventIDs[0]]
	services := map[int64]*Service{}
	members := map[int64]*TeamMember{}
	var problems []EventProblem
	for _, id := range req.EventIDs {
		ev, ok := events[id]
		if !ok || ev.LocationID != req.LocationID || ev.DeletedAt != nil {
			problems = append(problems, EventProblem{id, ErrNotFound})
			continue
		}
		if first != nil && (ev.ServiceID != first.ServiceID || ev.TeamMemberID != first.TeamMemberID) {
			problems = append(problems, EventProblem{id, ErrDifferentService})
			continue
		}
		if req.Link == nil {
			continue
		}
		svc, ok := services[ev.ServiceID]
		if !ok {
			svc = new(Service)
			if err := tx.NewSelect().Model(svc).Where("id = ?", ev.ServiceID).Scan(ctx); err != nil {
				return fmt.Errorf("service %d: %w", ev.ServiceID, err)
			}
			services[ev.ServiceID] = svc
		}
		tm, ok := members[ev.TeamMemberID]
		if !ok {
			tm = new(TeamMember)
			if err := tx.NewSelect().Model(tm).Where("id = ?", ev.TeamMemberID).Scan(ctx); err != nil {
				return fmt.Errorf("team member %d: %w", ev.TeamMemberID, err)
			}
			members[ev.TeamMemberID] = tm
		}
		if err := checkBookable(ev, svc, tm, req.Link, now); err != nil {
			problems = append(problems, EventProblem{id, err})
		}
	}
	if len(problems) > 0 {
		return &ReserveError{Problems: problems}
	}
	return nil
}

// replay returns the stored result of a request key.
func (s *Store) replay(ctx context.Context, key, fp string) (*Reservation, error) {
	g := new(Group)
	if err := s.db.NewSelect().Model(g).Where("request_key = ?", key).Scan(ctx); err != nil {
		return nil, notFound(err, "request", key)
	}
	if g.Fingerprint != fp {
		return nil, fmt.Errorf("request key %q: %w", key, ErrKeyReused)
	}
	res, err := s.groupReservation(ctx, g)
	if err != nil {
		return nil, err
	}
	res.Replayed = true
	return res, nil
}

func (s *Store) groupReservation(ctx context.Context, g *Group) (*Reservation, error) {
	res := &Reservation{Group: *g}
	if err := s.db.NewSelect().Model(&res.Bookings).Where("group_id = ?", g.ID).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("group %d bookings: %w", g.ID, err)
	}
	if err := s.db.NewSelect().Model(&res.Client).Where("id = ?", g.ClientID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("group %d client: %w", g.ID, err)
	}
	return res, nil
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
