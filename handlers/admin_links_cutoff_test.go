package handlers

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupbook/booking/booktest"
)

// Issue 8, item 19e: the cancel cutoff was a select of 193 options. It is a
// number and a unit (minutes or hours), shown in the larger unit when it is
// exact, and checked on the server: 15-minute steps, at most 48 hours, a
// clear message at the field, 422, nothing written.
func TestAdminLinksCutoffAmount(t *testing.T) {
	booktest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := newAdminEnv(t, db)
		c := e.signIn(ownerEmail)
		edit := "/admin/links/" + idString(e.f.Link.ID) + "/edit"

		// Saved minutes come back in the unit a person would use.
		for _, tc := range []struct {
			minutes     int
			value, unit string
		}{{90, "90", "min"}, {120, "2", "h"}, {0, "0", "min"}, {1455, "1455", "min"}, {2880, "48", "h"}, {45, "45", "min"}} {
			l := *e.f.Link
			l.CancelCutoffMin = tc.minutes
			if err := e.f.Store.SaveLink(ctx, &l); err != nil {
				t.Fatal(err)
			}
			p := c.get(edit)
			value := p.doc.Find("#gb-cancel_cutoff_min").AttrOr("value", "")
			unit := p.doc.Find("#gb-cancel_cutoff_unit option[selected]").AttrOr("value", "")
			if value != tc.value || unit != tc.unit {
				t.Errorf("%d min shown as %q %q, want %q %q", tc.minutes, value, unit, tc.value, tc.unit)
			}
		}
		// Either unit saves minutes.
		for _, tc := range []struct {
			value, unit string
			minutes     int
		}{{"2", "h", 120}, {"90", "min", 90}, {" 48 ", "h", 2880}, {"0", "h", 0}} {
			form := linkFormValues(e.f)
			form.Set("slug", e.f.Link.Slug)
			form.Set("cancel_cutoff", tc.value)
			form.Set("cancel_cutoff_unit", tc.unit)
			if r := c.post(edit, form); r.code != http.StatusSeeOther {
				t.Fatalf("save %q %s: %d\n%s", tc.value, tc.unit, r.code, r.body)
			}
			if l, _ := e.f.Store.Link(ctx, e.f.Link.ID); l.CancelCutoffMin != tc.minutes {
				t.Errorf("%q %s saved as %d min, want %d", tc.value, tc.unit, l.CancelCutoffMin, tc.minutes)
			}
		}

		steps := "Use steps of 15 minutes."
		tooLong := "At most 48 hours before the start."
		notNumber := "Enter a whole number of minutes or hours (0 or more)."
		for _, tc := range []struct{ value, unit, msg string }{
			{"20", "min", steps},
			{"2895", "min", tooLong},
			{"49", "h", tooLong},
			{"99999999999999999", "h", tooLong},
			{"abc", "min", notNumber},
			{"1.5", "h", notNumber},
			{"-15", "min", notNumber},
			{"", "min", notNumber},
			{"2", "days", notNumber},
		} {
			before, err := e.f.Store.Link(ctx, e.f.Link.ID)
			if err != nil {
				t.Fatal(err)
			}
			form := linkFormValues(e.f)
			form.Set("slug", e.f.Link.Slug)
			form.Set("cancel_cutoff", tc.value)
			form.Set("cancel_cutoff_unit", tc.unit)
			r := c.post(edit, form)
			if r.code != http.StatusUnprocessableEntity {
				t.Errorf("%q %s: %d, want 422", tc.value, tc.unit, r.code)
				continue
			}
			if got := r.text("#gb-cancel_cutoff_min-error"); got != tc.msg {
				t.Errorf("%q %s: error %q, want %q", tc.value, tc.unit, got, tc.msg)
			}
			in := r.doc.Find("#gb-cancel_cutoff_min")
			if in.AttrOr("aria-invalid", "") != "true" || !strings.Contains(in.AttrOr("aria-describedby", ""), "gb-cancel_cutoff_min-error") {
				t.Errorf("%q %s: the number is not marked invalid", tc.value, tc.unit)
			}
			if got := in.AttrOr("value", ""); got != tc.value {
				t.Errorf("%q %s: shown back as %q", tc.value, tc.unit, got)
			}
			after, err := e.f.Store.Link(ctx, e.f.Link.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("%q %s: the link changed", tc.value, tc.unit)
			}
		}

		// In Russian the words around the inputs read as one sentence.
		ru := c.get(edit + "?lang=ru")
		if got := ru.text(`label[for="gb-cancel_cutoff_min"]`) + " … " + ru.text("#gb-cancel_cutoff_min ~ span"); got != "Онлайн-отмена закрывается за … до начала" {
			t.Errorf("Russian cutoff words: %q", got)
		}
	})
}
