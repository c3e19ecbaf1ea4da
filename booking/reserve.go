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
	// PassID is the client's pass that pays for every seat of every event
	// (0: pay at the studio). It must be the client's own pass at this
	// location; see reservePass for the rules. The widget offers it only
	// after the phone is confirmed.
	PassID int64
	// StaffUserID is who booked, for staff bookings paid by a pass.
	StaffUserID int64
	// Hold takes the seats for an online payment: the group is
	// GroupPendingPayment until Location.PaymentHoldMin from now, the
	// bookings PaymentOnlinePending, no SMS yet (the webhook queues the
	// "booked" one), and a JobHoldExpire is queued for the hold's end.
	Hold bool
	// BuyPassTypeID (with Hold) buys a pass of this type online and pays
	// every booking with it once paid: the type must be on sale online,
	// cover the service, be valid on every date and hold the visits.
	BuyPassTypeID int64
	// OfferToken claims a waitlist offer (the entry's token): the request
	// must be for the entry's event, client and at most its seats; the
	// offer's reserved seats are given back and taken again by the
	// booking, under the normal rules. ErrOfferGone / ErrOfferNotYours
	// otherwise.
	OfferToken string
	// Quiet sends the client no message about this booking (no
	// confirmation, no reminder): staff booking at the desk for a client
	// who is standing there. Later changes are still told.
	Quiet bool
}

// Reservation is the result of a successful request.
type Reservation struct {
	Group    Group
	Client   Client
	Bookings []Booking // in the order of the request's EventIDs
	// Replayed is true when the key had been used: nothing new was booked.
	Replayed bool
	// Pass is the pass that paid, with its balance after the booking; nil
	// when the bookings are paid at the studio.
	Pass *ClientPass
}

// errReplay stops the transaction of a request whose key is already stored.
var errReplay = errors.New("request key already used")

const maxUTMLen = 100

// Reserve books seats in every requested event or in none. Per-event
// problems come back as a *ReserveError; input problems as FieldErrors.
func (s *Store) Reserve(ctx context.Context, req ReserveRequest) (*Reservation, error) {
	// Read once for the phone's country rule and the messages.
	loc, st, err := s.locationWithSMS(ctx, req.LocationID)
	if err != nil {
		return nil, err
	}
	fieldErr := req.check(loc.Country)
	if req.Link != nil && req.Link.LocationID != req.LocationID {
		// Not a widget request of this location: the link's own decides.
		fieldErr = s.checkOtherLinkPhone(ctx, &req, fieldErr)
	} else {
		fieldErr = checkWidgetPhone(&req, loc, st, fieldErr)
	}
	if fieldErr != nil {
		return nil, fieldErr
	}
	if req.Link != nil && req.Link.PassRequired() && req.PassID == 0 && req.BuyPassTypeID == 0 {
		return nil, ErrPassRequired
	}
	if (req.Hold && req.PassID != 0) || (req.BuyPassTypeID != 0 && !req.Hold) {
		// A pass pays at once, a hold waits for money: never both.
		return nil, fmt.Errorf("hold %v with pass %d, buying %d: %w", req.Hold, req.PassID, req.BuyPassTypeID, ErrPassNotForSale)
	}
	if req.Hold && req.Link != nil {
		if err := s.admitHoldAddress(ctx, req.ClientIP); err != nil {
			return nil, err
		}
	}
	if req.Key == "" {
		req.Key = "staff-" + newToken()
	}
	fp := req.fingerprint()

	var res *Reservation
	err = s.inSeatsTx(ctx, func(tx bun.Tx) error {
		var err error
		res, err = s.reserveTx(ctx, tx, &req, fp, loc, st)
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
	if req.PassID != 0 {
		fmt.Fprintf(&b, "|pass%d", req.PassID)
	}
	if req.Hold {
		fmt.Fprintf(&b, "|hold%d", req.BuyPassTypeID)
	}
	if req.OfferToken != "" {
		b.WriteString("|offer" + req.OfferToken)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// reserveTx books in one transaction. The order of its locks is the
// order of every booking transaction, so two can never deadlock: the
// client's row (upsertClient), the request key (the group's unique
// index), then the events in ascending id order, then the pass that pays
// (lockPass), then the SMS counts.
func (s *Store) reserveTx(ctx context.Context, tx bun.Tx, req *ReserveRequest, fp string, loc *Location, st *SMSSettings) (*Reservation, error) {
	now := s.now()
	client, err := upsertClient(ctx, tx, req.LocationID, req.Client, now)
	if err != nil {
		return nil, err
	}
	g := &Group{
		LocationID: req.LocationID, ClientID: client.ID, RequestKey: req.Key, Fingerprint: fp, Token: newToken(),
		Lang: req.Lang, UTM: req.UTM, CreatedAt: now,
	}
	if req.Link != nil {
		g.LinkID = req.Link.ID
	}
	// The key is claimed before anything is checked: a concurrent request
	// with the same key waits here (on the client's row or the unique
	// index) until this one commits, then finds it taken and replays it,
	// even if this one took the last seats.
	r, err := tx.NewInsert().Model(g).On("CONFLICT (request_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim request key: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return nil, errReplay
	}

	ids := slices.Clone(req.EventIDs)
	slices.Sort(ids)
	events, err := s.lockAndLoadEvents(ctx, tx, ids, client.ID, req.VisitorName)
	if err != nil {
		return nil, err
	}
	if err := checkEvents(req, events, now); err != nil {
		return nil, err
	}
	var problems []EventProblem
	for _, id := range ids {
		if events[id].held {
			problems = append(problems, EventProblem{id, ErrAlreadyBooked})
		}
	}
	if len(problems) > 0 {
		return nil, &ReserveError{Problems: problems}
	}
	offer, err := s.claimOffer(ctx, tx, req, client.ID, events, now)
	if err != nil {
		return nil, err
	}
	// A hold is decided before seats are taken: a selection costing
	// nothing books at once, and a link taking money online refuses a
	// booking that neither holds nor uses a pass.
	var hold *holdPlan
	if req.Hold || (req.Link != nil && req.Link.PaymentMode.Online() && req.PassID == 0) {
		if hold, err = s.planHold(ctx, tx, req, events, loc, now); err != nil {
			return nil, err
		}
		if hold != nil && !req.Hold {
			return nil, ErrPaymentRequired
		}
		if hold != nil {
			if err := checkActiveHolds(ctx, tx, req.LocationID, client.ID, g.ID); err != nil {
				return nil, err
			}
		}
	}
	var pass *ClientPass
	var passStart string
	var uses []passUse
	if req.PassID != 0 {
		// After the events' locks: the lock order of every path.
		if pass, passStart, uses, err = s.reservePass(ctx, tx, req, client.ID, events, loc); err != nil {
			return nil, err
		}
	}

	// Seats are taken in all the events at once: their rows are locked
	// already, in the lock order.
	full, err := s.takeSeats(ctx, tx, ids, req.Seats)
	if err != nil {
		return nil, err
	}
	for _, id := range full {
		problems = append(problems, EventProblem{id, ErrFull})
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
			VisitorName: req.VisitorName, Seats: req.Seats, Status: StatusExpected, Payment: PaymentUnpaid,
			Comment: req.Comment, Source: source, LinkID: g.LinkID, UTM: req.UTM,
			Lang: req.Lang, CreatedAt: now, UpdatedAt: now,
		}
		if pass != nil {
			bookings[i].Payment, bookings[i].PassID = PaymentPass, pass.ID
		}
		if hold != nil {
			bookings[i].Payment = PaymentOnlinePending
		}
	}
	if _, err := tx.NewInsert().Model(&bookings).Exec(ctx); err != nil {
		if isUniqueViolation(err) {
			return nil, &ReserveError{Problems: []EventProblem{{req.EventIDs[0], ErrAlreadyBooked}}}
		}
		return nil, fmt.Errorf("insert bookings: %w", err)
	}
	if offer != nil {
		if err := s.markClaimed(ctx, tx, offer, g.ID, req.Seats, now); err != nil {
			return nil, err
		}
	}
	if pass != nil {
		for i := range uses {
			uses[i].BookingID = bookings[i].ID
		}
		if err := spendPass(ctx, tx, pass, passStart, uses, req.StaffUserID, now); err != nil {
			return nil, err
		}
	}
	if hold != nil {
		// No SMS and no reminders yet: the webhook confirming the payment
		// queues them (confirmGroup).
		if err := startHold(ctx, tx, g, hold, loc, now); err != nil {
			return nil, err
		}
		return &Reservation{Group: *g, Client: *client, Bookings: bookings}, nil
	}
	w := outboxWriterFor(tx, loc, st, now)
	// Quiet (staff at the desk, the client standing there) writes no
	// client message: neither the confirmation nor the reminders.
	if w.on() && !req.Quiet {
		if req.Link != nil {
			w.origin = s.widgetOrigin(req.Link.ID, req.ClientIP)
		}
		if err := queueBooked(ctx, w, g, client, bookings, events, pass); err != nil {
			return nil, err
		}
	}
	if req.Link != nil {
		// Staff hear of online bookings by e-mail, whatever the clients'
		// channel (outbox_staff.go).
		if err := queueStaffNotice(ctx, w, MsgStaffBooked, client, bookings, staffEvents(events)); err != nil {
			return nil, err
		}
	}
	return &Reservation{Group: *g, Client: *client, Bookings: bookings, Pass: pass}, nil
}

// queueBooked writes the "booked" SMS (one for the whole request, with the
// manage link, naming the pass that paid with its balance after) and a
// reminder per booking, all in one INSERT.
func queueBooked(ctx context.Context, w *outboxWriter, g *Group, client *Client, bookings []Booking, events map[int64]*lockedEvent, pass *ClientPass) error {
	w.batched = true
	w.tokens[g.ID] = g.Token
	for _, ev := range events {
		if ev.serviceName != nil {
			w.services[ev.ServiceID] = *ev.serviceName
		}
	}
	p := MessagePayload{Token: g.Token}
	if pass != nil {
		p.Pass = &MessagePass{Name: pass.Name, Left: max(pass.Balance, 0), Unlimited: pass.Unlimited()}
	}
	for i := range bookings {
		it, err := w.item(ctx, &bookings[i], &events[bookings[i].EventID].Event)
		if err != nil {
			return err
		}
		p.Items = append(p.Items, it)
	}
	to := recipient{Phone: client.Phone, Email: client.Email}
	if err := w.add(ctx, SMSBooked, to, g.Lang, g.ID, 0, p, w.now); err != nil {
		return err
	}
	for i := range bookings {
		if err := w.reminder(ctx, to, &bookings[i], &events[bookings[i].EventID].Event); err != nil {
			return err
		}
	}
	return w.flush(ctx)
}

// lockedEvent is an event as a booking reads it: with what the link's
// rules need of its service and team member, and whether the client's
// visitor already holds a booking in it (held).
type lockedEvent struct {
	Event
	serviceName   *string
	serviceActive *bool
	serviceOnline *bool
	memberActive  *bool
	held          bool
}

// lockedEventRow is one row of lockAndLoadEvents' query.
type lockedEventRow struct {
	Event         `bun:",extend"`
	ServiceName   *string `bun:"svc_name,scanonly"`
	ServiceActive *bool   `bun:"svc_active,scanonly"`
	ServiceOnline *bool   `bun:"svc_online,scanonly"`
	MemberActive  *bool   `bun:"tm_active,scanonly"`
	Held          bool    `bun:"held,scanonly"`
}

// lockAndLoadEvents locks the events (PostgreSQL; see lockEvents: ascending
// id order) and reads them, their service and team member, and whether
// clientID's visitor already has an active booking in each, in one
// statement. Missing events are missing from the map.
//
// After waiting for a lock PostgreSQL returns the event's newest row, but
// the rest is read as the statement began. held may therefore miss a
// booking committed during the wait: not a new one (bookings of one client
// queue on its row before they get here), only one moved in by staff, and
// the unique index bookings_active_unique still refuses that at the insert.
// Seats are not judged from these rows: the conditional UPDATE does that.
func (s *Store) lockAndLoadEvents(ctx context.Context, tx bun.Tx, ids []int64, clientID int64, visitor string) (map[int64]*lockedEvent, error) {
	var rows []lockedEventRow
	q := tx.NewSelect().Model(&rows).
		ColumnExpr("e.*").
		ColumnExpr("svc.name AS svc_name, svc.active AS svc_active, svc.online_booking AS svc_online").
		ColumnExpr("tm.active AS tm_active").
		ColumnExpr("EXISTS (SELECT 1 FROM bookings AS b WHERE b.event_id = e.id AND b.client_id = ? AND b.visitor_name = ? AND b.status <> ?) AS held",
			clientID, visitor, StatusCancelled).
		Join("LEFT JOIN services AS svc ON svc.id = e.service_id").
		Join("LEFT JOIN team_members AS tm ON tm.id = e.team_member_id").
		Where("e.id IN (?)", bun.List(ids)).
		Order("e.id")
	if s.isPG() && !s.noRowLocks {
		q = q.For("UPDATE OF e")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("lock and load events: %w", err)
	}
	out := make(map[int64]*lockedEvent, len(rows))
	for i := range rows {
		r := &rows[i]
		out[r.ID] = &lockedEvent{
			Event: r.Event, serviceName: r.ServiceName, serviceActive: r.ServiceActive,
			serviceOnline: r.ServiceOnline, memberActive: r.MemberActive, held: r.Held,
		}
	}
	return out, nil
}

// service and member are the parts of the event's service and team member
// checkBookable reads; nil when the row is gone.
func (e *lockedEvent) service() *Service {
	if e.serviceActive == nil {
		return nil
	}
	return &Service{ID: e.ServiceID, Name: *e.serviceName, Active: *e.serviceActive, OnlineBooking: *e.serviceOnline}
}

func (e *lockedEvent) member() *TeamMember {
	if e.memberActive == nil {
		return nil
	}
	return &TeamMember{ID: e.TeamMemberID, Active: *e.memberActive}
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
func checkEvents(req *ReserveRequest, events map[int64]*lockedEvent, now time.Time) error {
	first := events[req.EventIDs[0]]
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
		if err := checkBookable(&ev.Event, ev.service(), ev.member(), req.Link, now); err != nil {
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
	if len(res.Bookings) > 0 && res.Bookings[0].PassID != 0 {
		p, err := s.ClientPass(ctx, PassRef{LocationID: g.LocationID, ClientID: g.ClientID, PassID: res.Bookings[0].PassID})
		if err != nil {
			return nil, err
		}
		res.Pass = p
	}
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
