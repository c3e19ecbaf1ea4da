package booking_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// badTexts are what no keyboard types but a forged request can send: a NUL
// (PostgreSQL refuses it in text), invalid UTF-8 (refused too), and other
// control characters.
var badTexts = map[string]string{
	"NUL":          "Ann\x00a",
	"invalid UTF8": "Ann\xffa",
	"escape":       "Ann\x1b[2Ja",
	"DEL":          "Ann\x7fa",
}

func TestValidText(t *testing.T) {
	for name, s := range badTexts {
		if booking.ValidText(s) || booking.ValidMultiLineText(s) {
			t.Errorf("%s (%q) accepted", name, s)
		}
	}
	for _, s := range []string{"", "Anna", "Kovács Éva", "Ольга", "😀 ok", "a\u00a0b"} {
		if !booking.ValidText(s) || !booking.ValidMultiLineText(s) {
			t.Errorf("%q refused", s)
		}
	}
	if booking.ValidText("two\nlines") || booking.ValidText("tab\there") {
		t.Error("line break or tab accepted in one line of text")
	}
	if !booking.ValidMultiLineText("two\r\nlines\twith a tab") {
		t.Error("line break or tab refused in multi-line text")
	}
}

// TestInvalidTextAtTheField: every kind of bad text in the fields people
// type comes back as FieldErrors at that field, on both databases, and
// nothing is written. Before, PostgreSQL answered a NUL with an encoding
// error (a 500 at the edge) and SQLite stored it.
func TestInvalidTextAtTheField(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		st := f.Store
		ev := f.YogaEvents(t, 1, 10)[0]
		for name, bad := range badTexts {
			t.Run(name, func(t *testing.T) {
				// The widget's and the staff's contact fields.
				for field, edit := range map[string]func(*booking.ReserveRequest){
					"first_name":   func(r *booking.ReserveRequest) { r.Client.FirstName = bad },
					"last_name":    func(r *booking.ReserveRequest) { r.Client.LastName = bad },
					"email":        func(r *booking.ReserveRequest) { r.Client.Email = "a" + bad + "@example.com" },
					"comment":      func(r *booking.ReserveRequest) { r.Comment = bad },
					"visitor_name": func(r *booking.ReserveRequest) { r.VisitorName = bad },
				} {
					r := req(f, 1, 1, ev)
					edit(&r)
					_, err := st.Reserve(ctx, r)
					wantField(t, err, field, booking.MsgInvalidText)
				}
				_, err := st.CreateService(ctx, f.Location.ID, booking.ServiceInput{
					Name: bad, DurationMin: 60, DefaultCapacity: 5, Currency: "HUF", Color: "#2a9d8f",
				})
				wantField(t, err, "name", booking.MsgInvalidText)
				_, err = st.CreateTeamMember(ctx, f.Location.ID, booking.TeamMemberInput{Name: "Ok", Title: bad})
				wantField(t, err, "title", booking.MsgInvalidText)
				link := *f.Link
				link.ID, link.Slug, link.ContactMessage = 0, "other", bad
				wantField(t, st.SaveLink(ctx, &link), "contact_message", booking.MsgInvalidText)
				_, err = st.CreateUser(ctx, "x@example.com", bad, "long enough password", booking.RoleStaff)
				wantField(t, err, "name", booking.MsgInvalidText)
			})
		}
		// A user's email is lower-cased first, which turns invalid UTF-8
		// into U+FFFD; a NUL survives that and is refused.
		_, err := st.CreateUser(ctx, "x\x00@example.com", "X", "long enough password", booking.RoleStaff)
		wantField(t, err, "email", booking.MsgInvalidText)

		// A line break belongs in a comment, not in a name.
		r := req(f, 1, 1, ev)
		r.Client.FirstName = "Anna\nKovács"
		_, err = st.Reserve(ctx, r)
		wantField(t, err, "first_name", booking.MsgInvalidText)
		r = req(f, 1, 1, ev)
		r.Comment = "first line\r\nsecond line"
		if _, err := st.Reserve(ctx, r); err != nil {
			t.Errorf("comment with a line break: %v", err)
		}
		var n int64
		if n, err = db.NewSelect().Table("bookings").Count(ctx); err != nil || n != 1 {
			t.Errorf("%d bookings (%v), want only the one with a good comment", n, err)
		}
		if n, _ = db.NewSelect().Table("services").Where("name <> 'Yoga' AND name <> 'Pilates'").Count(ctx); n != 0 {
			t.Errorf("%d services written from bad text", n)
		}
	})
}

// TestSearchRefusesInvalidText: a search cannot match bad text (none is
// stored), and on PostgreSQL asking for it was an encoding error.
func TestSearchRefusesInvalidText(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		f := booktest.Seed(t, db)
		for _, bad := range badTexts {
			_, _, err := f.Store.SearchClients(context.Background(), f.Location.ID, bad, 10)
			wantField(t, err, "q", booking.MsgInvalidText)
		}
	})
}
