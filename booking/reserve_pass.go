package booking

import (
	"context"

	"github.com/uptrace/bun"
)

// reservePass locks the request's pass and checks it can pay for every
// event of the request (one use per event, req.Seats each), all events
// being of one service: the pass must be the client's own at this
// location, cover the service, be valid on each event's local date, and
// hold visits for dates × seats. Nothing is written; the uses come back in
// the order of req.EventIDs for spendPass once the bookings exist.
func (s *Store) reservePass(ctx context.Context, tx bun.Tx, req *ReserveRequest, clientID int64, events map[int64]*lockedEvent, loc *Location) (*ClientPass, string, []passUse, error) {
	first := events[req.EventIDs[0]]
	ref := PassRef{LocationID: req.LocationID, ClientID: clientID, PassID: req.PassID}
	p, covers, err := s.lockPass(ctx, tx, ref, first.ServiceID)
	if err != nil {
		return nil, "", nil, err
	}
	zone := loc.Zone()
	uses := make([]passUse, len(req.EventIDs))
	for i, id := range req.EventIDs {
		uses[i] = passUse{EventID: id, Date: eventDate(&events[id].Event, zone), Seats: req.Seats}
	}
	start, err := checkPassUses(p, covers, uses)
	if err != nil {
		return nil, "", nil, err
	}
	return p, start, uses, nil
}
