package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestAdminUsersAccess(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		settingsAccess(t, e, [][2]string{
			{"GET", "/admin/users"}, {"GET", "/admin/users/new"}, {"POST", "/admin/users/new"},
			{"POST", "/admin/users/" + settingsID64(e.owner.ID) + "/signout"},
		})
		// The staff user's refused sign-out request ended no session.
		live, err := e.f.Store.LiveSessions(context.Background())
		if err != nil || live[e.owner.ID] == 0 {
			t.Errorf("owner sessions after staff's refused sign-out: %v %v", live, err)
		}
	})
}

func TestAdminUsersListAndCreate(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)
		list := c.get("/admin/users")
		settingsOK(t, list, "users")
		rows := list.doc.Find("#ga-users tbody tr")
		if rows.Length() != 2 {
			t.Fatalf("%d user rows", rows.Length())
		}
		owner := strings.Join(strings.Fields(rows.Eq(0).Text()), " ")
		for _, want := range []string{ownerEmail, "Olga Owner", "Owner", "you", "on 1 device"} {
			if !strings.Contains(owner, want) {
				t.Errorf("owner row %q lacks %q", owner, want)
			}
		}
		staff := strings.Join(strings.Fields(rows.Eq(1).Text()), " ")
		for _, want := range []string{staffEmail, "Sam Staff", "Staff", "Not signed in"} {
			if !strings.Contains(staff, want) {
				t.Errorf("staff row %q lacks %q", staff, want)
			}
		}
		if rows.Eq(1).Find("form").Length() != 0 {
			t.Error("sign-out offered for a user with no session")
		}

		form := c.get("/admin/users/new")
		settingsOK(t, form, "new user")
		if form.doc.Find(`input[name=role][value=staff][checked]`).Length() != 1 {
			t.Error("staff is not the preselected role")
		}
		if got := form.doc.Find(`#gb-password`).AttrOr("autocomplete", ""); got != "new-password" {
			t.Errorf("password autocomplete %q", got)
		}

		n := settingsCount(t, db, (*booking.User)(nil))
		good := url.Values{"email": {"new@example.com"}, "name": {"Nina New"}, "role": {"staff"}, "password": {"ten chars!"}}
		for _, tc := range []struct{ field, value, msg string }{
			{"password", "nine char", booking.MsgPasswordTooShort},
			{"password", strings.Repeat("p", 73), booking.MsgTooLong},
			{"email", "STAFF@example.com", booking.MsgEmailTaken},
			{"email", "not-an-email", booking.MsgInvalidEmail},
			{"email", "", booking.MsgRequired},
			{"role", "admin", booking.MsgOutOfRange},
		} {
			f := url.Values{}
			for k, v := range good {
				f[k] = v
			}
			f.Set(tc.field, tc.value)
			r := c.post("/admin/users/new", f)
			settingsRefused(t, r, tc.field, settingsMsg(t, tc.msg))
			if got := r.doc.Find("#gb-password").AttrOr("value", ""); got != "" {
				t.Errorf("the password is sent back: %q", got)
			}
			if strings.Contains(r.body, good.Get("password")) {
				t.Error("the password appears in the page")
			}
			if got := settingsCount(t, db, (*booking.User)(nil)); got != n {
				t.Fatalf("%s %q: a user was written", tc.field, tc.value)
			}
		}
		if r := c.post("/admin/users/new", url.Values{"email": {"x@example.com"}, "role": {"owner"}, "password": {"short"}}); r.doc.Find(`input[name=role][value=owner][checked]`).Length() != 1 {
			t.Error("the chosen role is not kept on a refused form")
		}

		settingsDoneTo(t, c.post("/admin/users/new", good), "/admin/users?done=created")
		u, err := e.f.Store.Authenticate(ctx, "new@example.com", "ten chars!")
		if err != nil || u.Role != booking.RoleStaff || u.Name != "Nina New" {
			t.Fatalf("new user: %+v %v", u, err)
		}
		list = c.get("/admin/users?done=created")
		if !strings.Contains(list.text("#ga-users"), "new@example.com") || list.text(".gb-alert--success") != settingsMsg(t, "admin_settings_done_created") {
			t.Errorf("after create: %q / %q", list.text("#ga-users"), list.text(".gb-alert--success"))
		}
		// The new user can sign in, as staff.
		nc := &adminClient{e: e, ip: "192.0.2.40"}
		if r := nc.post("/admin/login", url.Values{"email": {"new@example.com"}, "password": {"ten chars!"}}); r.code != http.StatusSeeOther {
			t.Fatalf("new user sign-in: %d", r.code)
		}
		if r := nc.get("/admin/users"); r.code != http.StatusForbidden {
			t.Errorf("new staff user on /admin/users: %d", r.code)
		}
	})
}

func TestAdminUsersSignOutEverywhere(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		c := e.signIn(ownerEmail)
		phone, laptop := e.signIn(staffEmail), e.signIn(staffEmail)
		list := c.get("/admin/users")
		if !strings.Contains(list.text("#ga-users tbody tr:nth-child(2)"), "on 2 devices") {
			t.Errorf("staff row %q", list.text("#ga-users tbody tr:nth-child(2)"))
		}
		path := "/admin/users/" + settingsID64(e.staff.ID) + "/signout"
		if list.doc.Find(`form[action="`+path+`"]`).Length() != 1 {
			t.Fatal("no sign-out button for the staff user")
		}
		settingsDoneTo(t, c.post(path, url.Values{}), "/admin/users?done=signed_out")
		for _, s := range []*adminClient{phone, laptop} {
			if r := s.get("/admin"); r.code != http.StatusSeeOther {
				t.Errorf("staff session after sign-out everywhere: %d", r.code)
			}
		}
		after := c.get("/admin/users?done=signed_out")
		settingsOK(t, after, "users after sign-out")
		if after.text(".gb-alert--success") != settingsMsg(t, "admin_users_done_signed_out") {
			t.Errorf("alert %q", after.text(".gb-alert--success"))
		}
		// The staff user keeps access: they can sign in again.
		e.signIn(staffEmail)

		for _, bad := range []string{"/admin/users/999999/signout", "/admin/users/x/signout"} {
			if r := c.post(bad, url.Values{}); r.code != http.StatusNotFound {
				t.Errorf("%s: %d", bad, r.code)
			}
		}

		// Signing oneself out everywhere ends this session too, and keeps
		// the owner an owner.
		other := e.signIn(ownerEmail)
		r := c.post("/admin/users/"+settingsID64(e.owner.ID)+"/signout", url.Values{})
		if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/admin/login" || c.cookie != "" {
			t.Fatalf("own sign-out: %d to %q, cookie %q", r.code, r.hdr.Get("Location"), c.cookie)
		}
		if r := other.get("/admin"); r.code != http.StatusSeeOther {
			t.Errorf("owner's other session survived: %d", r.code)
		}
		again := e.signIn(ownerEmail)
		if r := again.get("/admin/users"); r.code != http.StatusOK {
			t.Errorf("owner after own sign-out everywhere: %d", r.code)
		}
	})
}

// TestAdminUsersLanguages renders the users pages in every language.
func TestAdminUsersLanguages(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		c := e.signIn(ownerEmail)
		e.signIn(staffEmail)
		e.signIn(staffEmail)
		for _, lang := range booking.Languages {
			for _, path := range []string{"/admin/users?done=signed_out&lang=" + lang, "/admin/users/new?lang=" + lang} {
				settingsOK(t, c.get(path), path)
			}
			r := c.post("/admin/users/new?lang="+lang, url.Values{"email": {"x"}, "role": {"x"}, "password": {"x"}})
			if r.code != http.StatusUnprocessableEntity || r.doc.Find(".gb-error").Length() != 3 {
				t.Errorf("%s: %d, %d errors", lang, r.code, r.doc.Find(".gb-error").Length())
			}
		}
	})
}
