package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// TestAdminAccountPassword: staff change their own password on My
// account; a wrong current password, a short one or a mistyped repeat is
// refused at its field with nothing written; success keeps this session
// and ends the others.
func TestAdminAccountPassword(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c, other := e.signIn(staffEmail), e.signIn(staffEmail)
		p := c.get("/admin/account")
		settingsOK(t, p, "my account")
		if !strings.Contains(p.text("#ga-account-who"), staffEmail) || p.doc.Find(`form[action="/admin/account/password"]`).Length() != 1 {
			t.Fatalf("account page: %q", p.text("#ga-account-who"))
		}
		if got := p.doc.Find("#gb-current").AttrOr("autocomplete", ""); got != "current-password" {
			t.Errorf("current autocomplete %q", got)
		}
		if p.doc.Find(`.ga-user[href="/admin/account"]`).Length() != 1 {
			t.Error("the header does not link to My account")
		}
		const next = "a brand new password"
		for _, tc := range []struct{ current, password, repeat, field, msg string }{
			{"wrong password!", next, next, "current", booking.MsgWrongPassword},
			{adminPassword, "too short", "too short", "password", booking.MsgPasswordTooShort},
			{adminPassword, next, next + "x", "repeat", booking.MsgPasswordMismatch},
		} {
			r := c.post("/admin/account/password", url.Values{"current": {tc.current}, "password": {tc.password}, "repeat": {tc.repeat}})
			settingsRefused(t, r, tc.field, settingsMsg(t, tc.msg))
			if strings.Contains(r.body, tc.password) {
				t.Error("a password is sent back into the page")
			}
			if _, err := e.f.Store.Authenticate(ctx, staffEmail, adminPassword); err != nil {
				t.Fatalf("%s: the password changed: %v", tc.field, err)
			}
		}
		if r := other.get("/admin"); r.code != http.StatusOK {
			t.Fatalf("a refused change ended the other session: %d", r.code)
		}
		settingsDoneTo(t, c.post("/admin/account/password", url.Values{"current": {adminPassword}, "password": {next}, "repeat": {next}}), "/admin/account?done=password_changed")
		if r := c.get("/admin/account?done=password_changed"); r.code != http.StatusOK || r.text(".gb-alert--success") != settingsMsg(t, "admin_account_done_password") {
			t.Errorf("after change: %d %q", r.code, r.text(".gb-alert--success"))
		}
		if r := other.get("/admin"); r.code != http.StatusSeeOther {
			t.Errorf("the other session survived the change: %d", r.code)
		}
		if _, err := e.f.Store.Authenticate(ctx, staffEmail, next); err != nil {
			t.Errorf("new password: %v", err)
		}
		// Without the CSRF token nothing changes.
		c.csrf = "forged"
		if r := c.post("/admin/account/password", url.Values{"current": {next}, "password": {adminPassword}, "repeat": {adminPassword}}); r.code != http.StatusForbidden {
			t.Errorf("forged CSRF: %d", r.code)
		}
	})
}

// TestAdminUsersManageAccess: the per-user pages are the owner's.
func TestAdminUsersManageAccess(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		id := settingsID64(e.owner.ID)
		settingsAccess(t, e, [][2]string{
			{"GET", "/admin/users/" + id}, {"POST", "/admin/users/" + id + "/password"},
			{"POST", "/admin/users/" + id + "/role"}, {"POST", "/admin/users/" + id + "/active"},
		})
		// Staff's refused requests changed nothing.
		u, err := e.f.Store.User(context.Background(), e.owner.ID)
		if err != nil || u.Role != booking.RoleOwner || !u.Active {
			t.Errorf("owner after staff's refused requests: %+v %v", u, err)
		}
	})
}

// TestAdminUsersManage: an owner resets a staff password, deactivates
// (their open session stops on its next request, and sign-in is refused),
// reactivates and promotes them; the last owner's controls are refused.
func TestAdminUsersManage(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)
		staff := e.signIn(staffEmail)
		base := "/admin/users/" + settingsID64(e.staff.ID)

		list := c.get("/admin/users")
		if list.doc.Find(`a[href="`+base+`"]`).Length() != 1 {
			t.Fatal("the users list does not link to the staff user's page")
		}
		p := c.get(base)
		settingsOK(t, p, "manage staff")
		for _, sel := range []string{"#ga-user-password", "#ga-user-role", "#ga-user-active"} {
			if p.doc.Find(sel).Length() != 1 {
				t.Errorf("%s missing", sel)
			}
		}

		// A new password: refused ones write nothing.
		for _, tc := range []struct{ password, repeat, field, msg string }{
			{"too short", "too short", "password", booking.MsgPasswordTooShort},
			{"a new password!", "a new password?", "repeat", booking.MsgPasswordMismatch},
		} {
			settingsRefused(t, c.post(base+"/password", url.Values{"password": {tc.password}, "repeat": {tc.repeat}}), tc.field, settingsMsg(t, tc.msg))
		}
		if r := staff.get("/admin"); r.code != http.StatusOK {
			t.Fatalf("refused reset ended the session: %d", r.code)
		}
		settingsDoneTo(t, c.post(base+"/password", url.Values{"password": {"a new password!"}, "repeat": {"a new password!"}}), base+"?done=password_set")
		if r := staff.get("/admin"); r.code != http.StatusSeeOther {
			t.Errorf("staff session survived the reset: %d", r.code)
		}
		if _, err := e.f.Store.Authenticate(ctx, staffEmail, "a new password!"); err != nil {
			t.Fatalf("reset password: %v", err)
		}
		if err := e.f.Store.SetPassword(ctx, e.staff.ID, adminPassword); err != nil {
			t.Fatal(err)
		}

		// Deactivate: the open session stops on its next request.
		staff = e.signIn(staffEmail)
		if r := c.post(base+"/active", url.Values{"active": {"maybe"}}); r.code != http.StatusUnprocessableEntity || r.text("#gb-active-error") != settingsMsg(t, booking.MsgOutOfRange) {
			t.Errorf("active=maybe: %d %q", r.code, r.text("#gb-active-error"))
		}
		settingsDoneTo(t, c.post(base+"/active", url.Values{"active": {"0"}}), base+"?done=deactivated")
		if r := staff.get("/admin/schedule"); r.code != http.StatusSeeOther {
			t.Errorf("deactivated user's session: %d", r.code)
		}
		anon := &adminClient{e: e, ip: "192.0.2.41"}
		if r := anon.post("/admin/login", url.Values{"email": {staffEmail}, "password": {adminPassword}}); r.code == http.StatusSeeOther {
			t.Error("a deactivated user signed in")
		}
		p = c.get(base + "?done=deactivated")
		if p.text(".gb-alert--success") != settingsMsg(t, "admin_users_done_deactivated") || p.doc.Find(`#ga-user-active input[name=active][value="1"]`).Length() != 1 {
			t.Errorf("after deactivating: %q", p.text(".gb-alert--success"))
		}
		if !strings.Contains(c.get("/admin/users").text("#ga-users"), settingsMsg(t, "admin_users_inactive")) {
			t.Error("the list does not mark the user inactive")
		}
		settingsDoneTo(t, c.post(base+"/active", url.Values{"active": {"1"}}), base+"?done=activated")
		e.signIn(staffEmail)

		// Role: a bad one is refused at the field; staff becomes owner.
		if r := c.post(base+"/role", url.Values{"role": {"admin"}}); r.code != http.StatusUnprocessableEntity || r.text("#gb-role-error") != settingsMsg(t, booking.MsgOutOfRange) {
			t.Errorf("role=admin: %d %q", r.code, r.text("#gb-role-error"))
		}
		settingsDoneTo(t, c.post(base+"/role", url.Values{"role": {"owner"}}), base+"?done=role")
		if u, err := e.f.Store.User(ctx, e.staff.ID); err != nil || u.Role != booking.RoleOwner {
			t.Fatalf("promoted: %+v %v", u, err)
		}
		if r := e.signIn(staffEmail).get("/admin/users"); r.code != http.StatusOK {
			t.Errorf("promoted user on /admin/users: %d", r.code)
		}
		if err := e.f.Store.SetRole(ctx, e.staff.ID, booking.RoleStaff); err != nil {
			t.Fatal(err)
		}

		for _, bad := range []string{"/admin/users/999999", "/admin/users/x"} {
			if r := c.get(bad); r.code != http.StatusNotFound {
				t.Errorf("%s: %d", bad, r.code)
			}
			if r := c.post(bad+"/active", url.Values{"active": {"0"}}); r.code != http.StatusNotFound {
				t.Errorf("%s/active: %d", bad, r.code)
			}
		}
	})
}

// TestAdminUsersLastOwner: the only active owner's page offers no
// role or access controls, says why, and the POSTs are refused with the
// message at the field.
func TestAdminUsersLastOwner(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		c := e.signIn(ownerEmail)
		base := "/admin/users/" + settingsID64(e.owner.ID)
		p := c.get(base)
		settingsOK(t, p, "own page")
		want := settingsMsg(t, booking.MsgLastOwner)
		if p.text("#ga-user-last-owner-role") != want || p.text("#ga-user-last-owner-active") != want {
			t.Errorf("last owner notes %q / %q", p.text("#ga-user-last-owner-role"), p.text("#ga-user-last-owner-active"))
		}
		if p.doc.Find("#ga-user-role, #ga-user-active, #ga-user-password").Length() != 0 || p.doc.Find(`#ga-user-own-password a[href="/admin/account"]`).Length() != 1 {
			t.Error("the last owner's own page offers controls")
		}
		for _, tc := range []struct {
			path, field string
			form        url.Values
		}{
			{base + "/role", "role", url.Values{"role": {"staff"}}},
			{base + "/active", "active", url.Values{"active": {"0"}}},
		} {
			r := c.post(tc.path, tc.form)
			if r.code != http.StatusConflict || r.text("#gb-"+tc.field+"-error") != want {
				t.Errorf("%s: %d %q", tc.path, r.code, r.text("#gb-"+tc.field+"-error"))
			}
		}
		u, err := e.f.Store.User(context.Background(), e.owner.ID)
		if err != nil || u.Role != booking.RoleOwner || !u.Active {
			t.Errorf("last owner changed: %+v %v", u, err)
		}
		if r := c.get("/admin/users"); r.code != http.StatusOK {
			t.Errorf("owner lost the users page: %d", r.code)
		}
		// With a second owner, the first may step down and lands where
		// staff may go.
		if err := e.f.Store.SetRole(context.Background(), e.staff.ID, booking.RoleOwner); err != nil {
			t.Fatal(err)
		}
		r := c.post(base+"/role", url.Values{"role": {"staff"}})
		if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/admin" {
			t.Errorf("stepping down: %d to %q", r.code, r.hdr.Get("Location"))
		}
		if r := c.get("/admin/users"); r.code != http.StatusForbidden {
			t.Errorf("former owner on /admin/users: %d", r.code)
		}
		if _, err := e.f.Store.Authenticate(context.Background(), ownerEmail, adminPassword); errors.Is(err, booking.ErrNotFound) {
			t.Error("stepping down took the sign-in away")
		}
	})
}

// TestAdminAccountLanguages renders the new pages and refusals in every
// language.
func TestAdminAccountLanguages(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		c := e.signIn(ownerEmail)
		staffPage := "/admin/users/" + settingsID64(e.staff.ID)
		for _, lang := range booking.Languages {
			for _, path := range []string{"/admin/account?done=password_changed&lang=" + lang, staffPage + "?done=deactivated&lang=" + lang, "/admin/users/" + settingsID64(e.owner.ID) + "?lang=" + lang} {
				p := c.get(path)
				settingsOK(t, p, path)
				if strings.Contains(p.body, "admin_account_") || strings.Contains(p.body, "admin_users_") || strings.Contains(p.body, "error_last_owner") {
					t.Errorf("%s: an untranslated key", path)
				}
			}
			if h1 := c.get("/admin/account?lang=" + lang).text("h1"); lang != "en" && h1 == settingsMsg(t, "admin_account_title") {
				t.Errorf("%s: My account is in English", lang)
			}
			r := c.post("/admin/account/password?lang="+lang, url.Values{"current": {"x"}, "password": {"x"}, "repeat": {"x"}})
			if r.code != http.StatusUnprocessableEntity || r.doc.Find(".gb-error").Length() != 2 {
				t.Errorf("%s: %d, %d errors", lang, r.code, r.doc.Find(".gb-error").Length())
			}
		}
	})
}
