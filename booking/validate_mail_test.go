package booking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// headerInjections are e-mail addresses that would add a header or a
// recipient if they reached a To header as typed.
var headerInjections = map[string]string{
	"CRLF Bcc":       "anna@example.com\r\nBcc: victim@example.org",
	"LF":             "anna@example.com\nSubject: hi",
	"CR":             "anna@example.com\rX: y",
	"comma list":     "anna@example.com,victim@example.org",
	"semicolon list": "anna@example.com;victim@example.org",
	"angle brackets": "Anna <victim@example.org>",
	"quoted":         `"anna,x"@example.com`,
	"comment":        "anna(x)@example.com",
	"colon group":    "g:anna@example.com",
	"NEL":            "anna@example.com\u0085Bcc:victim@example.org",
	"line separator": "anna@example.com\u2028Bcc:victim@example.org",
	"backslash":      `anna\@example.com`,
}

func TestValidEmail(t *testing.T) {
	for name, s := range headerInjections {
		if booking.ValidEmail(s) {
			t.Errorf("%s (%q) accepted", name, s)
		}
	}
	for _, s := range []string{"anna@example.com", "anna.kovacs+yoga@mail.example.hu", "o'brien@example.ie", "éva@példa.hu"} {
		if !booking.ValidEmail(s) {
			t.Errorf("%q refused", s)
		}
	}
}

// TestEmailHeaderInjectionAtTheField: the client's e-mail (widget and
// staff) and a staff user's e-mail refuse header syntax at the field, on
// both databases, and nothing is written.
func TestEmailHeaderInjectionAtTheField(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		ev := f.YogaEvents(t, 1, 10)[0]
		for name, bad := range headerInjections {
			r := req(f, 1, 1, ev)
			r.Client.Email = bad
			_, err := f.Store.Reserve(ctx, r)
			if err == nil {
				t.Errorf("%s: booked with %q", name, bad)
				continue
			}
			// Control characters are reported as bad text, the rest as a
			// bad address: either way at the field.
			wantOneOf(t, err, "email", booking.MsgInvalidEmail, booking.MsgInvalidText)
			_, err = f.Store.EnsureClient(ctx, f.Location.ID, booking.ClientInput{Phone: "+36201234567", FirstName: "Anna", Email: bad})
			wantOneOf(t, err, "email", booking.MsgInvalidEmail, booking.MsgInvalidText)
			_, err = f.Store.CreateUser(ctx, bad, "Staff", "long enough password", booking.RoleStaff)
			wantOneOf(t, err, "email", booking.MsgInvalidEmail, booking.MsgInvalidText)
		}
		for table, n := range map[string]int64{"bookings": 0, "clients": 0, "outbox": 0} {
			got, err := db.NewSelect().Table(table).Count(ctx)
			if err != nil || got != n {
				t.Errorf("%s: %d rows (%v), want %d", table, got, err, n)
			}
		}
		// A good address still books.
		r := req(f, 1, 1, ev)
		r.Client.Email = "anna@example.com"
		if _, err := f.Store.Reserve(ctx, r); err != nil {
			t.Errorf("good e-mail refused: %v", err)
		}
	})
}

func wantOneOf(t *testing.T, err error, field string, msgs ...string) {
	t.Helper()
	var fe booking.FieldErrors
	ok := errors.As(err, &fe)
	if !ok {
		t.Errorf("got %v, want a field error at %s", err, field)
		return
	}
	for _, m := range msgs {
		if fe[field] == m {
			return
		}
	}
	t.Errorf("got %v at %s, want one of %v", fe, field, msgs)
}
