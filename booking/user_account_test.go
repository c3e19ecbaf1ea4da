package booking_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

const accountPassword = "long enough password"

func accountUser(t *testing.T, s *booking.Store, email string, role booking.Role) *booking.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), email, "N", accountPassword, role)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// fieldMsg returns the message of one field of a FieldErrors.
func fieldMsg(err error, field string) string {
	var fe booking.FieldErrors
	if errors.As(err, &fe) {
		return fe[field]
	}
	return ""
}

func TestChangePassword(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		u := accountUser(t, f.Store, "a@example.com", booking.RoleStaff)
		here, sess, err := f.Store.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := f.Store.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ current, next, field, msg string }{
			{"wrong password!", "brand new password", "current", booking.MsgWrongPassword},
			{accountPassword, "short", "password", booking.MsgPasswordTooShort},
			{accountPassword, strings.Repeat("x", 73), "password", booking.MsgTooLong},
		} {
			err := f.Store.ChangePassword(ctx, u.ID, sess.ID, tc.current, tc.next)
			if got := fieldMsg(err, tc.field); got != tc.msg {
				t.Errorf("%q→%q: %s=%q (%v)", tc.current, tc.next, tc.field, got, err)
			}
		}
		// Nothing was written by the refused changes.
		if _, err := f.Store.Authenticate(ctx, u.Email, accountPassword); err != nil {
			t.Fatalf("old password after refused changes: %v", err)
		}
		if _, _, err := f.Store.SessionUser(ctx, other); err != nil {
			t.Fatalf("other session ended by a refused change: %v", err)
		}
		if err := f.Store.ChangePassword(ctx, u.ID, sess.ID, accountPassword, "brand new password"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Authenticate(ctx, u.Email, accountPassword); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("old password still signs in: %v", err)
		}
		if _, err := f.Store.Authenticate(ctx, u.Email, "brand new password"); err != nil {
			t.Errorf("new password: %v", err)
		}
		if _, _, err := f.Store.SessionUser(ctx, here); err != nil {
			t.Errorf("the changing session ended: %v", err)
		}
		if _, _, err := f.Store.SessionUser(ctx, other); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("the other session survived: %v", err)
		}
	})
}

func TestSetPassword(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		u := accountUser(t, f.Store, "a@example.com", booking.RoleStaff)
		tok, _, err := f.Store.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := fieldMsg(f.Store.SetPassword(ctx, u.ID, "short"), "password"); got != booking.MsgPasswordTooShort {
			t.Errorf("short password: %q", got)
		}
		if err := f.Store.SetPassword(ctx, 999999, "brand new password"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
		if err := f.Store.SetPassword(ctx, u.ID, "brand new password"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.Store.SessionUser(ctx, tok); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("session survived a reset: %v", err)
		}
		if _, err := f.Store.Authenticate(ctx, u.Email, "brand new password"); err != nil {
			t.Errorf("new password: %v", err)
		}
	})
}

func TestSetActive(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		u := accountUser(t, f.Store, "a@example.com", booking.RoleStaff)
		if !u.Active {
			t.Error("a new user is inactive")
		}
		tok, _, err := f.Store.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Store.SetActive(ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.Store.SessionUser(ctx, tok); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("session of an inactive user: %v", err)
		}
		if _, err := f.Store.Authenticate(ctx, u.Email, accountPassword); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("inactive user signs in: %v", err)
		}
		// A session that slipped in (created after the deactivation) is
		// refused at lookup too.
		late, _, err := f.Store.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.Store.SessionUser(ctx, late); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("late session of an inactive user: %v", err)
		}
		if err := f.Store.SetActive(ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Store.Authenticate(ctx, u.Email, accountPassword); err != nil {
			t.Errorf("reactivated user: %v", err)
		}
		if err := f.Store.SetActive(ctx, 999999, false); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
	})
}

func TestLastOwner(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		a := accountUser(t, f.Store, "a@example.com", booking.RoleOwner)
		b := accountUser(t, f.Store, "b@example.com", booking.RoleOwner)
		// Two owners: one may go.
		if err := f.Store.SetActive(ctx, b.ID, false); err != nil {
			t.Fatal(err)
		}
		list, _ := f.Store.Users(ctx)
		if !booking.IsLastOwner(list, a.ID) || booking.IsLastOwner(list, b.ID) {
			t.Error("IsLastOwner")
		}
		if err := f.Store.SetActive(ctx, a.ID, false); !errors.Is(err, booking.ErrLastOwner) {
			t.Errorf("deactivating the last owner: %v", err)
		}
		if err := f.Store.SetRole(ctx, a.ID, booking.RoleStaff); !errors.Is(err, booking.ErrLastOwner) {
			t.Errorf("demoting the last owner: %v", err)
		}
		// An inactive owner does not count, and demoting it is allowed.
		if err := f.Store.SetRole(ctx, b.ID, booking.RoleStaff); err != nil {
			t.Errorf("demoting an inactive owner: %v", err)
		}
		if err := f.Store.SetRole(ctx, a.ID, booking.RoleOwner); err != nil {
			t.Errorf("owner to owner: %v", err)
		}
		if got := fieldMsg(f.Store.SetRole(ctx, a.ID, "admin"), "role"); got != booking.MsgOutOfRange {
			t.Errorf("unknown role: %q", got)
		}
		if u, err := f.Store.User(ctx, a.ID); err != nil || u.Role != booking.RoleOwner || !u.Active {
			t.Errorf("last owner changed: %+v %v", u, err)
		}
		// A staff user becomes an owner; then a may step down.
		s := accountUser(t, f.Store, "s@example.com", booking.RoleStaff)
		if err := f.Store.SetRole(ctx, s.ID, booking.RoleOwner); err != nil {
			t.Fatal(err)
		}
		if err := f.Store.SetRole(ctx, a.ID, booking.RoleStaff); err != nil {
			t.Errorf("demoting one of two owners: %v", err)
		}
	})
}

// TestStaffNoticesSkipInactive: a deactivated user gets no staff e-mails.
func TestStaffNoticesSkipInactive(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		f := booktest.Seed(t, db)
		staffUser(t, f, "olga@sunrise.example")
		gone := accountUser(t, f.Store, "sam@sunrise.example", booking.RoleStaff)
		if err := f.Store.SetActive(ctx, gone.ID, false); err != nil {
			t.Fatal(err)
		}
		waitSettings(t, f, false, true)
		evs := f.YogaEvents(t, 1, 10)
		if _, err := f.Store.Reserve(ctx, req(f, 1, 1, evs[0])); err != nil {
			t.Fatal(err)
		}
		rows, _ := staffRows(t, db, booking.MsgStaffBooked)
		if len(rows) != 1 || rows[0].Email != "olga@sunrise.example" {
			t.Fatalf("staff rows %+v", rows)
		}
	})
}
