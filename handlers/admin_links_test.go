package handlers

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
	"groupbook/locales"
)

// linksEnText is an English message, as the admin (location default "en") shows it.
func linksEnText(t *testing.T, id string) string {
	t.Helper()
	b, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b.Localizer("en").T(id)
}

// linkFormValues is a complete, valid submission of the link form that differs
// from the fixture's "sunrise" link in every setting.
func linkFormValues(f *booktest.Fixture) url.Values {
	return url.Values{
		"slug": {"insta-yoga"}, "name": {"Instagram"}, "enabled": {"1"},
		"multi_event": {"1"}, "max_events": {"3"},
		"multi_seat": {"1"}, "max_seats": {"6"},
		"sms_confirm": {"1"}, "email_mode": {"required"}, "comment_mode": {"hidden"},
		"comment_label": {"Injuries?"}, "last_name_required": {"1"},
		"contact_message": {"Bring indoor shoes."},
		"buffer_min":      {"90"}, "cancel_allowed": {"1"}, "cancel_cutoff": {"1455"}, "cancel_cutoff_unit": {"min"},
		"payment_mode": {"pass"}, "default_lang": {"hu"}, "accent_color": {"#e76f51"},
		"reschedule_mode": {"any_member"}, "reschedule_own_cutoff": {"1"}, "reschedule_cutoff": {"30"}, "reschedule_cutoff_unit": {"min"},
		"allowed_origins": {"https://studio.example\r\nhttps://www.studio.example:8443"},
		"service_ids":     {idString(f.Yoga.ID)}, "team_member_ids": {idString(f.Sofie.ID)},
	}
}

func TestAdminLinksCreateAndEdit(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)

		list := c.get("/admin/links")
		if list.code != 200 || !strings.Contains(list.text("#admin-links-list"), "Website") ||
			list.doc.Find(`#admin-links-list a[href="http://booking.test/w/sunrise"]`).Length() != 1 {
			t.Fatalf("list: %d\n%s", list.code, list.body)
		}

		form := c.get("/admin/links/new")
		if form.code != 200 {
			t.Fatalf("new form: %d", form.code)
		}
		// Every setting has a labelled control, and the limits are explained.
		for _, name := range []string{"slug", "name", "enabled", "multi_event", "max_events", "multi_seat", "max_seats",
			"sms_confirm", "email_mode", "comment_mode", "comment_label", "last_name_required", "contact_message",
			"buffer_min", "cancel_allowed", "cancel_cutoff_min", "payment_mode", "default_lang", "accent_color", "allowed_origins"} {
			ctl := form.doc.Find(`#gb-` + name)
			if ctl.Length() != 1 || form.doc.Find(`label[for="gb-`+name+`"]`).Length() != 1 {
				t.Errorf("field %s: %d controls", name, ctl.Length())
			}
		}
		for name, want := range map[string]string{
			"max_events": "1 to 10", "max_seats": "1 to 50", "comment_label": "60 characters",
			"cancel_cutoff_min": "15-minute steps, at most 48 hours", "buffer_min": "7 days",
			"allowed_origins": "Empty: any website may embed", "sms_confirm": "a code sent to their phone by SMS", "payment_mode": "Book another date",
		} {
			if hint := form.text("#gb-" + name + "-hint"); !strings.Contains(hint, want) {
				t.Errorf("hint of %s = %q, want %q in it", name, hint, want)
			}
		}
		if form.doc.Find(`input[type=number]#gb-cancel_cutoff_min[name=cancel_cutoff]`).Length() != 1 ||
			form.doc.Find(`select[name=cancel_cutoff_unit] option`).Length() != 2 {
			t.Error("the cutoff is not a number with a unit")
		}
		if form.doc.Find(`input[type=color]#gb-accent_color`).Length() != 1 ||
			form.doc.Find(`input[type=checkbox][name=service_ids]`).Length() != 2 ||
			form.doc.Find(`input[type=checkbox][name=team_member_ids]`).Length() != 2 {
			t.Error("colour picker or service/team checkboxes missing")
		}
		if hint := form.text("#gb-slug-hint"); !strings.Contains(hint, "http://booking.test/w/ followed by this address") {
			t.Errorf("slug hint on a new link: %q", hint)
		}
		if form.doc.Find(`#admin-links-share, iframe`).Length() != 0 {
			t.Error("a link that is not saved yet has snippets")
		}

		r := c.post("/admin/links/new", linkFormValues(e.f))
		if r.code != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", r.code, r.body)
		}
		got, err := e.f.Store.LinkBySlug(ctx, "insta-yoga")
		if err != nil {
			t.Fatal(err)
		}
		if loc := r.hdr.Get("Location"); loc != "/admin/links/"+idString(got.ID)+"/edit?saved=new" {
			t.Errorf("create redirects to %q", loc)
		}
		want := booking.Link{
			ID: got.ID, LocationID: e.f.Location.ID, Slug: "insta-yoga", Name: "Instagram", Enabled: true,
			MultiEvent: true, MaxEvents: 3, MultiSeat: true, MaxSeats: 6, SMSConfirm: true,
			EmailMode: booking.FieldRequired, CommentMode: booking.FieldHidden, CommentLabel: "Injuries?",
			LastNameRequired: true, ContactMessage: "Bring indoor shoes.", BufferMin: 90,
			CancelAllowed: true, CancelCutoffMin: 1455, PaymentMode: booking.PayPassRequired, DefaultLang: "hu",
			RescheduleMode: booking.RescheduleAnyMember, RescheduleOwnCutoff: true, RescheduleCutoffMin: 30,
			AccentColor: "#e76f51", AllowedOrigins: "https://studio.example\nhttps://www.studio.example:8443",
			CreatedAt: got.CreatedAt, ServiceIDs: []int64{e.f.Yoga.ID}, TeamMemberIDs: []int64{e.f.Sofie.ID},
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("saved link\n got %+v\nwant %+v", *got, want)
		}

		// The edit page shows every saved value back.
		edit := c.get(r.hdr.Get("Location"))
		if edit.code != 200 || !strings.Contains(edit.text(".gb-alert--success"), "created") {
			t.Fatalf("edit page: %d %q", edit.code, edit.text(".gb-alert"))
		}
		val := func(sel string) string { return edit.doc.Find(sel).AttrOr("value", "") }
		for sel, want := range map[string]string{
			"#gb-slug": "insta-yoga", "#gb-max_events": "3", "#gb-max_seats": "6", "#gb-comment_label": "Injuries?",
			"#gb-accent_color": "#e76f51", "#gb-buffer_min option[selected]": "90", "#gb-cancel_cutoff_min": "1455", "#gb-cancel_cutoff_unit option[selected]": "min",
			"#gb-email_mode option[selected]": "required", "#gb-comment_mode option[selected]": "hidden", "#gb-default_lang option[selected]": "hu",
			"#gb-payment_mode option[selected]": "pass", "#gb-reschedule_mode option[selected]": "any_member",
			"#gb-reschedule_cutoff_min": "30", "#gb-reschedule_cutoff_unit option[selected]": "min",
		} {
			if got := val(sel); got != want {
				t.Errorf("%s = %q, want %q", sel, got, want)
			}
		}
		for _, name := range []string{"enabled", "multi_event", "multi_seat", "sms_confirm", "last_name_required", "cancel_allowed", "reschedule_own_cutoff"} {
			if _, on := edit.doc.Find("#gb-" + name).Attr("checked"); !on {
				t.Errorf("%s not ticked", name)
			}
		}
		if got := edit.text("#gb-allowed_origins"); got != "https://studio.example https://www.studio.example:8443" {
			t.Errorf("origins shown as %q", got)
		}
		if edit.doc.Find(`input[name=service_ids][value="`+idString(e.f.Yoga.ID)+`"][checked]`).Length() != 1 ||
			edit.doc.Find(`input[name=service_ids][value="`+idString(e.f.Pilates.ID)+`"][checked]`).Length() != 0 {
			t.Error("service choices not shown back")
		}

		// Edit: switch everything back off; unticked boxes and no choices
		// (all services and team members) are saved as such.
		f := url.Values{
			"slug": {"insta"}, "name": {"IG"}, "max_events": {"1"}, "max_seats": {"1"},
			"email_mode": {"optional"}, "comment_mode": {"required"}, "comment_label": {""},
			"contact_message": {""}, "buffer_min": {"0"}, "cancel_cutoff": {"0"}, "cancel_cutoff_unit": {"min"},
			"default_lang": {""}, "accent_color": {"#2a6df4"}, "allowed_origins": {""},
			"reschedule_mode": {"off"}, "reschedule_cutoff": {"0"}, "reschedule_cutoff_unit": {"min"},
		}
		r = c.post("/admin/links/"+idString(got.ID)+"/edit", f)
		if r.code != http.StatusSeeOther || r.hdr.Get("Location") != "/admin/links/"+idString(got.ID)+"/edit?saved=1" {
			t.Fatalf("update: %d %q\n%s", r.code, r.hdr.Get("Location"), r.body)
		}
		upd, err := e.f.Store.Link(ctx, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		want = booking.Link{
			ID: got.ID, LocationID: e.f.Location.ID, Slug: "insta", Name: "IG", MaxEvents: 1, MaxSeats: 1,
			EmailMode: booking.FieldOptional, CommentMode: booking.FieldRequired, AccentColor: "#2a6df4",
			PaymentMode: booking.PayAtStudio, RescheduleMode: booking.RescheduleOff, CreatedAt: got.CreatedAt,
		}
		if !reflect.DeepEqual(*upd, want) {
			t.Errorf("updated link\n got %+v\nwant %+v", *upd, want)
		}
		if saved := c.get("/admin/links/" + idString(got.ID) + "/edit?saved=1"); saved.text(".gb-alert--success") != "Saved." {
			t.Errorf("after saving: %q", saved.text(".gb-alert"))
		}
	})
}

func TestAdminLinksLimits(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)
		// A second location's service: its id must not be accepted here.
		loc2, err := e.f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Elsewhere", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := e.f.Store.CreateService(ctx, loc2.ID, booking.ServiceInput{Name: "Surf", DurationMin: 60, DefaultCapacity: 5, Currency: "EUR", Color: "#123456"})
		if err != nil {
			t.Fatal(err)
		}
		other := &booking.Link{LocationID: e.f.Location.ID, Slug: "other-link", Name: "Other", Enabled: true, MaxEvents: 1, MaxSeats: 1}
		if err := e.f.Store.SaveLink(ctx, other); err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name, field, value, msg string
		}{
			{"max events 0", "max_events", "0", booking.MsgOutOfRange},
			{"max events 11", "max_events", "11", booking.MsgOutOfRange},
			{"max events not a number", "max_events", "ten", booking.MsgOutOfRange},
			{"max seats 0", "max_seats", "0", booking.MsgOutOfRange},
			{"max seats 51", "max_seats", "51", booking.MsgOutOfRange},
			{"comment label 61", "comment_label", strings.Repeat("é", 61), booking.MsgTooLong},
			{"contact message 501", "contact_message", strings.Repeat("x", 501), booking.MsgTooLong},
			{"name 101", "name", strings.Repeat("n", 101), booking.MsgTooLong},
			{"buffer over a week", "buffer_min", "10081", booking.MsgOutOfRange},
			{"buffer negative", "buffer_min", "-15", booking.MsgOutOfRange},
			{"origin with a path", "allowed_origins", "https://studio.example/book", booking.MsgInvalidOrigin},
			{"origin not http", "allowed_origins", "https://ok.example\nftp://studio.example", booking.MsgInvalidOrigin},
			{"origin with quotes", "allowed_origins", "https://studio.example'; script-src *", booking.MsgInvalidOrigin},
			{"slug taken", "slug", "other-link", booking.MsgSlugTaken},
			{"bad slug", "slug", "Yoga Studio!", booking.MsgInvalidSlug},
			{"slug too short", "slug", "ab", booking.MsgInvalidSlug},
			{"email mode", "email_mode", "sometimes", booking.MsgInvalidMode},
			{"comment mode", "comment_mode", "always", booking.MsgInvalidMode},
			{"language", "default_lang", "de", booking.MsgInvalidLanguage},
			{"colour", "accent_color", "red", booking.MsgInvalidColor},
			{"foreign service", "service_ids", idString(foreign.ID), booking.MsgUnknownService},
			{"unknown team member", "team_member_ids", "999999", booking.MsgUnknownMember},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, err := e.f.Store.Link(ctx, e.f.Link.ID)
				if err != nil {
					t.Fatal(err)
				}
				links, _ := e.f.Store.Links(ctx, e.f.Location.ID)

				form := linkFormValues(e.f)
				form.Set(tc.field, tc.value)
				check := func(label string, r *page) {
					t.Helper()
					if r.code != http.StatusUnprocessableEntity {
						t.Fatalf("%s: %d, want 422", label, r.code)
					}
					if got, want := r.text("#gb-"+tc.field+"-error"), linksEnText(t, tc.msg); got != want {
						t.Errorf("%s: error at %s = %q, want %q", label, tc.field, got, want)
					}
					if r.doc.Find(`[aria-invalid="true"]`).Length() == 0 {
						t.Errorf("%s: no field marked invalid", label)
					}
					// What was typed is shown back for correction.
					if tc.field == "max_events" && r.doc.Find("#gb-max_events").AttrOr("value", "") != tc.value {
						t.Errorf("%s: typed value not shown back", label)
					}
				}
				check("edit", c.post("/admin/links/"+idString(e.f.Link.ID)+"/edit", form))
				check("create", c.post("/admin/links/new", form))

				after, err := e.f.Store.Link(ctx, e.f.Link.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(before, after) {
					t.Errorf("link changed by a refused edit:\n%+v\n%+v", before, after)
				}
				if now, _ := e.f.Store.Links(ctx, e.f.Location.ID); len(now) != len(links) {
					t.Errorf("a refused create wrote a link: %d, was %d", len(now), len(links))
				}
			})
		}
	})
}

// linkSnippet is the text of a read-only snippet field (textarea or input).
func linkSnippet(p *page, id string) string {
	s := p.doc.Find("#" + id)
	if goquery.NodeName(s) == "input" {
		return s.AttrOr("value", "")
	}
	return s.Text()
}

func TestAdminLinksSnippetsAndPreview(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		c := e.signIn(ownerEmail)
		// A studio name that needs escaping, twice: in the snippet's HTML
		// and in the admin page around it.
		_, err := e.f.Store.UpdateLocation(ctx, e.f.Location.ID, booking.LocationInput{
			Name: `Sunrise "Yoga" <Studio> & Co`, TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "en",
		})
		if err != nil {
			t.Fatal(err)
		}
		p := c.get("/admin/links/" + idString(e.f.Link.ID) + "/edit")
		if p.code != 200 {
			t.Fatalf("edit: %d", p.code)
		}
		for _, id := range []string{"admin-links-direct", "admin-links-iframe", "admin-links-inline", "admin-links-button",
			"admin-links-channel-instagram", "admin-links-channel-facebook", "admin-links-channel-google"} {
			field := p.doc.Find("#" + id)
			_, ro := field.Attr("readonly")
			if field.Length() != 1 || !ro || p.doc.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("%s: not one labelled read-only field", id)
			}
		}
		if got := linkSnippet(p, "admin-links-direct"); got != "http://booking.test/w/sunrise" {
			t.Errorf("direct link %q", got)
		}

		parse := func(id string) *goquery.Selection {
			t.Helper()
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(linkSnippet(p, id)))
			if err != nil {
				t.Fatal(err)
			}
			// A lone <script> is parsed into <head>, an iframe into <body>.
			return doc.Find("script, iframe")
		}
		fr := parse("admin-links-iframe")
		if goquery.NodeName(fr) != "iframe" || fr.AttrOr("src", "") != "http://booking.test/w/sunrise?embed=1" {
			t.Errorf("iframe snippet: %q", linkSnippet(p, "admin-links-iframe"))
		}
		if got := fr.AttrOr("title", ""); got != `Online booking: Sunrise "Yoga" <Studio> & Co` {
			t.Errorf("iframe title %q", got)
		}
		for id, mode := range map[string]string{"admin-links-inline": "", "admin-links-button": "button"} {
			s := parse(id)
			if goquery.NodeName(s) != "script" || s.AttrOr("src", "") != "http://booking.test/embed.js" ||
				s.AttrOr("data-groupbook", "") != "sunrise" || s.AttrOr("data-mode", "") != mode {
				t.Errorf("%s: %q", id, linkSnippet(p, id))
			}
		}
		if b := parse("admin-links-button"); b.AttrOr("data-label", "") != "Book now" || b.AttrOr("data-color", "") != "#2a6df4" {
			t.Errorf("button snippet: %q", linkSnippet(p, "admin-links-button"))
		}
		for key, want := range map[string][2]string{
			"instagram": {"instagram", "social"}, "facebook": {"facebook", "social"}, "google": {"google", "maps"},
		} {
			u, err := url.Parse(linkSnippet(p, "admin-links-channel-"+key))
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if u.Host != "booking.test" || u.Path != "/w/sunrise" || q.Get("utm_source") != want[0] || q.Get("utm_medium") != want[1] || q.Get("utm_campaign") != "sunrise" {
				t.Errorf("%s link %s", key, u)
			}
		}

		// The live preview frames the widget from this very origin.
		prev := p.doc.Find("iframe.ga-links-frame")
		src := prev.AttrOr("src", "")
		if prev.Length() != 1 || src != "/w/sunrise?embed=1" || prev.AttrOr("title", "") == "" {
			t.Fatalf("preview iframe: %d, src %q", prev.Length(), src)
		}
		if csp := p.hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "frame-src") || strings.Contains(csp, "child-src") {
			t.Errorf("admin CSP %q would block the same-origin preview", csp)
		}
		ancestors := func() string {
			w := e.get(src, "Sec-Fetch-Dest", "iframe")
			if w.code != 200 || w.doc.Find("body.gb-framed").Length() != 1 {
				t.Fatalf("preview target: %d", w.code)
			}
			if w.hdr.Get("X-Frame-Options") != "" {
				t.Error("the widget still sends X-Frame-Options")
			}
			_, fa, _ := strings.Cut(w.hdr.Get("Content-Security-Policy"), "frame-ancestors ")
			return fa
		}
		if fa := ancestors(); fa != "*" {
			t.Errorf("frame-ancestors %q with no origins set", fa)
		}
		// With origins set the widget still allows 'self', so the preview works.
		form := linkFormValues(e.f)
		form.Set("slug", "sunrise")
		if r := c.post("/admin/links/"+idString(e.f.Link.ID)+"/edit", form); r.code != http.StatusSeeOther {
			t.Fatalf("save origins: %d", r.code)
		}
		if fa := ancestors(); !strings.HasPrefix(fa, "'self' ") || !strings.Contains(fa, "https://studio.example") {
			t.Errorf("frame-ancestors %q with origins set", fa)
		}

		// A switched-off link says why its preview is empty.
		form.Del("enabled")
		c.post("/admin/links/"+idString(e.f.Link.ID)+"/edit", form)
		off := c.get("/admin/links/" + idString(e.f.Link.ID) + "/edit")
		if !strings.Contains(off.text("#admin-links-share"), "switched off") || !strings.Contains(off.text("#admin-links-preview"), "Page not found") {
			t.Errorf("disabled link: %q", off.text("#admin-links-preview"))
		}
	})
}

func TestAdminLinksAccess(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		e := newAdminEnv(t, db)
		ctx := context.Background()
		edit := "/admin/links/" + idString(e.f.Link.ID) + "/edit"

		anon := &adminClient{e: e, ip: "192.0.2.2"}
		for _, path := range []string{"/admin/links", "/admin/links/new", edit} {
			if r := anon.get(path); r.code != http.StatusSeeOther || !strings.HasPrefix(r.hdr.Get("Location"), "/admin/login?next=") {
				t.Errorf("anonymous %s: %d %q", path, r.code, r.hdr.Get("Location"))
			}
		}

		staff := e.signIn(staffEmail)
		for _, path := range []string{"/admin/links", "/admin/links/new", edit} {
			if r := staff.get(path); r.code != http.StatusForbidden {
				t.Errorf("staff GET %s: %d", path, r.code)
			}
		}
		before, _ := e.f.Store.Link(ctx, e.f.Link.ID)
		for _, path := range []string{"/admin/links/new", edit} {
			if r := staff.post(path, linkFormValues(e.f)); r.code != http.StatusForbidden {
				t.Errorf("staff POST %s: %d", path, r.code)
			}
		}
		after, _ := e.f.Store.Link(ctx, e.f.Link.ID)
		if links, _ := e.f.Store.Links(ctx, e.f.Location.ID); len(links) != 1 || !reflect.DeepEqual(before, after) {
			t.Error("staff changed links")
		}
		if home := staff.get("/admin"); home.doc.Find(`a[href="/admin/links"]`).Length() != 0 {
			t.Error("staff see the widget links entry")
		}

		// Another location's link is not found, and a POST cannot change it.
		owner := e.signIn(ownerEmail)
		loc2, err := e.f.Store.CreateLocation(ctx, booking.LocationInput{Name: "Elsewhere", TimeZone: "Europe/Lisbon", Country: "PT", DefaultLang: "pt"})
		if err != nil {
			t.Fatal(err)
		}
		theirs := &booking.Link{LocationID: loc2.ID, Slug: "elsewhere", Enabled: true, MaxEvents: 1, MaxSeats: 1}
		if err := e.f.Store.SaveLink(ctx, theirs); err != nil {
			t.Fatal(err)
		}
		path := "/admin/links/" + idString(theirs.ID) + "/edit"
		if r := owner.get(path); r.code != http.StatusNotFound || !strings.Contains(r.text(".gb-alert--error"), "not found") {
			t.Errorf("other location's link: %d", r.code)
		}
		form := linkFormValues(e.f)
		form.Set("slug", "hijacked")
		if r := owner.post(path, form); r.code != http.StatusNotFound {
			t.Errorf("POST to other location's link: %d", r.code)
		}
		if got, _ := e.f.Store.Link(ctx, theirs.ID); got.Slug != "elsewhere" || got.LocationID != loc2.ID {
			t.Errorf("other location's link changed: %+v", got)
		}
		for _, bad := range []string{"/admin/links/abc/edit", "/admin/links/999999/edit"} {
			if r := owner.get(bad); r.code != http.StatusNotFound {
				t.Errorf("%s: %d", bad, r.code)
			}
		}
	})
}
