package booking

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// PassSelection is what a client is about to book: events (all of one
// service, as Reserve requires) and seats in each.
type PassSelection struct {
	EventIDs []int64
	Seats    int
}

// PassOption is one of a client's passes for a selection: Err is nil when
// it can pay, or says why not (a *PassShortError, a *PassNotValidError,
// ErrPassFrozen), which the widget shows as the shortfall.
type PassOption struct {
	Pass ClientPass
	Err  error
}

// PassOptions lists the passes of the client with this phone at the
// location that cover the selection's service and are neither voided nor
// expired, each with whether it can pay for every date × seats, under the
// rules Reserve applies (Reserve re-checks them under the pass's lock). A
// phone with no client, or a selection of no live event of the location,
// has none. The caller must have confirmed the phone: a pass is money.
func (s *Store) PassOptions(ctx context.Context, locationID int64, phone string, sel PassSelection) ([]PassOption, error) {
	cl, err := s.ClientByPhone(ctx, locationID, phone)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.ClientPassOptions(ctx, locationID, cl.ID, sel)
}

// ClientPassOptions is PassOptions for a client known by id (staff).
func (s *Store) ClientPassOptions(ctx context.Context, locationID, clientID int64, sel PassSelection) ([]PassOption, error) {
	if len(sel.EventIDs) == 0 {
		return nil, nil
	}
	loc, err := s.Location(ctx, locationID)
	if err != nil {
		return nil, err
	}
	events, err := loadEvents(ctx, s.db, slices.Compact(slices.Sorted(slices.Values(sel.EventIDs))))
	if err != nil {
		return nil, err
	}
	zone := loc.Zone()
	var serviceID int64
	uses := make([]passUse, 0, len(sel.EventIDs))
	for _, id := range sel.EventIDs {
		ev := events[id]
		if ev == nil || ev.LocationID != locationID || ev.DeletedAt != nil {
			return nil, nil
		}
		if serviceID == 0 {
			serviceID = ev.ServiceID
		}
		uses = append(uses, passUse{EventID: id, Date: eventDate(ev, zone), Seats: max(sel.Seats, 1)})
	}
	passes, err := s.ClientPasses(ctx, locationID, clientID)
	if err != nil {
		return nil, fmt.Errorf("pass options: %w", err)
	}
	today := localToday(s.now(), loc)
	var out []PassOption
	for _, p := range passes {
		if p.Voided() || p.Expired(today) || !p.Covers(serviceID) {
			continue
		}
		_, err := checkPassUses(&p, true, uses)
		out = append(out, PassOption{Pass: p, Err: err})
	}
	return out, nil
}

// UsablePasses lists the passes of PassOptions that can pay the selection.
func (s *Store) UsablePasses(ctx context.Context, locationID int64, phone string, sel PassSelection) ([]ClientPass, error) {
	opts, err := s.PassOptions(ctx, locationID, phone, sel)
	if err != nil {
		return nil, err
	}
	var out []ClientPass
	for _, o := range opts {
		if o.Err == nil {
			out = append(out, o.Pass)
		}
	}
	return out, nil
}
