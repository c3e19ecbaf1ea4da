package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// passClient stores a client of the fixture's location, phone ending in n.
func passClient(t *testing.T, f *booktest.Fixture, n int) *booking.Client {
	t.Helper()
	in := booktest.Client(n)
	cl := &booking.Client{LocationID: f.Location.ID, Phone: in.Phone, FirstName: in.FirstName, LastName: in.LastName, CreatedAt: f.Now}
	if _, err := f.Store.DB().NewInsert().Model(cl).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return cl
}

// passType creates a pass type of the fixture from yogaPassInput, edited.
func passType(t *testing.T, f *booktest.Fixture, edit func(*booking.PassTypeInput)) *booking.PassType {
	t.Helper()
	in := yogaPassInput(f)
	if edit != nil {
		edit(&in)
	}
	pt, err := f.Store.CreatePassType(context.Background(), f.Location.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return pt
}

// sellPass sells a pass of pt to cl, paid in cash, starting today.
func sellPass(t *testing.T, f *booktest.Fixture, cl *booking.Client, pt *booking.PassType) *booking.ClientPass {
	t.Helper()
	p, err := f.Store.SellPass(context.Background(), booking.SellPassInput{
		LocationID: f.Location.ID, ClientID: cl.ID, PassTypeID: pt.ID,
		Method: booking.MethodCash, AmountMinor: pt.PriceMinor,
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func refOf(p *booking.ClientPass) booking.PassRef {
	return booking.PassRef{LocationID: p.LocationID, ClientID: p.ClientID, PassID: p.ID}
}

// reloadPass reads a pass again and checks its balance is its ledger's sum.
func reloadPass(t *testing.T, f *booktest.Fixture, p *booking.ClientPass) *booking.ClientPass {
	t.Helper()
	got, err := f.Store.ClientPass(context.Background(), refOf(p))
	if err != nil {
		t.Fatal(err)
	}
	var sum int
	if err := f.Store.DB().NewSelect().TableExpr("pass_entries").ColumnExpr("COALESCE(SUM(visits), 0)").
		Where("pass_id = ?", p.ID).Scan(context.Background(), &sum); err != nil {
		t.Fatal(err)
	}
	if got.Balance != sum {
		t.Fatalf("pass %d balance %d, ledger sum %d", p.ID, got.Balance, sum)
	}
	return got
}

func TestSellPass(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		cl := passClient(t, f, 1)
		pt := passType(t, f, nil)
		p := sellPass(t, f, cl, pt)
		got := reloadPass(t, f, p)
		if got.Balance != 10 || got.StartsOn != "2026-03-02" || got.ValidUntil != "2026-05-30" || got.Name != "10 Yoga classes" ||
			!got.Covers(f.Yoga.ID) || got.Covers(f.Pilates.ID) || !got.Active("2026-03-02") {
			t.Errorf("sold %+v", got)
		}
		if len(got.Entries) != 1 || got.Entries[0].Kind != booking.EntrySale || got.Entries[0].AmountMinor != 3000000 ||
			got.Entries[0].Method != booking.MethodCash || got.Entries[0].Currency != "HUF" {
			t.Errorf("sale entry %+v", got.Entries)
		}

		// A grant records no payment; a future start is kept; first use
		// has no dates until used.
		first := passType(t, f, func(in *booking.PassTypeInput) { in.Name, in.ValidFrom = "Any 5", booking.ValidFromFirstUse })
		g, err := f.Store.SellPass(ctx, booking.SellPassInput{LocationID: f.Location.ID, ClientID: cl.ID, PassTypeID: first.ID, Free: true, Method: "bogus"})
		if err != nil {
			t.Fatal(err)
		}
		g = reloadPass(t, f, g)
		if g.Entries[0].Kind != booking.EntryGrant || g.Entries[0].AmountMinor != 0 || g.StartsOn != "" || g.ValidUntil != "" || g.Balance != 10 {
			t.Errorf("granted %+v", g)
		}
		later, err := f.Store.SellPass(ctx, booking.SellPassInput{LocationID: f.Location.ID, ClientID: cl.ID, PassTypeID: pt.ID, Start: "2026-04-01", Method: booking.MethodCard})
		if err != nil {
			t.Fatal(err)
		}
		if later.StartsOn != "2026-04-01" || later.ValidUntil != "2026-06-29" {
			t.Errorf("future start: %s..%s", later.StartsOn, later.ValidUntil)
		}
		list, err := f.Store.ClientPasses(ctx, f.Location.ID, cl.ID)
		if err != nil || len(list) != 3 || list[0].ID != later.ID {
			t.Fatalf("client passes: %+v %v", list, err)
		}
	})
}

func TestSellPassRefused(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		cl := passClient(t, f, 1)
		pt := passType(t, f, nil)
		archived := passType(t, f, nil)
		if err := f.Store.ArchivePassType(ctx, f.Location.ID, archived.ID, true); err != nil {
			t.Fatal(err)
		}
		other, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		otherSvc, err := f.Store.CreateService(ctx, other.ID, booking.ServiceInput{Name: "Surf", DurationMin: 60, DefaultCapacity: 5, Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		otherType, err := f.Store.CreatePassType(ctx, other.ID, booking.PassTypeInput{Name: "Surf 5", Kind: booking.PassVisits, Visits: 5,
			ValidityDays: 30, ValidFrom: booking.ValidFromSale, Currency: "EUR", ServiceIDs: []int64{otherSvc.ID}})
		if err != nil {
			t.Fatal(err)
		}
		good := booking.SellPassInput{LocationID: f.Location.ID, ClientID: cl.ID, PassTypeID: pt.ID, Method: booking.MethodCash, AmountMinor: 100}
		for _, tc := range []struct {
			name, field, msg string
			edit             func(*booking.SellPassInput)
		}{
			{"archived type", "pass_type", booking.MsgUnknownPassType, func(in *booking.SellPassInput) { in.PassTypeID = archived.ID }},
			{"other location's type", "pass_type", booking.MsgUnknownPassType, func(in *booking.SellPassInput) { in.PassTypeID = otherType.ID }},
			{"no method", "method", booking.MsgInvalidPayMethod, func(in *booking.SellPassInput) { in.Method = "" }},
			{"negative amount", "amount", booking.MsgOutOfRange, func(in *booking.SellPassInput) { in.AmountMinor = -5 }},
			{"bad start", "start", booking.MsgInvalidDate, func(in *booking.SellPassInput) { in.Start = "2026-02-30" }},
			{"start far away", "start", booking.MsgOutOfRange, func(in *booking.SellPassInput) { in.Start = "2030-01-01" }},
		} {
			in := good
			tc.edit(&in)
			_, err := f.Store.SellPass(ctx, in)
			wantField(t, err, tc.field, tc.msg)
		}
		in := good
		in.LocationID = other.ID
		if _, err := f.Store.SellPass(ctx, in); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("client of another location: %v", err)
		}
		if list, _ := f.Store.ClientPasses(ctx, f.Location.ID, cl.ID); len(list) != 0 {
			t.Errorf("refused sales stored %d passes", len(list))
		}
	})
}

func TestPassLedgerChanges(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		cl := passClient(t, f, 1)
		p := sellPass(t, f, cl, passType(t, f, nil))
		ref := refOf(p)

		// Freeze for five days: the validity grows by five.
		if _, err := f.Store.FreezePass(ctx, ref, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.FreezePass(ctx, ref, 0); !errors.Is(err, booking.ErrPassAlreadyFrozen) {
			t.Errorf("second freeze: %v", err)
		}
		if got := reloadPass(t, f, p); !got.Frozen() || got.Active("2026-03-02") {
			t.Errorf("frozen pass %+v", got)
		}
		f.Now = f.Now.Add(5 * 24 * time.Hour)
		got, err := f.Store.UnfreezePass(ctx, ref, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got.Frozen() || got.ValidUntil != "2026-06-04" {
			t.Errorf("after unfreeze: frozen %v, until %s", got.Frozen(), got.ValidUntil)
		}
		if _, err := f.Store.UnfreezePass(ctx, ref, 0); !errors.Is(err, booking.ErrPassNotFrozen) {
			t.Errorf("unfreeze of a pass not frozen: %v", err)
		}

		// Extend.
		for _, days := range []int{0, -3, 731} {
			_, err := f.Store.ExtendPass(ctx, ref, days, 0)
			wantField(t, err, "days", booking.MsgPassExtendDays)
		}
		if got, err = f.Store.ExtendPass(ctx, ref, 10, 0); err != nil || got.ValidUntil != "2026-06-14" {
			t.Fatalf("extend: %v %+v", err, got)
		}

		// Corrections are bounded and keep the balance at 0 or more.
		for _, tc := range []struct {
			delta       int
			reason      string
			field, want string
		}{
			{0, "typo", "visits", booking.MsgPassCorrection},
			{101, "typo", "visits", booking.MsgPassCorrection},
			{-1000, "typo", "visits", booking.MsgPassCorrection},
			{-11, "typo", "visits", booking.MsgPassBalanceBelow},
			{2, "  ", "reason", booking.MsgRequired},
		} {
			_, err := f.Store.CorrectPass(ctx, ref, tc.delta, tc.reason, 0)
			wantField(t, err, tc.field, tc.want)
		}
		if got, err = f.Store.CorrectPass(ctx, ref, 2, "bonus for a referral", 0); err != nil || got.Balance != 12 {
			t.Fatalf("correct +2: %v %+v", err, got)
		}
		if got, err = f.Store.CorrectPass(ctx, ref, -12, "refunded", 0); err != nil || got.Balance != 0 {
			t.Fatalf("correct -12: %v %+v", err, got)
		}
		if _, err = f.Store.CorrectPass(ctx, ref, 3, "back", 0); err != nil {
			t.Fatal(err)
		}

		// Void writes the rest off; nothing changes a voided pass.
		if got, err = f.Store.VoidPass(ctx, ref, "sold by mistake", 0); err != nil || !got.Voided() || got.Balance != 0 {
			t.Fatalf("void: %v %+v", err, got)
		}
		if _, err := f.Store.VoidPass(ctx, ref, "", 0); !errors.Is(err, booking.ErrPassVoided) {
			t.Errorf("void twice: %v", err)
		}
		if _, err := f.Store.CorrectPass(ctx, ref, 1, "x", 0); !errors.Is(err, booking.ErrPassVoided) {
			t.Errorf("correct voided: %v", err)
		}
		if _, err := f.Store.ExtendPass(ctx, ref, 1, 0); !errors.Is(err, booking.ErrPassVoided) {
			t.Errorf("extend voided: %v", err)
		}
		if _, err := f.Store.FreezePass(ctx, ref, 0); !errors.Is(err, booking.ErrPassVoided) {
			t.Errorf("freeze voided: %v", err)
		}
		got = reloadPass(t, f, p)
		var kinds []string
		for _, e := range got.Entries {
			kinds = append(kinds, e.Kind)
		}
		want := []string{"sale", "freeze", "unfreeze", "extension", "correction", "correction", "correction", "void"}
		if len(kinds) != len(want) {
			t.Fatalf("ledger %v, want %v", kinds, want)
		}
		for i := range want {
			if kinds[i] != want[i] {
				t.Fatalf("ledger %v, want %v", kinds, want)
			}
		}

		// An unlimited pass has no visits to correct.
		u := sellPass(t, f, cl, passType(t, f, func(in *booking.PassTypeInput) { in.Kind = booking.PassUnlimited }))
		_, err = f.Store.CorrectPass(ctx, refOf(u), 1, "x", 0)
		wantField(t, err, "visits", booking.MsgPassUnlimitedVisit)
	})
}

func TestPassScopedByClientAndLocation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		anna, bob := passClient(t, f, 1), passClient(t, f, 2)
		p := sellPass(t, f, anna, passType(t, f, nil))
		other, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		for name, ref := range map[string]booking.PassRef{
			"another client":   {LocationID: f.Location.ID, ClientID: bob.ID, PassID: p.ID},
			"another location": {LocationID: other.ID, ClientID: anna.ID, PassID: p.ID},
		} {
			if _, err := f.Store.ClientPass(ctx, ref); !errors.Is(err, booking.ErrNotFound) {
				t.Errorf("%s: read: %v", name, err)
			}
			if _, err := f.Store.FreezePass(ctx, ref, 0); !errors.Is(err, booking.ErrNotFound) {
				t.Errorf("%s: freeze: %v", name, err)
			}
			if _, err := f.Store.ExtendPass(ctx, ref, 5, 0); !errors.Is(err, booking.ErrNotFound) {
				t.Errorf("%s: extend: %v", name, err)
			}
			if _, err := f.Store.CorrectPass(ctx, ref, 5, "x", 0); !errors.Is(err, booking.ErrNotFound) {
				t.Errorf("%s: correct: %v", name, err)
			}
			if _, err := f.Store.VoidPass(ctx, ref, "", 0); !errors.Is(err, booking.ErrNotFound) {
				t.Errorf("%s: void: %v", name, err)
			}
		}
		if got := reloadPass(t, f, p); len(got.Entries) != 1 || got.Balance != 10 {
			t.Errorf("refused changes wrote to the ledger: %+v", got.Entries)
		}
		if list, _ := f.Store.ClientPasses(ctx, f.Location.ID, bob.ID); len(list) != 0 {
			t.Errorf("bob lists anna's pass")
		}
	})
}

func TestEnsureClient(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		in := booktest.Client(7)
		a, err := f.Store.EnsureClient(ctx, f.Location.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		in.FirstName = "Other"
		b, err := f.Store.EnsureClient(ctx, f.Location.ID, in)
		if err != nil || b.ID != a.ID || b.FirstName != "Anna" {
			t.Errorf("second call: %+v %v", b, err)
		}
		in.Phone = "+36 20 100 0007"
		_, err = f.Store.EnsureClient(ctx, f.Location.ID, in)
		wantField(t, err, "phone", booking.MsgInvalidPhone)
	})
}
