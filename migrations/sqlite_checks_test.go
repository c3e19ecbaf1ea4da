package migrations_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestOnlinePaymentChecks: after 0009 (and on SQLite the Go migration
// widening the CHECKs in sqlite_schema) every pooled connection accepts a
// booking paid 'online' or 'online_pending' and a pass sale by 'online',
// still refuses an unknown value, and the database passes integrity_check.
func TestOnlinePaymentChecks(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 10)[0]
		res, err := f.Store.Reserve(ctx, booking.ReserveRequest{LocationID: f.Location.ID, EventIDs: []int64{ev.ID}, Seats: 1, Client: booktest.Client(1)})
		if err != nil {
			t.Fatal(err)
		}
		id := res.Bookings[0].ID
		// Hold several connections at once so the pool cannot hand the
		// same one back: each must have re-read the schema.
		var conns []bun.Conn
		for range 4 {
			c, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for i, c := range conns {
			for _, v := range []string{"online", "online_pending"} {
				if _, err := c.ExecContext(ctx, "UPDATE bookings SET payment = ? WHERE id = ?", v, id); err != nil {
					t.Errorf("conn %d: payment %q refused: %v", i, v, err)
				}
			}
			if _, err := c.ExecContext(ctx, "UPDATE bookings SET payment = 'bogus' WHERE id = ?", id); err == nil {
				t.Errorf("conn %d: payment 'bogus' accepted", i)
			}
		}
		pt, err := f.Store.CreatePassType(ctx, f.Location.ID, booking.PassTypeInput{Name: "10", Kind: booking.PassVisits, Visits: 10,
			ValidityDays: 30, ValidFrom: booking.ValidFromSale, PriceMinor: 1000, Currency: "HUF", ServiceIDs: []int64{f.Yoga.ID}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.Store.SellPass(ctx, booking.SellPassInput{LocationID: f.Location.ID, ClientID: res.Client.ID, PassTypeID: pt.ID, Method: booking.MethodCash, AmountMinor: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conns[0].ExecContext(ctx, "UPDATE pass_entries SET method = 'online' WHERE pass_id = ?", p.ID); err != nil {
			t.Errorf("pass entry method 'online' refused: %v", err)
		}
		if _, err := conns[1].ExecContext(ctx, "UPDATE pass_entries SET method = 'bogus' WHERE pass_id = ?", p.ID); err == nil {
			t.Error("pass entry method 'bogus' accepted")
		}
		if db.Dialect().Name().String() != "pg" {
			var ok string
			if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
				t.Errorf("integrity_check: %q %v", ok, err)
			}
			var ws int
			if err := conns[2].QueryRowContext(ctx, "PRAGMA writable_schema").Scan(&ws); err != nil && err != sql.ErrNoRows || ws != 0 {
				t.Errorf("writable_schema left %d (%v)", ws, err)
			}
		}
	})
}
