package widget_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/widget"
)

// TestBookPassGuards: the flow never spends a pass through a link without
// SMS confirmation, books nothing without one through a link that requires
// it, and reports a pass that is not the client's as ErrPassUnknown; none
// of them writes anything. PassOptions offers nothing without SMS
// confirmation.
func TestBookPassGuards(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		flow := widget.NewFlow(f.Store, widget.NewSigner("test secret, at least thirty-two characters"))
		evs := f.YogaEvents(t, 2, 10)
		anna := booktest.Client(1)
		cl, err := f.Store.EnsureClient(ctx, f.Location.ID, anna)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := f.Store.CreatePassType(ctx, f.Location.ID, booking.PassTypeInput{Name: "10 Yoga", Kind: booking.PassVisits, Visits: 10,
			ValidityDays: 30, ValidFrom: booking.ValidFromSale, Currency: "HUF", ServiceIDs: []int64{f.Yoga.ID}})
		if err != nil {
			t.Fatal(err)
		}
		pass, err := f.Store.SellPass(ctx, booking.SellPassInput{LocationID: f.Location.ID, ClientID: cl.ID, PassTypeID: pt.ID, Free: true})
		if err != nil {
			t.Fatal(err)
		}
		in := widget.ContactInput{FirstName: anna.FirstName, LastName: anna.LastName, Phone: anna.Phone}
		sel := &widget.Selection{LinkID: f.Link.ID, EventID: evs[0].ID, Also: []int64{evs[1].ID}, Seats: 1, Key: "k-1"}

		if opts, err := flow.PassOptions(ctx, f.Link, anna.Phone, sel); err != nil || len(opts) != 0 {
			t.Errorf("pass options without SMS confirmation: %v %v", opts, err)
		}
		if _, err := flow.Book(ctx, f.Link, catalog(t, flow, f), sel, in, "", pass.ID); !errors.Is(err, widget.ErrPassUnknown) {
			t.Errorf("a pass through a link without SMS confirmation: %v", err)
		}
		sms := *f.Link
		sms.SMSConfirm = true
		if opts, err := flow.PassOptions(ctx, &sms, anna.Phone, sel); err != nil || len(opts) != 1 || opts[0].Err != nil {
			t.Errorf("pass options with SMS confirmation: %+v %v", opts, err)
		}
		prepaid := sms
		prepaid.PaymentMode = booking.PayPassRequired
		if _, err := flow.Book(ctx, &prepaid, catalog(t, flow, f), sel, in, "", 0); !errors.Is(err, widget.ErrPassRequired) {
			t.Errorf("no pass through a prepaid link: %v", err)
		}
		other := in
		other.Phone = booktest.Client(2).Phone
		if _, err := flow.Book(ctx, &sms, catalog(t, flow, f), sel, other, "", pass.ID); !errors.Is(err, widget.ErrPassUnknown) {
			t.Errorf("another client's pass: %v", err)
		}
		if n, _ := db.NewSelect().Model((*booking.Booking)(nil)).Count(ctx); n != 0 {
			t.Errorf("%d bookings written", n)
		}
		res, err := flow.Book(ctx, &prepaid, catalog(t, flow, f), sel, in, "", pass.ID)
		if err != nil || res.Pass == nil || res.Pass.Balance != 8 {
			t.Fatalf("book with the pass: %+v %v", res, err)
		}
	})
}

func catalog(t *testing.T, flow *widget.Flow, f *booktest.Fixture) *widget.Catalog {
	t.Helper()
	_, cat, err := flow.Open(context.Background(), f.Link.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}
