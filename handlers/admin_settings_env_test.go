package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/locales"
)

// settingsMsg is the English text of a message, for finding it on a page.
func settingsMsg(t *testing.T, id string, data ...map[string]any) string {
	t.Helper()
	b, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b.Localizer("en").T(id, data...)
}

// settingsFreshEnv is an install right after "admin create": an owner and
// a staff user, and no location yet.
func settingsFreshEnv(t *testing.T, db *bun.DB) *adminEnv {
	t.Helper()
	st := booking.NewStore(db)
	w := newTestRouter(t, st, time.Now)
	w.db, w.f = db, &booktest.Fixture{Store: st}
	e := &adminEnv{widgetEnv: w}
	var err error
	ctx := context.Background()
	if e.owner, err = st.CreateUser(ctx, ownerEmail, "Olga Owner", adminPassword, booking.RoleOwner); err != nil {
		t.Fatal(err)
	}
	if e.staff, err = st.CreateUser(ctx, staffEmail, "Sam Staff", adminPassword, booking.RoleStaff); err != nil {
		t.Fatal(err)
	}
	return e
}

// settingsCount counts the rows of a model's table.
func settingsCount(t *testing.T, db *bun.DB, model any) int {
	t.Helper()
	n, err := db.NewSelect().Model(model).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// settingsOK fails unless a page rendered with 200, with no inline style
// (the CSP would block it) and with every input labelled.
func settingsOK(t *testing.T, p *page, what string) {
	t.Helper()
	if p.code != http.StatusOK {
		t.Fatalf("%s: %d\n%s", what, p.code, p.body)
	}
	settingsClean(t, p, what)
}

func settingsClean(t *testing.T, p *page, what string) {
	t.Helper()
	if n := p.doc.Find("[style]").Length(); n > 0 {
		t.Errorf("%s: %d elements with a style attribute", what, n)
	}
	p.doc.Find("input:not([type=hidden]), select, textarea").Each(func(_ int, s *goqSel) {
		id, _ := s.Attr("id")
		if s.Closest("label").Length() == 0 && (id == "" || p.doc.Find(`label[for="`+id+`"]`).Length() == 0) {
			name, _ := s.Attr("name")
			t.Errorf("%s: input %q has no label", what, name)
		}
	})
}

// settingsRefused fails unless a form came back with 422, the message at
// the field, and the form re-rendered.
func settingsRefused(t *testing.T, p *page, field, msg string) {
	t.Helper()
	if p.code != http.StatusUnprocessableEntity {
		t.Fatalf("%s: status %d, want 422\n%s", field, p.code, p.body)
	}
	if got := p.text("#gb-" + field + "-error"); got != msg {
		t.Errorf("error at %s = %q, want %q", field, got, msg)
	}
	if p.doc.Find("form[method=post]").Length() == 0 {
		t.Errorf("%s: the form is not re-rendered", field)
	}
	settingsClean(t, p, field)
}

func settingsDoneTo(t *testing.T, p *page, path string) {
	t.Helper()
	if p.code != http.StatusSeeOther || !strings.HasPrefix(p.hdr.Get("Location"), path) {
		t.Fatalf("want 303 to %s, got %d to %q\n%s", path, p.code, p.hdr.Get("Location"), p.body)
	}
}

func settingsID64(id int64) string { return strconv.FormatInt(id, 10) }

// settingsAccess checks who may use each route: the owner (GETs render),
// staff get 403, and a visitor without a session is sent to sign in.
func settingsAccess(t *testing.T, e *adminEnv, routes [][2]string) {
	t.Helper()
	owner, staff := e.signIn(ownerEmail), e.signIn(staffEmail)
	anon := &adminClient{e: e, ip: "192.0.2.99"}
	for _, r := range routes {
		method, path := r[0], r[1]
		var sp, ap *page
		if method == http.MethodGet {
			sp, ap = staff.get(path), anon.get(path)
			if op := owner.get(path); op.code != http.StatusOK {
				t.Errorf("owner GET %s: %d", path, op.code)
			}
		} else {
			sp, ap = staff.post(path, url.Values{}), anon.post(path, url.Values{})
		}
		if sp.code != http.StatusForbidden {
			t.Errorf("staff %s %s: %d, want 403", method, path, sp.code)
		}
		if ap.code != http.StatusSeeOther || !strings.HasPrefix(ap.hdr.Get("Location"), "/admin/login") {
			t.Errorf("anonymous %s %s: %d to %q, want 303 to /admin/login", method, path, ap.code, ap.hdr.Get("Location"))
		}
	}
}
