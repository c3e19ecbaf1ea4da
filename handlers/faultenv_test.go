package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/locales"
	"groupbook/migrations"
)

// Limits of the fault tests: short, so a hung database costs each test a
// few seconds, and in the production ratio (statements get about half).
const (
	faultRequestTimeout   = 2 * time.Second
	faultStatementTimeout = 700 * time.Millisecond
)

// faultEnv is the admin env over a database the test can break: the
// server reaches PostgreSQL through a proxy the test controls, and SQLite
// with the short statement (busy) timeout. e.db and e.f use a connection
// of their own, past the proxy, to seed and to check what was committed.
type faultEnv struct {
	*adminEnv
	kind  string
	dsn   string   // the database, directly
	proxy *pgProxy // PostgreSQL only
}

func newFaultEnv(t *testing.T, kind string) *faultEnv {
	t.Helper()
	ctx := context.Background()
	dsn := booktest.URL(t, kind)
	direct, err := booking.OpenDB(dsn, booking.DBOptions{MaxOpenConns: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close() })
	if _, err := migrations.Up(ctx, direct); err != nil {
		t.Fatal(err)
	}
	f := booktest.Seed(t, direct)
	fe := &faultEnv{kind: kind, dsn: dsn}
	appURL := dsn
	if kind == booktest.Postgres {
		fe.proxy = newPGProxy(t, dsn)
		appURL = fe.proxy.url(dsn)
	}
	appDB, err := booking.OpenDB(appURL, booking.DBOptions{MaxOpenConns: 10, StatementTimeout: faultStatementTimeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { appDB.Close() })
	store := booking.NewStore(appDB)
	store.Now = func() time.Time { return f.Now }
	store.PasswordCost = bcrypt.MinCost
	we := newTestRouter(t, store, store.Now, func(d *Deps) { d.RequestTimeout = faultRequestTimeout })
	we.db, we.f = direct, f
	fe.adminEnv = &adminEnv{widgetEnv: we}
	if fe.owner, err = f.Store.CreateUser(ctx, ownerEmail, "Olga Owner", adminPassword, booking.RoleOwner); err != nil {
		t.Fatal(err)
	}
	return fe
}

// holdWriteLock makes the database stop answering the writes a booking
// makes, as another process holding a lock would: on PostgreSQL a
// transaction holds booking_groups (the first table a booking writes, and
// the table its outcome is looked up in), on SQLite a transaction holds
// the database's write lock. Reads of everything else go on.
func (e *faultEnv) holdWriteLock() (release func()) {
	e.t.Helper()
	ctx := context.Background()
	other, err := booking.OpenDB(e.dsn, booking.DBOptions{MaxOpenConns: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	tx, err := other.BeginTx(ctx, nil) // on SQLite BEGIN IMMEDIATE: the write lock at once
	if err != nil {
		e.t.Fatal(err)
	}
	if e.kind == booktest.Postgres {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE booking_groups IN ACCESS EXCLUSIVE MODE"); err != nil {
			e.t.Fatal(err)
		}
	}
	done := false
	release = func() {
		if !done {
			done = true
			tx.Rollback()
			other.Close()
		}
	}
	e.t.Cleanup(release)
	return release
}

// groups counts the committed booking groups.
func (e *faultEnv) groups() int {
	e.t.Helper()
	n, err := e.db.NewSelect().Table("booking_groups").Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return int(n)
}

// formValues reads a form of a page as a browser would submit it: every
// named input, textarea and selected option.
func formValues(p *page, sel string) (action string, vals url.Values) {
	form := p.doc.Find(sel).First()
	action, _ = form.Attr("action")
	vals = url.Values{}
	form.Find("input[name], textarea[name], select[name]").Each(func(_ int, s *goqSel) {
		name, _ := s.Attr("name")
		switch {
		case s.Is("textarea"):
			vals.Add(name, s.Text())
		case s.Is("select"):
			opt := s.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			vals.Add(name, opt.AttrOr("value", opt.Text()))
		case s.Is("[type=checkbox], [type=radio]"):
			if _, on := s.Attr("checked"); on {
				vals.Add(name, s.AttrOr("value", "on"))
			}
		case s.Is("[type=submit], [type=button], [type=file]"):
		default:
			vals.Add(name, s.AttrOr("value", ""))
		}
	})
	return action, vals
}

// managePath is where a successful booking lands: the manage page of
// the group with token.
func managePath(token string) string { return "/m/" + token }

func wantRedirectTo(t *testing.T, p *page, prefix string) {
	t.Helper()
	if p.code != http.StatusSeeOther || !strings.HasPrefix(p.hdr.Get("Location"), prefix) {
		t.Fatalf("answer %d to %q, want 303 to %s…\n%s", p.code, p.hdr.Get("Location"), prefix, p.body)
	}
}

// testLocalizer is the real messages in one language.
func testLocalizer(t *testing.T, lang string) *locales.Localizer {
	t.Helper()
	b, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b.Localizer(lang)
}

func testEnglish(t *testing.T) *locales.Localizer { return testLocalizer(t, "en") }
