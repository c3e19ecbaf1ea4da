package booking

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// holdPlan is what a hold charges: the selection (price × seats per date,
// in the service's currency) or the pass type bought.
type holdPlan struct {
	AmountMinor int64
	Currency    string
	PassType    *PassType // nil: the bookings themselves are paid
}

// planHold prices a held request; nil when it costs nothing (it then books
// as an ordinary booking). A pass to buy must be on sale online and able
// to pay the whole selection (passTypeFits).
func (s *Store) planHold(ctx context.Context, tx bun.Tx, req *ReserveRequest, events map[int64]*lockedEvent, loc *Location, now time.Time) (*holdPlan, error) {
	first := events[req.EventIDs[0]]
	if req.BuyPassTypeID != 0 {
		pt := new(PassType)
		if err := tx.NewSelect().Model(pt).Where("id = ? AND location_id = ?", req.BuyPassTypeID, req.LocationID).Scan(ctx); err != nil {
			return nil, fmt.Errorf("pass type %d: %w", req.BuyPassTypeID, notFound(err, "pass type", req.BuyPassTypeID))
		}
		if err := tx.NewSelect().Model((*passTypeService)(nil)).Column("service_id").
			Where("pass_type_id = ?", pt.ID).Scan(ctx, &pt.ServiceIDs); err != nil {
			return nil, fmt.Errorf("pass type %d services: %w", pt.ID, err)
		}
		uses := make([]passUse, len(req.EventIDs))
		for i, id := range req.EventIDs {
			uses[i] = passUse{EventID: id, Date: eventDate(&events[id].Event, loc.Zone()), Seats: req.Seats}
		}
		if err := passTypeFits(pt, first.ServiceID, uses, localToday(now, loc)); err != nil {
			return nil, err
		}
		return &holdPlan{AmountMinor: pt.PriceMinor, Currency: pt.Currency, PassType: pt}, nil
	}
	svc := new(Service)
	if err := tx.NewSelect().Model(svc).Where("id = ?", first.ServiceID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("service %d price: %w", first.ServiceID, err)
	}
	amount := svc.PriceMinor * int64(req.Seats) * int64(len(req.EventIDs))
	if amount == 0 {
		return nil, nil
	}
	return &holdPlan{AmountMinor: amount, Currency: svc.Currency}, nil
}

// passTypeFits tells whether a pass of the type, sold today, could pay for
// uses of serviceID: on sale online (not archived, priced), covering the
// service, valid on every date and with visits for every seat. The rules
// are checkPassUses' on the pass the sale would create.
func passTypeFits(pt *PassType, serviceID int64, uses []passUse, today string) error {
	if !pt.OnSaleOnline || pt.Archived || pt.PriceMinor <= 0 {
		return fmt.Errorf("pass type %d: %w", pt.ID, ErrPassNotForSale)
	}
	covers := false
	for _, id := range pt.ServiceIDs {
		covers = covers || id == serviceID
	}
	p := newPassOfType(pt, today)
	if _, err := checkPassUses(p, covers, uses); err != nil {
		return fmt.Errorf("pass type %d: %w: %w", pt.ID, ErrPassNotForSale, err)
	}
	return nil
}

// newPassOfType is the pass a sale of the type on today creates, before
// it is stored.
func newPassOfType(pt *PassType, today string) *ClientPass {
	p := &ClientPass{LocationID: pt.LocationID, PassTypeID: pt.ID, Name: pt.Name, Kind: pt.Kind, Visits: pt.Visits,
		ValidityDays: pt.ValidityDays, ValidFrom: pt.ValidFrom, ServiceIDs: pt.ServiceIDs, Balance: pt.Visits}
	if pt.ValidFrom == ValidFromSale {
		p.StartsOn = today
	}
	p.fillValidity()
	return p
}

// startHold turns a just-booked group into a hold: pending payment until
// the location's hold minutes from now, with the job that releases it.
func startHold(ctx context.Context, tx bun.Tx, g *Group, plan *holdPlan, loc *Location, now time.Time) error {
	minutes := loc.PaymentHoldMin
	if minutes <= 0 {
		minutes = DefaultPaymentHoldMin
	}
	until := now.Add(time.Duration(minutes) * time.Minute)
	g.State, g.HoldUntil = GroupPendingPayment, &until
	if plan.PassType != nil {
		g.BuyPassTypeID = plan.PassType.ID
	}
	if _, err := tx.NewUpdate().Model(g).WherePK().Column("state", "hold_until", "buy_pass_type_id").Exec(ctx); err != nil {
		return fmt.Errorf("hold group %d: %w", g.ID, err)
	}
	return enqueueJob(ctx, tx, JobHoldExpire, g.LocationID, g.ID, holdExpireKey(g.ID), until, now)
}
