package booking_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"golang.org/x/crypto/bcrypt"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func wantField(t *testing.T, err error, field, msg string) {
	t.Helper()
	var fe booking.FieldErrors
	if !errors.As(err, &fe) || fe[field] != msg {
		t.Errorf("got %v, want %s: %s", err, field, msg)
	}
}

func TestLocationAndServiceValidation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := booking.NewStore(db)
		good := booking.LocationInput{Name: "Studio", TimeZone: "Europe/Budapest", Country: "hu", DefaultLang: "hu"}
		for _, tc := range []struct {
			field, msg string
			edit       func(*booking.LocationInput)
		}{
			{"name", booking.MsgRequired, func(in *booking.LocationInput) { in.Name = "  " }},
			{"time_zone", booking.MsgInvalidTimeZone, func(in *booking.LocationInput) { in.TimeZone = "Mars/Olympus" }},
			{"time_zone", booking.MsgInvalidTimeZone, func(in *booking.LocationInput) { in.TimeZone = "Local" }},
			{"country", booking.MsgInvalidCountry, func(in *booking.LocationInput) { in.Country = "XX" }},
			{"default_lang", booking.MsgInvalidLanguage, func(in *booking.LocationInput) { in.DefaultLang = "de" }},
		} {
			in := good
			tc.edit(&in)
			_, err := st.CreateLocation(ctx, in)
			wantField(t, err, tc.field, tc.msg)
		}
		loc, err := st.CreateLocation(ctx, good)
		if err != nil || loc.Country != "HU" {
			t.Fatalf("good location: %v %+v", err, loc)
		}
		if _, err := st.UpdateLocation(ctx, loc.ID, booking.LocationInput{Name: "Studio 2", TimeZone: "Europe/Kyiv", Country: "UA", DefaultLang: "uk"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Location(ctx, loc.ID); got.TimeZone != "Europe/Kyiv" || got.DefaultLang != "uk" {
			t.Errorf("update not saved: %+v", got)
		}

		svc := booking.ServiceInput{Name: "Yoga", DurationMin: 60, DefaultCapacity: 10, Currency: "huf", Color: "#aabbcc"}
		for _, tc := range []struct {
			field, msg string
			edit       func(*booking.ServiceInput)
		}{
			{"default_capacity", booking.MsgMustBePositive, func(in *booking.ServiceInput) { in.DefaultCapacity = 0 }},
			{"duration_min", booking.MsgOutOfRange, func(in *booking.ServiceInput) { in.DurationMin = 0 }},
			{"price_minor", booking.MsgOutOfRange, func(in *booking.ServiceInput) { in.PriceMinor = -1 }},
			{"currency", booking.MsgInvalidCurrency, func(in *booking.ServiceInput) { in.Currency = "forint" }},
			{"color", booking.MsgInvalidColor, func(in *booking.ServiceInput) { in.Color = "red;}" }},
		} {
			in := svc
			tc.edit(&in)
			_, err := st.CreateService(ctx, loc.ID, in)
			wantField(t, err, tc.field, tc.msg)
		}
		s, err := st.CreateService(ctx, loc.ID, svc)
		if err != nil || s.Currency != "HUF" || !s.Active {
			t.Fatalf("good service: %v %+v", err, s)
		}
		if err := st.SetServiceActive(ctx, s.ID, false); err != nil {
			t.Fatal(err)
		}
		if list, _ := st.Services(ctx, loc.ID, false); len(list) != 0 {
			t.Error("archived service listed as active")
		}
		if list, _ := st.Services(ctx, loc.ID, true); len(list) != 1 {
			t.Error("archived service missing from the full list")
		}
		tm, err := st.CreateTeamMember(ctx, loc.ID, booking.TeamMemberInput{Name: "Sofie", ServiceIDs: []int64{s.ID, s.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := st.TeamMember(ctx, tm.ID); len(got.ServiceIDs) != 1 || got.ServiceIDs[0] != s.ID {
			t.Errorf("member services %v", got.ServiceIDs)
		}
		_, err = st.CreateTeamMember(ctx, loc.ID, booking.TeamMemberInput{Name: "X", ServiceIDs: []int64{99999}})
		wantField(t, err, "service_ids", booking.MsgUnknownService)
	})
}

func TestLinkValidation(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		for _, tc := range []struct {
			name, field, msg string
			edit             func(*booking.Link)
		}{
			{"max events 0", "max_events", booking.MsgOutOfRange, func(l *booking.Link) { l.MaxEvents = 0 }},
			{"max events 11", "max_events", booking.MsgOutOfRange, func(l *booking.Link) { l.MaxEvents = 11 }},
			{"max seats 0", "max_seats", booking.MsgOutOfRange, func(l *booking.Link) { l.MaxSeats = 0 }},
			{"comment label 61", "comment_label", booking.MsgTooLong, func(l *booking.Link) { l.CommentLabel = strings.Repeat("é", 61) }},
			{"cutoff step", "cancel_cutoff_min", booking.MsgCutoffStep, func(l *booking.Link) { l.CancelCutoffMin = 20 }},
			{"cutoff over 48 h", "cancel_cutoff_min", booking.MsgOutOfRange, func(l *booking.Link) { l.CancelCutoffMin = 48*60 + 15 }},
			{"negative buffer", "buffer_min", booking.MsgOutOfRange, func(l *booking.Link) { l.BufferMin = -15 }},
			{"bad slug", "slug", booking.MsgInvalidSlug, func(l *booking.Link) { l.Slug = "no spaces" }},
			{"slug taken", "slug", booking.MsgSlugTaken, func(l *booking.Link) { l.Slug = "sunrise" }},
			{"bad origin", "allowed_origins", booking.MsgInvalidOrigin, func(l *booking.Link) { l.AllowedOrigins = "https://ok.example\njavascript:alert(1)" }},
			{"origin with path", "allowed_origins", booking.MsgInvalidOrigin, func(l *booking.Link) { l.AllowedOrigins = "https://a.example/page" }},
			{"origin injecting CSP", "allowed_origins", booking.MsgInvalidOrigin, func(l *booking.Link) { l.AllowedOrigins = "https://a.example;script-src *" }},
			{"bad lang", "default_lang", booking.MsgInvalidLanguage, func(l *booking.Link) { l.DefaultLang = "fr" }},
			{"bad colour", "accent_color", booking.MsgInvalidColor, func(l *booking.Link) { l.AccentColor = "blue" }},
			{"bad email mode", "email_mode", booking.MsgInvalidMode, func(l *booking.Link) { l.EmailMode = "maybe" }},
			{"foreign service", "service_ids", booking.MsgUnknownService, func(l *booking.Link) { l.ServiceIDs = []int64{4242} }},
			{"foreign member", "team_member_ids", booking.MsgUnknownMember, func(l *booking.Link) { l.TeamMemberIDs = []int64{4242} }},
		} {
			l := booking.Link{LocationID: f.Location.ID, Slug: "instagram", MaxEvents: 5, MaxSeats: 2, Enabled: true}
			tc.edit(&l)
			wantField(t, f.Store.SaveLink(ctx, &l), tc.field, tc.msg)
		}
		links, _ := f.Store.Links(ctx, f.Location.ID)
		if len(links) != 1 {
			t.Fatalf("invalid links were stored: %d links", len(links))
		}
		l := booking.Link{
			LocationID: f.Location.ID, Slug: " Instagram ", MaxEvents: 10, MaxSeats: 4, Enabled: true,
			CancelCutoffMin: 48 * 60, CommentLabel: strings.Repeat("é", 60),
			AllowedOrigins: " https://studio.example \n\nhttp://localhost:3000", ServiceIDs: []int64{f.Yoga.ID}, TeamMemberIDs: []int64{f.Sofie.ID},
		}
		if err := f.Store.SaveLink(ctx, &l); err != nil {
			t.Fatal(err)
		}
		got, err := f.Store.LinkBySlug(ctx, "instagram")
		if err != nil {
			t.Fatal(err)
		}
		if o := got.Origins(); len(o) != 2 || o[0] != "https://studio.example" {
			t.Errorf("origins %q", o)
		}
		if len(got.ServiceIDs) != 1 || len(got.TeamMemberIDs) != 1 || got.EmailMode != booking.FieldOptional {
			t.Errorf("link %+v", got)
		}
		if !got.Offers(f.Yoga.ID, f.Sofie.ID) || got.Offers(f.Pilates.ID, f.Marton.ID) {
			t.Error("Offers does not follow the link's choices")
		}
		got.ServiceIDs = nil
		got.MaxEvents = 3
		if err := f.Store.SaveLink(ctx, got); err != nil {
			t.Fatal(err)
		}
		again, _ := f.Store.Link(ctx, got.ID)
		if again.MaxEvents != 3 || len(again.ServiceIDs) != 0 || len(again.TeamMemberIDs) != 1 {
			t.Errorf("update: %+v", again)
		}
		if _, err := f.Store.LinkBySlug(ctx, "nope"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown slug: %v", err)
		}
	})
}

func TestUsersAndSettings(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := booking.NewStore(db)
		if _, err := st.CreateUser(ctx, "Owner@Example.com", "Owner", "short", booking.RoleOwner); err == nil {
			t.Error("short password accepted")
		}
		u, err := st.CreateUser(ctx, "Owner@Example.com", "Owner", "correct horse battery", booking.RoleOwner)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(u.PasswordHash, "horse") || !strings.HasPrefix(u.PasswordHash, "$2") {
			t.Errorf("password not bcrypt-hashed: %q", u.PasswordHash)
		}
		if cost, _ := bcrypt.Cost([]byte(u.PasswordHash)); cost != bcrypt.DefaultCost {
			t.Errorf("bcrypt cost %d, want the default %d", cost, bcrypt.DefaultCost)
		}
		_, err = st.CreateUser(ctx, "owner@example.com", "Again", "correct horse battery", booking.RoleStaff)
		wantField(t, err, "email", booking.MsgEmailTaken)
		if _, err := st.Authenticate(ctx, "OWNER@example.com", "correct horse battery"); err != nil {
			t.Errorf("good password: %v", err)
		}
		if _, err := st.Authenticate(ctx, "owner@example.com", "wrong horse battery"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("wrong password: %v", err)
		}
		if _, err := st.Authenticate(ctx, "nobody@example.com", "correct horse battery"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown email: %v", err)
		}
		calls := 0
		gen := func() (string, error) { calls++; return booking.RandomSecret() }
		a, err := st.SettingOrCreate(ctx, booking.SecretKey, gen)
		if err != nil {
			t.Fatal(err)
		}
		b, err := st.SettingOrCreate(ctx, booking.SecretKey, gen)
		if err != nil || a != b || len(a) != 64 {
			t.Errorf("secret not stable: %q %q %v", a, b, err)
		}
	})
}
