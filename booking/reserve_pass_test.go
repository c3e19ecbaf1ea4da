package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// passReq is req for the client n (whose pass pays) with the pass.
func passReq(f *booktest.Fixture, n int, p *booking.ClientPass, seats int, events ...*booking.Event) booking.ReserveRequest {
	r := req(f, n, seats, events...)
	r.PassID = p.ID
	return r
}

// withBalance sells cl a 10-visit Yoga pass and corrects it to left visits.
func withBalance(t *testing.T, f *booktest.Fixture, cl *booking.Client, left int) *booking.ClientPass {
	t.Helper()
	p := sellPass(t, f, cl, passType(t, f, nil))
	if left != 10 {
		if _, err := f.Store.CorrectPass(context.Background(), refOf(p), left-10, "test", 0); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func TestReserveWithPass(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		cl := passClient(t, f, 1)
		p := withBalance(t, f, cl, 10)
		evs := f.YogaEvents(t, 3, 10)
		res, err := f.Store.Reserve(ctx, passReq(f, 1, p, 2, evs...))
		if err != nil {
			t.Fatal(err)
		}
		if res.Pass == nil || res.Pass.Balance != 4 {
			t.Fatalf("pass after booking: %+v", res.Pass)
		}
		for _, b := range res.Bookings {
			if b.Payment != booking.PaymentPass || b.PassID != p.ID {
				t.Errorf("booking %d paid %q by %d", b.ID, b.Payment, b.PassID)
			}
			stored, _ := f.Store.Booking(ctx, b.ID)
			if stored.Payment != booking.PaymentPass || stored.PassID != p.ID {
				t.Errorf("stored booking %d paid %q by %d", b.ID, stored.Payment, stored.PassID)
			}
		}
		got := reloadPass(t, f, p)
		if got.Balance != 4 || len(got.Entries) != 4 {
			t.Fatalf("ledger %+v", got.Entries)
		}
		for i, e := range got.Entries[1:] {
			if e.Kind != booking.EntryVisit || e.Visits != -2 || e.BookingID != res.Bookings[i].ID {
				t.Errorf("visit entry %d: %+v", i, e)
			}
		}

		// The same key again: the first result, one deduction.
		r := passReq(f, 1, p, 1, f.YogaEvents(t, 1, 10)...)
		r.Key = "tab-1"
		first, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		again, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if !again.Replayed || again.Pass == nil || again.Pass.Balance != 3 || first.Pass.Balance != 3 {
			t.Errorf("replay: replayed %v, pass %+v", again.Replayed, again.Pass)
		}
		if got := reloadPass(t, f, p); got.Balance != 3 {
			t.Errorf("balance %d after a replay, want 3", got.Balance)
		}
		// The key with another pass (or none) is another request.
		r.PassID = 0
		if _, err := f.Store.Reserve(ctx, r); !errors.Is(err, booking.ErrKeyReused) {
			t.Errorf("key reused without the pass: %v", err)
		}
		if bad := booktest.Invariant(t, db); len(bad) > 0 {
			t.Fatal(bad)
		}
	})
}

func TestReservePassRefused(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		anna, bob := passClient(t, f, 1), passClient(t, f, 2)
		evs := f.YogaEvents(t, 4, 10) // 2026-03-03 .. 2026-03-06
		three := withBalance(t, f, anna, 3)
		nothingBooked := func(name string) {
			t.Helper()
			if n := countBookings(t, db); n != 0 {
				t.Fatalf("%s: %d bookings stored", name, n)
			}
			for _, ev := range evs {
				if got := seatsTaken(t, f, ev); got != 0 {
					t.Fatalf("%s: event %d has %d seats taken", name, ev.ID, got)
				}
			}
			if got := reloadPass(t, f, three); got.Balance != 3 {
				t.Fatalf("%s: balance %d", name, got.Balance)
			}
		}

		// Four dates, three visits left.
		_, err := f.Store.Reserve(ctx, passReq(f, 1, three, 1, evs...))
		var short *booking.PassShortError
		if !errors.As(err, &short) || short.Left != 3 || short.Needed != 4 || !errors.Is(err, booking.ErrPass) {
			t.Fatalf("4 dates on 3 visits: %v", err)
		}
		nothingBooked("4 dates")
		// Two dates × two seats.
		_, err = f.Store.Reserve(ctx, passReq(f, 1, three, 2, evs[:2]...))
		if !errors.As(err, &short) || short.Left != 3 || short.Needed != 4 {
			t.Fatalf("2 dates × 2 seats on 3 visits: %v", err)
		}
		nothingBooked("2×2")

		// Another client's pass, by id.
		_, err = f.Store.Reserve(ctx, passReq(f, 2, three, 1, evs[0]))
		if !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("bob spends anna's pass: %v", err)
		}
		nothingBooked("other client")
		_ = bob

		// Another service.
		pil := f.Event(t, f.Pilates, f.Marton, evs[0].StartsAt, 8)
		if _, err = f.Store.Reserve(ctx, passReq(f, 1, three, 1, pil)); !errors.Is(err, booking.ErrPassNotCovering) {
			t.Fatalf("pilates on a yoga pass: %v", err)
		}
		if got := seatsTaken(t, f, pil); got != 0 {
			t.Fatalf("pilates seats taken")
		}

		// A pass that ends in the middle of the selection.
		short2 := sellPass(t, f, anna, passType(t, f, func(in *booking.PassTypeInput) { in.ValidityDays = 3 })) // 03-02..03-04
		_, err = f.Store.Reserve(ctx, passReq(f, 1, short2, 1, evs[3], evs[0], evs[2]))
		var nv *booking.PassNotValidError
		if !errors.As(err, &nv) || nv.Date != "2026-03-05" || nv.ValidUntil != "2026-03-04" || nv.EventID != evs[2].ID || !nv.Expired() {
			t.Fatalf("straddling the expiry: %v", err)
		}
		nothingBooked("straddle")

		// A pass starting later.
		later, err := f.Store.SellPass(ctx, booking.SellPassInput{LocationID: f.Location.ID, ClientID: anna.ID,
			PassTypeID: short2.PassTypeID, Start: "2026-03-05", Method: booking.MethodCash})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Store.Reserve(ctx, passReq(f, 1, later, 1, evs[3], evs[2], evs[1]))
		if !errors.As(err, &nv) || nv.Date != "2026-03-04" || nv.Expired() {
			t.Fatalf("before the start: %v", err)
		}
		nothingBooked("before start")

		// Frozen, then voided.
		if _, err := f.Store.FreezePass(ctx, refOf(three), 0); err != nil {
			t.Fatal(err)
		}
		if _, err = f.Store.Reserve(ctx, passReq(f, 1, three, 1, evs[0])); !errors.Is(err, booking.ErrPassFrozen) {
			t.Fatalf("frozen: %v", err)
		}
		if _, err := f.Store.UnfreezePass(ctx, refOf(three), 0); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.VoidPass(ctx, refOf(three), "", 0); err != nil {
			t.Fatal(err)
		}
		if _, err = f.Store.Reserve(ctx, passReq(f, 1, three, 1, evs[0])); !errors.Is(err, booking.ErrPassVoided) {
			t.Fatalf("voided: %v", err)
		}
		if n := countBookings(t, db); n != 0 {
			t.Fatalf("%d bookings stored", n)
		}

		// Another location's pass, by id.
		other, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "hu"})
		if err != nil {
			t.Fatal(err)
		}
		oc := &booking.Client{LocationID: other.ID, Phone: booktest.Client(1).Phone, CreatedAt: f.Now}
		if _, err := db.NewInsert().Model(oc).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		osvc, err := f.Store.CreateService(ctx, other.ID, booking.ServiceInput{Name: "Yoga", DurationMin: 60, DefaultCapacity: 5, Currency: "HUF"})
		if err != nil {
			t.Fatal(err)
		}
		opt, err := f.Store.CreatePassType(ctx, other.ID, booking.PassTypeInput{Name: "5", Kind: booking.PassVisits, Visits: 5,
			ValidityDays: 30, ValidFrom: booking.ValidFromSale, Currency: "HUF", ServiceIDs: []int64{osvc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		op, err := f.Store.SellPass(ctx, booking.SellPassInput{LocationID: other.ID, ClientID: oc.ID, PassTypeID: opt.ID, Free: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err = f.Store.Reserve(ctx, passReq(f, 1, op, 1, evs[0])); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("another location's pass: %v", err)
		}
		if n := countBookings(t, db); n != 0 {
			t.Fatalf("%d bookings stored", n)
		}
	})
}

func TestReservePassFirstUseAndUnlimited(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		cl := passClient(t, f, 1)
		evs := f.YogaEvents(t, 4, 10) // 2026-03-03 .. 2026-03-06
		first := sellPass(t, f, cl, passType(t, f, func(in *booking.PassTypeInput) {
			in.ValidFrom, in.ValidityDays = booking.ValidFromFirstUse, 2
		}))
		// The earliest date starts it: 03-04..03-05, so 03-06 is refused.
		_, err := f.Store.Reserve(ctx, passReq(f, 1, first, 1, evs[3], evs[1]))
		var nv *booking.PassNotValidError
		if !errors.As(err, &nv) || nv.Date != "2026-03-06" || nv.ValidFrom != "2026-03-04" || nv.ValidUntil != "2026-03-05" {
			t.Fatalf("first use, three days on a two-day pass: %v", err)
		}
		res, err := f.Store.Reserve(ctx, passReq(f, 1, first, 1, evs[2], evs[1]))
		if err != nil {
			t.Fatal(err)
		}
		if res.Pass.StartsOn != "2026-03-04" || res.Pass.ValidUntil != "2026-03-05" || res.Pass.Balance != 8 {
			t.Errorf("started %+v", res.Pass)
		}
		if got := reloadPass(t, f, first); got.StartsOn != "2026-03-04" || got.ValidUntil != "2026-03-05" {
			t.Errorf("stored start %s..%s", got.StartsOn, got.ValidUntil)
		}

		unl := sellPass(t, f, cl, passType(t, f, func(in *booking.PassTypeInput) { in.Kind = booking.PassUnlimited }))
		other := f.YogaEvents(t, 3, 10)
		res, err = f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, EventIDs: []int64{other[0].ID, other[1].ID, other[2].ID},
			Seats: 4, Client: booktest.Client(1), PassID: unl.ID})
		if err != nil {
			t.Fatal(err)
		}
		got := reloadPass(t, f, unl)
		if got.Balance != 0 || len(got.Entries) != 4 || res.Bookings[0].Payment != booking.PaymentPass {
			t.Errorf("unlimited after 3 × 4: balance %d, %d entries", got.Balance, len(got.Entries))
		}
	})
}

// TestPrepaymentRequiresPass: a link with prepayment ("pass required")
// refuses a booking without a pass, and with one books several dates.
func TestPrepaymentRequiresPass(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		f.Link.PaymentMode, f.Link.SMSConfirm = booking.PayPassRequired, true
		if err := f.Store.SaveLink(ctx, f.Link); err != nil {
			t.Fatal(err)
		}
		if got := f.Link.EffectiveMaxEvents(); got != 10 {
			t.Errorf("prepayment link allows %d events, want 10", got)
		}
		evs := f.YogaEvents(t, 3, 10)
		if _, err := f.Store.Reserve(ctx, req(f, 1, 1, evs...)); !errors.Is(err, booking.ErrPassRequired) {
			t.Fatalf("no pass: %v", err)
		}
		if n := countBookings(t, db); n != 0 {
			t.Fatalf("%d bookings without a pass", n)
		}
		p := withBalance(t, f, passClient(t, f, 1), 10)
		res, err := f.Store.Reserve(ctx, passReq(f, 1, p, 1, evs...))
		if err != nil || len(res.Bookings) != 3 || res.Pass.Balance != 7 {
			t.Fatalf("with a pass: %v", err)
		}
		// Staff book without a pass as before.
		r := req(f, 2, 1, evs[0])
		r.Link = nil
		if _, err := f.Store.Reserve(ctx, r); err != nil {
			t.Fatalf("staff: %v", err)
		}
	})
}

// TestBookedMessageNamesPass: the "booked" SMS of a pass-paid booking
// carries the pass and what is left of it.
func TestBookedMessageNamesPass(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		enableSMS(t, f, 24)
		p := withBalance(t, f, passClient(t, f, 1), 10)
		evs := f.YogaEvents(t, 3, 10)
		if _, err := f.Store.Reserve(ctx, passReq(f, 1, p, 2, evs...)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Reserve(ctx, req(f, 2, 1, evs[0])); err != nil {
			t.Fatal(err)
		}
		var booked []*booking.MessagePayload
		for _, m := range outbox(t, db) {
			if m.Kind == booking.SMSBooked {
				pl, err := m.DecodePayload()
				if err != nil {
					t.Fatal(err)
				}
				booked = append(booked, pl)
			}
		}
		if len(booked) != 2 {
			t.Fatalf("%d booked messages", len(booked))
		}
		if pp := booked[0].Pass; pp == nil || pp.Name != "10 Yoga classes" || pp.Left != 4 {
			t.Errorf("pass in the message: %+v", pp)
		}
		if booked[1].Pass != nil {
			t.Errorf("a booking paid at the studio names a pass: %+v", booked[1].Pass)
		}
	})
}
