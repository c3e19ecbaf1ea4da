package main

import (
	"context"
	"fmt"

	"groupbook/booking"
)

// The demo's pass holder: a newcomer who confirms this phone in the widget
// (the demo prints the SMS code) is offered the pass, and ticking four
// Yoga dates shows the shortfall of a pass with three visits left.
const (
	demoPassPhone = "+36201234567"
	demoPassLeft  = 3
)

// loadDemoPasses adds a "10 Yoga classes" pass type and a client holding
// one with demoPassLeft visits left, the rest written off by a correction
// as visits used before the studio moved to groupbook.
func loadDemoPasses(ctx context.Context, st *booking.Store, d *demoData) error {
	var err error
	d.PassType, err = st.CreatePassType(ctx, d.Location.ID, booking.PassTypeInput{
		Name: "10 Yoga classes", Kind: booking.PassVisits, Visits: 10, ValidityDays: 90,
		ValidFrom: booking.ValidFromSale, PriceMinor: 3000000, Currency: "HUF", OnSaleOnline: true,
		ServiceIDs: []int64{d.Yoga.ID},
	})
	if err != nil {
		return fmt.Errorf("demo pass type: %w", err)
	}
	cl, err := st.EnsureClient(ctx, d.Location.ID, booking.ClientInput{Phone: demoPassPhone, FirstName: "Eszter", LastName: "Pass"})
	if err != nil {
		return fmt.Errorf("demo pass client: %w", err)
	}
	d.Pass, err = st.SellPass(ctx, booking.SellPassInput{
		LocationID: d.Location.ID, ClientID: cl.ID, PassTypeID: d.PassType.ID,
		Method: booking.MethodCard, AmountMinor: d.PassType.PriceMinor, StaffUserID: d.Owner.ID,
	})
	if err != nil {
		return fmt.Errorf("demo pass: %w", err)
	}
	ref := booking.PassRef{LocationID: d.Location.ID, ClientID: cl.ID, PassID: d.Pass.ID}
	d.Pass, err = st.CorrectPass(ctx, ref, demoPassLeft-d.PassType.Visits, "Visits used before the studio moved to groupbook", d.Owner.ID)
	if err != nil {
		return fmt.Errorf("demo pass balance: %w", err)
	}
	return nil
}
