package handlers

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

// Issue 13: a link says whether clients may reschedule (off, to the same
// team member's dates, to any team member's) and until when (the
// cancellation cutoff, or its own). The form shows, saves and refuses each
// at its field.
func TestAdminLinksReschedule(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newAdminEnv(t, db)
		c := e.signIn(ownerEmail)
		edit := "/admin/links/" + idString(e.f.Link.ID) + "/edit"

		// As stored: the fixture's link has the default, same team member.
		p := c.get(edit)
		var modes []string
		p.doc.Find("#gb-reschedule_mode option").Each(func(_ int, o *goquery.Selection) {
			modes = append(modes, o.AttrOr("value", "")+"="+strings.TrimSpace(o.Text()))
		})
		want := []string{"off=No", "same_member=Yes, to a date with the same team member", "any_member=Yes, to a date with any team member"}
		if !reflect.DeepEqual(modes, want) {
			t.Errorf("modes %q", modes)
		}
		if got := p.doc.Find("#gb-reschedule_mode option[selected]").AttrOr("value", ""); got != "same_member" {
			t.Errorf("selected mode %q", got)
		}
		if p.doc.Find("#gb-reschedule_own_cutoff[checked]").Length() != 0 {
			t.Error("own cutoff ticked by default")
		}
		if got := p.text(`label[for="gb-reschedule_mode"]`); got != "Clients can reschedule online" {
			t.Errorf("label %q", got)
		}

		// Saved and shown back.
		for _, tc := range []struct {
			mode, own, value, unit string
			minutes                int
			shown, shownUnit       string
		}{
			{"any_member", "1", "30", "min", 30, "30", "min"},
			{"same_member", "1", "3", "h", 180, "3", "h"},
			{"off", "", "0", "min", 0, "0", "min"},
			{"same_member", "1", "2880", "min", 2880, "48", "h"},
		} {
			form := linkFormValues(e.f)
			form.Set("slug", e.f.Link.Slug)
			form.Set("reschedule_mode", tc.mode)
			form.Set("reschedule_cutoff", tc.value)
			form.Set("reschedule_cutoff_unit", tc.unit)
			form.Del("reschedule_own_cutoff")
			if tc.own != "" {
				form.Set("reschedule_own_cutoff", tc.own)
			}
			if r := c.post(edit, form); r.code != http.StatusSeeOther {
				t.Fatalf("save %+v: %d\n%s", tc, r.code, r.body)
			}
			l, err := e.f.Store.Link(ctx, e.f.Link.ID)
			if err != nil {
				t.Fatal(err)
			}
			if string(l.RescheduleMode) != tc.mode || l.RescheduleOwnCutoff != (tc.own != "") || l.RescheduleCutoffMin != tc.minutes {
				t.Errorf("%+v saved as %s %v %d", tc, l.RescheduleMode, l.RescheduleOwnCutoff, l.RescheduleCutoffMin)
			}
			p := c.get(edit)
			if got := p.doc.Find("#gb-reschedule_mode option[selected]").AttrOr("value", ""); got != tc.mode {
				t.Errorf("%+v: shown mode %q", tc, got)
			}
			if ticked := p.doc.Find("#gb-reschedule_own_cutoff[checked]").Length() == 1; ticked != (tc.own != "") {
				t.Errorf("%+v: own cutoff shown %v", tc, ticked)
			}
			value := p.doc.Find("#gb-reschedule_cutoff_min").AttrOr("value", "")
			unit := p.doc.Find("#gb-reschedule_cutoff_unit option[selected]").AttrOr("value", "")
			if value != tc.shown || unit != tc.shownUnit {
				t.Errorf("%+v: cutoff shown as %q %q", tc, value, unit)
			}
		}

		// A form without the rescheduling fields (a page opened before
		// they existed) keeps them.
		form := linkFormValues(e.f)
		form.Set("slug", e.f.Link.Slug)
		for _, name := range []string{"reschedule_mode", "reschedule_own_cutoff", "reschedule_cutoff", "reschedule_cutoff_unit"} {
			form.Del(name)
		}
		if r := c.post(edit, form); r.code != http.StatusSeeOther {
			t.Fatalf("save without the fields: %d\n%s", r.code, r.body)
		}
		if l, _ := e.f.Store.Link(ctx, e.f.Link.ID); l.RescheduleMode != booking.RescheduleSameMember || l.RescheduleCutoffMin != 2880 {
			t.Errorf("without the fields: %s %d", l.RescheduleMode, l.RescheduleCutoffMin)
		}

		// Bad values: 422, the message at the field, nothing written.
		for _, tc := range []struct{ field, mode, value, unit, msg string }{
			{"reschedule_mode", "sometimes", "30", "min", "Choose one of the options."},
			{"reschedule_cutoff_min", "any_member", "20", "min", "Use steps of 15 minutes."},
			{"reschedule_cutoff_min", "any_member", "49", "h", "At most 48 hours before the start."},
			{"reschedule_cutoff_min", "any_member", "abc", "min", "Enter a whole number of minutes or hours (0 or more)."},
			{"reschedule_cutoff_min", "any_member", "", "min", "Enter a whole number of minutes or hours (0 or more)."},
			{"reschedule_cutoff_min", "any_member", "-15", "min", "Enter a whole number of minutes or hours (0 or more)."},
			{"reschedule_cutoff_min", "any_member", "2", "days", "Enter a whole number of minutes or hours (0 or more)."},
		} {
			before, err := e.f.Store.Link(ctx, e.f.Link.ID)
			if err != nil {
				t.Fatal(err)
			}
			form := linkFormValues(e.f)
			form.Set("slug", e.f.Link.Slug)
			form.Set("reschedule_mode", tc.mode)
			form.Set("reschedule_own_cutoff", "1")
			form.Set("reschedule_cutoff", tc.value)
			form.Set("reschedule_cutoff_unit", tc.unit)
			r := c.post(edit, form)
			if r.code != http.StatusUnprocessableEntity {
				t.Errorf("%+v: %d, want 422", tc, r.code)
				continue
			}
			if got := r.text("#gb-" + tc.field + "-error"); got != tc.msg {
				t.Errorf("%+v: error %q", tc, got)
			}
			if in := r.doc.Find("#gb-" + tc.field); in.AttrOr("aria-invalid", "") != "true" {
				t.Errorf("%+v: the field is not marked invalid", tc)
			}
			if tc.field == "reschedule_cutoff_min" {
				if got := r.doc.Find("#gb-reschedule_cutoff_min").AttrOr("value", ""); got != tc.value {
					t.Errorf("%+v: shown back as %q", tc, got)
				}
				if r.doc.Find("#gb-reschedule_own_cutoff[checked]").Length() != 1 {
					t.Errorf("%+v: own cutoff not shown ticked", tc)
				}
			}
			after, err := e.f.Store.Link(ctx, e.f.Link.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("%+v: the link changed", tc)
			}
		}

		// A new link starts at "same team member", its own cutoff 2 hours
		// (unticked), and saves what is posted.
		nw := c.get("/admin/links/new")
		if got := nw.doc.Find("#gb-reschedule_mode option[selected]").AttrOr("value", ""); got != "same_member" {
			t.Errorf("new link mode %q", got)
		}
		if v, u := nw.doc.Find("#gb-reschedule_cutoff_min").AttrOr("value", ""), nw.doc.Find("#gb-reschedule_cutoff_unit option[selected]").AttrOr("value", ""); v != "2" || u != "h" {
			t.Errorf("new link cutoff %q %q", v, u)
		}
		form = linkFormValues(e.f)
		form.Set("reschedule_mode", "any_member")
		form.Set("reschedule_own_cutoff", "1")
		form.Set("reschedule_cutoff", "45")
		form.Set("reschedule_cutoff_unit", "min")
		if r := c.post("/admin/links/new", form); r.code != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", r.code, r.body)
		}
		created, err := e.f.Store.LinkBySlug(ctx, "insta-yoga")
		if err != nil {
			t.Fatal(err)
		}
		if created.RescheduleMode != booking.RescheduleAnyMember || !created.RescheduleOwnCutoff || created.RescheduleCutoffMin != 45 {
			t.Errorf("created %s %v %d", created.RescheduleMode, created.RescheduleOwnCutoff, created.RescheduleCutoffMin)
		}

		// Translated, the cutoff reads as one sentence in Russian.
		ru := c.get(edit + "?lang=ru")
		if got := ru.text(`label[for="gb-reschedule_cutoff_min"]`) + " … " + ru.text("#gb-reschedule_cutoff_min ~ span"); got != "Онлайн-перенос закрывается за … до начала" {
			t.Errorf("Russian cutoff words: %q", got)
		}
		if got := ru.text(`#gb-reschedule_mode option[value="off"]`); got != "Нет" {
			t.Errorf("Russian off: %q", got)
		}
	})
}
