package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// clientsWorld books a few clients: Anna (two Yoga classes through the
// widget's Instagram link, and a Pilates class at the desk), Béla, and a
// client of another studio with Anna's phone and name.
type clientsWorld struct {
	anna, bela, stranger booking.Client
	yoga                 []*booking.Event
	pilates              *booking.Event
}

func newClientsWorld(t *testing.T, e *adminEnv) *clientsWorld {
	t.Helper()
	ctx := context.Background()
	f := e.f
	w := &clientsWorld{yoga: f.YogaEvents(t, 2, 10)}
	w.pilates = f.Event(t, f.Pilates, f.Marton, w.yoga[1].StartsAt.Add(24*time.Hour), 8)
	reserve := func(locID int64, link *booking.Link, cl booking.ClientInput, visitor string, utm booking.UTM, seats int, evs ...*booking.Event) booking.Client {
		t.Helper()
		ids := make([]int64, len(evs))
		for i, ev := range evs {
			ids[i] = ev.ID
		}
		res, err := f.Store.Reserve(ctx, booking.ReserveRequest{
			LocationID: locID, Link: link, EventIDs: ids, Seats: seats, Client: cl, VisitorName: visitor, UTM: utm, Lang: "en",
		})
		if err != nil {
			t.Fatal(err)
		}
		return res.Client
	}
	anna := booking.ClientInput{Phone: "+36201234567", FirstName: "Anna", LastName: "Kovács", Email: "anna@example.com"}
	w.anna = reserve(f.Location.ID, f.Link, anna, "", booking.UTM{Source: "instagram", Medium: "social"}, 2, w.yoga...)
	reserve(f.Location.ID, nil, anna, "Lili", booking.UTM{}, 1, w.pilates)
	w.bela = reserve(f.Location.ID, nil, booking.ClientInput{Phone: "+36301112222", FirstName: "Béla", LastName: "Nagy"}, "", booking.UTM{}, 1, w.yoga[0])

	loc2, err := f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Other Studio", TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := f.Store.CreateService(ctx, loc2.ID, booking.ServiceInput{Name: "Yoga", DurationMin: 60, DefaultCapacity: 5, Currency: "HUF", Color: "#123456"})
	if err != nil {
		t.Fatal(err)
	}
	tm, err := f.Store.CreateTeamMember(ctx, loc2.ID, booking.TeamMemberInput{Name: "Other", ServiceIDs: []int64{svc.ID}})
	if err != nil {
		t.Fatal(err)
	}
	capacity := 5
	ev, err := f.Store.CreateEvent(ctx, loc2.ID, booking.EventInput{ServiceID: svc.ID, TeamMemberID: tm.ID, StartsAt: w.yoga[0].StartsAt, Capacity: &capacity})
	if err != nil {
		t.Fatal(err)
	}
	w.stranger = reserve(loc2.ID, nil, anna, "", booking.UTM{}, 1, ev)
	return w
}

// clientLinks are the client pages a result list links to.
func clientLinks(p *page) []string {
	var out []string
	p.doc.Find("#admin-clients-table tbody a").Each(func(_ int, s *goqSel) {
		out = append(out, s.AttrOr("href", ""))
	})
	return out
}

func TestAdminClientsSearch(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		w := newClientsWorld(t, e)
		c := e.signIn(staffEmail) // staff use the client list at the desk
		annaURL := "/admin/clients/" + idString(w.anna.ID)
		belaURL := "/admin/clients/" + idString(w.bela.ID)

		all := c.get("/admin/clients")
		if all.code != 200 || all.doc.Find(`input[type=search][name=q]#admin-clients-q`).Length() != 1 ||
			all.doc.Find(`label[for="admin-clients-q"]`).Length() != 1 {
			t.Fatalf("search page: %d\n%s", all.code, all.body)
		}
		form := all.doc.Find("form.ga-clients-search")
		if form.AttrOr("hx-trigger", "") != "input changed delay:300ms, submit" || form.AttrOr("hx-target", "") != "#admin-clients-results" ||
			form.AttrOr("method", "") != "get" || form.AttrOr("action", "") != "/admin/clients" {
			t.Error("search form is not search-as-you-type with a plain GET fallback")
		}
		if got := clientLinks(all); len(got) != 2 || !strings.Contains(all.text(".ga-clients-count"), "Newest") {
			t.Errorf("empty query lists %v", got)
		}

		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"06 20 123 4567", []string{annaURL}}, // national format, as typed at the desk
			{"+36 20 123 4567", []string{annaURL}},
			{"4567", []string{annaURL}},
			{"06 30", []string{belaURL}},
			{"kov", []string{annaURL}},
			{"BÉLA", []string{belaURL}},
			{"anna kovács", []string{annaURL}},
		} {
			p := c.get("/admin/clients?" + url.Values{"q": {tc.q}}.Encode())
			if got := clientLinks(p); p.code != 200 || strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("search %q: %d %v, want %v", tc.q, p.code, got, tc.want)
			}
			if tc.q == "06 20 123 4567" {
				row := p.text("#admin-clients-table tbody tr")
				for _, want := range []string{"Anna Kovács", "+36 20 123 4567", "anna@example.com"} {
					if !strings.Contains(row, want) {
						t.Errorf("row %q lacks %q", row, want)
					}
				}
				if got := p.doc.Find("#admin-clients-q").AttrOr("value", ""); got != tc.q {
					t.Errorf("query shown back as %q", got)
				}
			}
		}

		none := c.get("/admin/clients?q=zzz")
		if none.code != 200 || len(clientLinks(none)) != 0 || !strings.Contains(none.text(".ga-clients-empty"), "No clients match “zzz”") {
			t.Errorf("no results: %d %q", none.code, none.text("#admin-clients-results"))
		}

		// htmx: only the results block, for the search box's target.
		hx := c.get("/admin/clients?q=anna", "HX-Request", "true", "HX-Target", "div#admin-clients-results")
		if hx.code != 200 || strings.Contains(hx.body, "<html") || hx.doc.Find("h1, form").Length() != 0 ||
			len(clientLinks(hx)) != 1 || hx.hdr.Get("Vary") != "HX-Request" {
			t.Errorf("htmx fragment: %d\n%s", hx.code, hx.body)
		}
		// A history restore gets the whole page.
		if full := c.get("/admin/clients?q=anna", "HX-History-Restore-Request", "true"); !strings.Contains(full.body, "<html") {
			t.Error("history restore got a fragment")
		}
	})
}

func TestAdminClientsCap(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		evs := e.f.YogaEvents(t, 1, 60)
		for i := 1; i <= clientsLimit+1; i++ {
			cl := booktest.Client(i)
			if _, err := e.f.Store.Reserve(context.Background(), booking.ReserveRequest{
				LocationID: e.f.Location.ID, EventIDs: []int64{evs[0].ID}, Seats: 1, Client: cl, Lang: "en",
			}); err != nil {
				t.Fatal(err)
			}
		}
		p := e.signIn(staffEmail).get("/admin/clients?q=anna")
		if got := len(clientLinks(p)); got != clientsLimit || !strings.Contains(p.text(".ga-clients-count"), "first 50") {
			t.Errorf("%d rows, note %q", got, p.text(".ga-clients-count"))
		}
	})
}

func TestAdminClientPage(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		w := newClientsWorld(t, e)
		c := e.signIn(staffEmail)
		// The first Yoga class is over; the second and the Pilates are ahead.
		e.f.Now = w.yoga[0].StartsAt.Add(2 * time.Hour)

		p := c.get("/admin/clients/" + idString(w.anna.ID))
		if p.code != 200 || p.text("h1") != "Anna Kovács" {
			t.Fatalf("client page: %d %q", p.code, p.text("h1"))
		}
		if p.doc.Find(`a[href="tel:+36201234567"]`).Length() != 1 || !strings.Contains(p.text(".ga-clients-details"), "anna@example.com") {
			t.Error("phone or email missing")
		}
		rows := func(id string) []*goqSel {
			var out []*goqSel
			p.doc.Find("#" + id + " tbody tr").Each(func(_ int, s *goqSel) { out = append(out, s) })
			return out
		}
		cells := func(s *goqSel) []string {
			var out []string
			s.Find("td").Each(func(_ int, td *goqSel) { out = append(out, strings.Join(strings.Fields(td.Text()), " ")) })
			return out
		}
		up, past := rows("admin-clients-upcoming"), rows("admin-clients-past")
		if len(up) != 2 || len(past) != 1 {
			t.Fatalf("%d upcoming, %d past", len(up), len(past))
		}
		// Budapest is UTC+1 in March: the 18:00 UTC class is at 19:00.
		if got := cells(up[0]); strings.Join(got[1:], "|") != "19:00–20:00|Yoga|Sofie|2|Expected|Instagram|Unpaid" || got[0] != "Wed 4 Mar" {
			t.Errorf("next Yoga row: %q", got)
		}
		if got := cells(up[1]); strings.Join(got[1:], "|") != "19:00–19:50|Pilates Visitor: Lili|Márton|1|Expected|Staff|Unpaid" {
			t.Errorf("Pilates row: %q", got)
		}
		if got := cells(past[0]); got[0] != "Tue 3 Mar" || got[2] != "Yoga" {
			t.Errorf("past row: %q", got)
		}
		for i, r := range []*goqSel{up[0], up[1], past[0]} {
			want := []int64{w.yoga[1].ID, w.pilates.ID, w.yoga[0].ID}[i]
			if href := r.Find("td a").AttrOr("href", ""); href != "/admin/events/"+idString(want) {
				t.Errorf("row %d links to %q", i, href)
			}
		}

		// A cancelled booking stays in the list, marked.
		b, err := e.f.Store.EventBookings(context.Background(), w.pilates.ID)
		if err != nil || len(b) != 1 {
			t.Fatal(err)
		}
		if _, err := e.f.Store.CancelByAdmin(context.Background(), b[0].ID); err != nil {
			t.Fatal(err)
		}
		p = c.get("/admin/clients/" + idString(w.anna.ID))
		if row := p.doc.Find("#admin-clients-upcoming tbody tr").Eq(1); !row.HasClass("ga-muted") || !strings.Contains(row.Text(), "Cancelled") {
			t.Errorf("cancelled booking row: %q", row.Text())
		}

		// A client with nothing ahead says so.
		bela := c.get("/admin/clients/" + idString(w.bela.ID))
		if !strings.Contains(bela.text(".ga-clients-section"), "No upcoming bookings.") || bela.doc.Find("#admin-clients-past tbody tr").Length() != 1 {
			t.Errorf("Béla's page: %q", bela.text("main"))
		}

		// Another studio's client, or no client at all: not found.
		for _, path := range []string{"/admin/clients/" + idString(w.stranger.ID), "/admin/clients/999999", "/admin/clients/x"} {
			if r := c.get(path); r.code != http.StatusNotFound || !strings.Contains(r.text(".gb-alert--error"), "not found") {
				t.Errorf("%s: %d", path, r.code)
			}
		}
		if r := c.get("/admin/clients?q=06+20+123+4567"); strings.Contains(r.body, "/admin/clients/"+idString(w.stranger.ID)+`"`) {
			t.Error("another studio's client is listed")
		}
	})
}

func TestAdminClientsNeedSignIn(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		w := newClientsWorld(t, e)
		anon := &adminClient{e: e, ip: "192.0.2.3"}
		for _, path := range []string{"/admin/clients", "/admin/clients?q=anna", "/admin/clients/" + idString(w.anna.ID)} {
			r := anon.get(path)
			want := "/admin/login?" + url.Values{"next": {path}}.Encode()
			if r.code != http.StatusSeeOther || r.hdr.Get("Location") != want {
				t.Errorf("anonymous %s: %d %q", path, r.code, r.hdr.Get("Location"))
			}
		}
		if r := anon.get("/admin/clients?q=anna", "HX-Request", "true", "HX-Target", "div#admin-clients-results"); r.code != http.StatusUnauthorized || r.hdr.Get("HX-Redirect") == "" {
			t.Errorf("anonymous htmx search: %d", r.code)
		}
	})
}
