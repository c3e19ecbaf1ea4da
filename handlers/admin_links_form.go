package handlers

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
	"groupbook/widget"
)

// linkFormPage is the create/edit form of one widget link. Embed is nil on
// the new page: snippets need a saved slug.
type linkFormPage struct {
	Link     *booking.Link
	New      bool
	Action   string
	SlugURL  string            // the public address shown in the slug's hint
	Raw      map[string]string // number inputs as typed, shown back on a 422
	Accent   string            // the colour input's value (it cannot be empty)
	Services []linkChoice
	Members  []linkChoice
	Email    []linkOption
	Comment  []linkOption
	Buffers  []linkOption
	Cutoff   linkAmount
	// Reschedules are the "clients may reschedule" choices; RescheduleCutoff
	// is the link's own rescheduling cutoff, an amount like Cutoff.
	Reschedules      []linkOption
	RescheduleCutoff linkAmount
	Langs            []linkOption
	Payments         []linkOption
	// OnlineOff: Stripe is not configured, so the online modes cannot be
	// saved; the hint says what to set.
	OnlineOff bool
	Limits    linkLimits
	Embed     *linkEmbed
}

// linkLimits are the core's limits, stated in the hints and set on the
// inputs, so the form explains exactly what the core will accept.
type linkLimits struct {
	Name, MaxEvents, MaxSeats, CommentLabel, ContactMessage, Step int
	CutoffMinutes                                                 int
	Buffer, Cutoff                                                string // the longest, in words
}

// linkAmount is a number input with its unit select (minutes or hours).
type linkAmount struct {
	Value string
	Units []linkOption
}

// Units of a linkAmount, as the form posts them.
const (
	linkUnitMinutes = "min"
	linkUnitHours   = "h"
)

type linkOption struct {
	Value, Label string
	Selected     bool
}

type linkChoice struct {
	ID      int64
	Name    string
	Checked bool
}

// linkDefaultAccent is the widget's own accent (widget.css --gb-accent), shown
// when a link sets none.
const linkDefaultAccent = "#2a6df4"

// linkBufferChoices are the buffer times offered, in minutes: enough to cover a
// studio's real habits without a free-form number to get wrong.
var linkBufferChoices = []int{0, 15, 30, 45, 60, 90, 120, 180, 240, 360, 720, 1440, 2880, 4320, 10080}

// newLinkDefaults is what a new link starts as: the common case of a studio's
// website, with the limits visitors of a group class usually need.
func newLinkDefaults(locationID int64) *booking.Link {
	return &booking.Link{
		LocationID: locationID, Enabled: true,
		MultiEvent: true, MaxEvents: 5, MultiSeat: true, MaxSeats: 4,
		EmailMode: booking.FieldOptional, CommentMode: booking.FieldOptional,
		BufferMin: 60, CancelAllowed: true, CancelCutoffMin: 120,
		// Rescheduling follows the cancellation cutoff until the admin
		// ticks "own cutoff"; 2 hours is then a value to start from.
		RescheduleMode: booking.RescheduleSameMember, RescheduleCutoffMin: 120,
		AccentColor: linkDefaultAccent,
	}
}

// readLinkForm copies the posted settings onto l. Numbers that do not parse
// become -1, which every limit refuses, so the core reports them at their
// field; ids that do not parse become 0, an unknown id.
func readLinkForm(c *gin.Context, l *booking.Link) map[string]string {
	checked := func(name string) bool { return c.PostForm(name) != "" }
	raw := map[string]string{"max_events": c.PostForm("max_events"), "max_seats": c.PostForm("max_seats")}
	l.Slug, l.Name = c.PostForm("slug"), c.PostForm("name")
	l.Enabled = checked("enabled")
	l.MultiEvent, l.MaxEvents = checked("multi_event"), linkFormInt(raw["max_events"])
	l.MultiSeat, l.MaxSeats = checked("multi_seat"), linkFormInt(raw["max_seats"])
	l.SMSConfirm = checked("sms_confirm")
	l.Waitlist = checked("waitlist")
	l.EmailMode = booking.FieldMode(c.PostForm("email_mode"))
	l.CommentMode = booking.FieldMode(c.PostForm("comment_mode"))
	l.CommentLabel = c.PostForm("comment_label")
	l.LastNameRequired = checked("last_name_required")
	l.ContactMessage = c.PostForm("contact_message")
	l.BufferMin = linkFormInt(c.PostForm("buffer_min"))
	raw["cancel_cutoff"], raw["cancel_cutoff_unit"] = c.PostForm("cancel_cutoff"), c.PostForm("cancel_cutoff_unit")
	l.CancelAllowed = checked("cancel_allowed")
	l.CancelCutoffMin = -1 // refused by the core; saveLink says why
	if m, ok := linkAmountMinutes(raw["cancel_cutoff"], raw["cancel_cutoff_unit"]); ok {
		l.CancelCutoffMin = m
	}
	// The rescheduling settings came after the rest: a form posted without
	// them (an older page still open) keeps what l holds (the stored link,
	// or the core's default "same team member" for a new one); a value
	// posted is checked like any other.
	if mode, ok := c.GetPostForm("reschedule_mode"); ok {
		l.RescheduleMode = booking.RescheduleMode(mode)
	}
	l.RescheduleOwnCutoff = checked("reschedule_own_cutoff")
	if value, ok := c.GetPostForm("reschedule_cutoff"); ok {
		raw["reschedule_cutoff"], raw["reschedule_cutoff_unit"] = value, c.PostForm("reschedule_cutoff_unit")
		l.RescheduleCutoffMin = -1 // refused by the core, as the cancellation cutoff
		if m, ok := linkAmountMinutes(raw["reschedule_cutoff"], raw["reschedule_cutoff_unit"]); ok {
			l.RescheduleCutoffMin = m
		}
	}
	// Empty (a form posted without the select) is "at the studio" in the
	// core; anything unknown is refused there at the field.
	l.PaymentMode = booking.PaymentMode(c.PostForm("payment_mode"))
	l.DefaultLang = c.PostForm("default_lang")
	l.AccentColor = c.PostForm("accent_color")
	l.AllowedOrigins = c.PostForm("allowed_origins")
	l.ServiceIDs = linkFormIDs(c.PostFormArray("service_ids"))
	l.TeamMemberIDs = linkFormIDs(c.PostFormArray("team_member_ids"))
	return raw
}

func linkFormInt(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}

// linkAmountMinutes reads a number and its unit as minutes; false for
// anything but a whole number of 0 or more in a known unit. The core checks
// the steps and the longest cutoff.
func linkAmountMinutes(value, unit string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil || n < 0 {
		return 0, false
	}
	switch unit {
	case linkUnitMinutes:
		return n, true
	case linkUnitHours:
		// Any number this large is refused as too long; capping it keeps
		// n*60 from overflowing into something that looks valid.
		return min(n, math.MaxInt/60) * 60, true
	}
	return 0, false
}

// linkAmountOf shows stored minutes in the larger unit when it is exact:
// 120 as 2 hours, 90 as 90 minutes, 0 as 0 minutes.
func linkAmountOf(minutes int) (value, unit string) {
	if minutes > 0 && minutes%60 == 0 {
		return strconv.Itoa(minutes / 60), linkUnitHours
	}
	return strconv.Itoa(minutes), linkUnitMinutes
}

func linkFormIDs(vals []string) []int64 {
	out := make([]int64, 0, len(vals))
	for _, s := range vals {
		id, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		out = append(out, id)
	}
	return out
}

// linkForm builds the form page around l (as saved, or as just posted).
func (h *adminHandlers) linkForm(ctx context.Context, v *adminView, l *booking.Link, raw map[string]string) (*linkFormPage, error) {
	L := v.L
	p := &linkFormPage{Link: l, New: l.ID == 0, Raw: raw, Accent: l.AccentColor, SlugURL: widget.LinkURL(h.baseURL, "")}
	if p.New {
		p.Action = "/admin/links/new"
	} else {
		p.Action = "/admin/links/" + idString(l.ID) + "/edit"
	}
	p.Limits = linkLimits{
		Name: booking.MaxNameLen, MaxEvents: booking.MaxEventsPerBooking, MaxSeats: booking.MaxSeatsLimit,
		CommentLabel: booking.MaxCommentLabelLen, ContactMessage: booking.MaxContactMsgLen, Step: booking.CutoffStepMin,
		CutoffMinutes: booking.MaxCancelCutoffMin,
		Buffer:        linkDuration(L, booking.MaxBufferMin),
		Cutoff:        L.N("admin_links_hours", booking.MaxCancelCutoffMin/60),
	}
	if p.Raw == nil {
		p.Raw = map[string]string{"max_events": strconv.Itoa(l.MaxEvents), "max_seats": strconv.Itoa(l.MaxSeats)}
	}
	if p.Accent == "" {
		p.Accent = linkDefaultAccent
	}
	svcs, err := h.store.Services(ctx, l.LocationID, true)
	if err != nil {
		return nil, err
	}
	for _, s := range svcs {
		if ch, ok := linkChoiceOf(L, s.ID, s.Name, s.Active, l.ServiceIDs); ok {
			p.Services = append(p.Services, ch)
		}
	}
	members, err := h.store.TeamMembers(ctx, l.LocationID, true)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		if ch, ok := linkChoiceOf(L, m.ID, m.Name, m.Active, l.TeamMemberIDs); ok {
			p.Members = append(p.Members, ch)
		}
	}
	p.Email = linkModeOptions(L, l.EmailMode)
	p.Comment = linkModeOptions(L, l.CommentMode)
	p.Buffers = linkMinuteOptions(L, linkBufferChoices, l.BufferMin)
	// As posted on a 422, so what was typed is shown next to its error;
	// otherwise as stored.
	p.Cutoff = linkAmountField(L, raw, "cancel_cutoff", l.CancelCutoffMin)
	p.Reschedules = linkRescheduleOptions(L, l.RescheduleMode)
	p.RescheduleCutoff = linkAmountField(L, raw, "reschedule_cutoff", l.RescheduleCutoffMin)
	p.Payments = linkPaymentOptions(L, l.PaymentMode)
	p.OnlineOff = !h.onlineOn()
	p.Langs = []linkOption{{Value: "", Label: L.T("admin_links_lang_auto"), Selected: l.DefaultLang == ""}}
	for _, code := range h.locales.Languages() {
		p.Langs = append(p.Langs, linkOption{Value: code, Label: h.locales.Localizer(code).T("language_name"), Selected: code == l.DefaultLang})
	}
	return p, nil
}

// linkAmountField is the amount input named input: as posted on a 422, so
// what was typed is shown next to its error; otherwise the stored minutes.
func linkAmountField(L *locales.Localizer, raw map[string]string, input string, minutes int) linkAmount {
	value, unit := raw[input], raw[input+"_unit"]
	if _, posted := raw[input+"_unit"]; !posted {
		value, unit = linkAmountOf(minutes)
	}
	return linkAmount{Value: value, Units: []linkOption{
		{Value: linkUnitMinutes, Label: L.T("admin_links_unit_minutes"), Selected: unit != linkUnitHours},
		{Value: linkUnitHours, Label: L.T("admin_links_unit_hours"), Selected: unit == linkUnitHours},
	}}
}

// linkRescheduleModes are the rescheduling choices, from none to the most
// freedom.
var linkRescheduleModes = []booking.RescheduleMode{booking.RescheduleOff, booking.RescheduleSameMember, booking.RescheduleAnyMember}

func linkRescheduleOptions(L *locales.Localizer, cur booking.RescheduleMode) []linkOption {
	if cur == "" {
		cur = booking.RescheduleSameMember
	}
	out := make([]linkOption, 0, len(linkRescheduleModes))
	for _, m := range linkRescheduleModes {
		out = append(out, linkOption{Value: string(m), Label: L.T("admin_links_reschedule_" + string(m)), Selected: m == cur})
	}
	return out
}

// linkChoiceOf is a service or team member checkbox. Archived ones are offered
// only while the link still names them, so unticking them is possible but
// nobody adds them by mistake.
func linkChoiceOf(L *locales.Localizer, id int64, name string, active bool, picked []int64) (linkChoice, bool) {
	on := slices.Contains(picked, id)
	if !active && !on {
		return linkChoice{}, false
	}
	if !active {
		name = L.T("admin_links_archived", map[string]any{"Name": name})
	}
	return linkChoice{ID: id, Name: name, Checked: on}, true
}

func linkModeOptions(L *locales.Localizer, cur booking.FieldMode) []linkOption {
	var out []linkOption
	for _, m := range []booking.FieldMode{booking.FieldHidden, booking.FieldOptional, booking.FieldRequired} {
		out = append(out, linkOption{Value: string(m), Label: L.T("admin_links_mode_" + string(m)), Selected: m == cur})
	}
	return out
}

// linkMinuteOptions lists the choices of a "before the start" select. A value
// that is not among them (one posted by hand) is added, so the form shows
// what was refused next to its error.
func linkMinuteOptions(L *locales.Localizer, choices []int, cur int) []linkOption {
	if !slices.Contains(choices, cur) && cur >= 0 {
		choices = append(slices.Clone(choices), cur)
		slices.Sort(choices)
	}
	out := make([]linkOption, 0, len(choices))
	for _, m := range choices {
		label := L.T("admin_links_at_start")
		if m > 0 {
			label = L.T("admin_links_before_start", map[string]any{"Duration": linkDuration(L, m)})
		}
		out = append(out, linkOption{Value: strconv.Itoa(m), Label: label, Selected: m == cur})
	}
	return out
}

// linkDuration renders minutes the way a person says them: "45 min",
// "2 hours", "1 h 30 min", "3 days".
func linkDuration(L *locales.Localizer, m int) string {
	switch {
	case m%(24*60) == 0:
		return L.N("admin_links_days", m/(24*60))
	case m%60 == 0:
		return L.N("admin_links_hours", m/60)
	case m > 60:
		return L.T("admin_links_hours_minutes", map[string]any{"Hours": m / 60, "Minutes": m % 60})
	}
	return L.N("minutes_count", m)
}

// linkPaymentModes are the payment choices of a link, in the order the
// select offers them: from the least to the most asked of the client.
var linkPaymentModes = []booking.PaymentMode{booking.PayAtStudio, booking.PayPassRequired, booking.PayOnline, booking.PayPassOrOnline}

func linkPaymentOptions(L *locales.Localizer, cur booking.PaymentMode) []linkOption {
	if cur == "" {
		cur = booking.PayAtStudio
	}
	out := make([]linkOption, 0, len(linkPaymentModes))
	for _, m := range linkPaymentModes {
		out = append(out, linkOption{Value: string(m), Label: L.T("admin_links_payment_" + string(m)), Selected: m == cur})
	}
	return out
}
