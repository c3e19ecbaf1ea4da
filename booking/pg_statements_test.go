package booking_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestPostgresKeepsNoStatements: bun writes every value into the SQL
// text, so almost no two statements are alike; a connection that
// prepared and cached each one (pgx's default) would hold hundreds of
// them, and pay a round trip to prepare each. A connection of OpenDB
// keeps none, however many distinct statements it ran.
func TestPostgresKeepsNoStatements(t *testing.T) {
	ctx := context.Background()
	db := booktest.Open(t, booktest.Postgres)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i := range 50 {
		var n int
		if err := conn.NewSelect().ColumnExpr("? + 1", i).Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		if n != i+1 {
			t.Fatalf("got %d, want %d", n, i+1)
		}
	}
	var kept int
	if err := conn.NewSelect().TableExpr("pg_prepared_statements").ColumnExpr("count(*)").Scan(ctx, &kept); err != nil {
		t.Fatal(err)
	}
	if kept != 0 {
		t.Errorf("the connection keeps %d prepared statements, want none", kept)
	}
}

// TestInlinedValuesRoundTrip: values bun writes into the SQL text, sent
// as they are to PostgreSQL (no parameters), come back exactly as given,
// whatever quotes, backslashes or other scripts they hold.
func TestInlinedValuesRoundTrip(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 10)[0]
		nasty := `O'Brien \' \\ "; DROP TABLE bookings; -- $$ $1 ? ?? 日本 ёж`
		r := req(f, 1, 1, ev)
		r.VisitorName, r.Comment = "Visitor '"+`\`, nasty
		r.Client.LastName = `D'Arcy \n`
		res, err := f.Store.Reserve(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		got := new(booking.Booking)
		if err := db.NewSelect().Model(got).Where("id = ?", res.Bookings[0].ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if got.Comment != strings.TrimSpace(nasty) || got.VisitorName != "Visitor '"+`\` {
			t.Errorf("stored %q / %q, want %q / %q", got.Comment, got.VisitorName, nasty, "Visitor '\\")
		}
		cl, err := f.Store.Client(ctx, res.Client.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cl.LastName != `D'Arcy \n` {
			t.Errorf("last name %q", cl.LastName)
		}
	})
}

// TestPostgresStandardStrings: bun's escaping needs backslashes to be
// plain characters, so OpenDB turns standard_conforming_strings on even
// when the URL asks otherwise.
func TestPostgresStandardStrings(t *testing.T) {
	dsn := booktest.URL(t, booktest.Postgres) + "&standard_conforming_strings=off"
	db, err := booking.OpenDB(dsn, booking.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(context.Background(), "SHOW standard_conforming_strings").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != "on" {
		t.Errorf("standard_conforming_strings = %s, want on", v)
	}
}
