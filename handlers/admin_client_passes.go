package handlers

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"groupbook/booking"
	"groupbook/locales"
)

// clientPassesView is the Passes section of the client page: every pass
// of the client and the form to sell one.
type clientPassesView struct {
	URL      string // where the sale form posts
	Passes   []clientPassCard
	Types    []settingsOption // the pass types on sale
	Methods  []settingsOption
	Currency string
	Sell     clientSellFields
	SellOpen bool // the form starts open: asked for, or refused
}

// clientSellFields are the sale form as typed; Back is the event window
// to return to after the sale, when it was opened from one.
type clientSellFields struct{ TypeID, Start, Method, Amount, Back string }

// clientSellBackRe is the only kind of address a sale returns to: an
// event window, so back= cannot send staff anywhere else.
var clientSellBackRe = regexp.MustCompile(`^/admin/events/[0-9]{1,18}$`)

// clientSellBack keeps back only when it is an event window's address.
func clientSellBack(back string) string {
	if clientSellBackRe.MatchString(back) {
		return back
	}
	return ""
}

// clientPassCard is one pass with every text formatted, and the state of
// its forms after a refused change.
type clientPassCard struct {
	ID                     int64
	Name, State, StateText string
	Balance, Validity      string
	Frozen, Voided         bool
	URL                    string // prefix of the pass's actions
	Entries                []clientPassEntry
	Errors, Values         map[string]string
	Open                   bool // the change panel starts open
}

// Err and Val are a form field's error and typed value, for the templates.
func (c clientPassCard) Err(field string) string { return c.Errors[field] }
func (c clientPassCard) Val(field string) string { return c.Values[field] }

// clientPassEntry is one ledger row as the history lists it.
type clientPassEntry struct {
	Kind, Date, Text, Change, Note, EventURL string
}

// clientPassesURL is where a client's pass forms post.
func clientPassesURL(clientID int64) string {
	return "/admin/clients/" + strconv.FormatInt(clientID, 10) + "/passes"
}

// loadClientPasses builds the Passes section for a client of the admin's
// location.
//
// bookings are the client's bookings by id, for the visits a pass paid.
func (h *adminHandlers) loadClientPasses(ctx context.Context, v *adminView, cl *booking.Client, bookings map[int64]booking.ClientBooking) (*clientPassesView, error) {
	passes, err := h.store.ClientPasses(ctx, v.Location.ID, cl.ID)
	if err != nil {
		return nil, err
	}
	types, err := h.store.PassTypes(ctx, v.Location.ID)
	if err != nil {
		return nil, err
	}
	zone := v.Location.Zone()
	today := h.store.Clock().In(zone)
	pv := &clientPassesView{
		URL:  clientPassesURL(cl.ID),
		Sell: clientSellFields{Start: today.Format(time.DateOnly), Method: booking.MethodCash},
		Methods: []settingsOption{
			{Value: booking.MethodCash, Label: v.L.T("admin_passes_method_cash")},
			{Value: booking.MethodCard, Label: v.L.T("admin_passes_method_card")},
			{Value: booking.MethodOther, Label: v.L.T("admin_passes_method_other")},
			{Value: clientPassFree, Label: v.L.T("admin_passes_method_free")},
		},
	}
	for _, pt := range types {
		if pt.Archived {
			continue
		}
		pv.Types = append(pv.Types, settingsOption{Value: strconv.FormatInt(pt.ID, 10), Label: pt.Name + " · " + passPriceText(v.L, pt.PriceMinor, pt.Currency)})
		if pv.Currency == "" {
			pv.Currency = pt.Currency
		}
	}
	if pv.Currency == "" {
		pv.Currency = settingsDefaultCurrency(v.Location)
	}
	names, err := h.userNames(ctx)
	if err != nil {
		return nil, err
	}
	for i := range passes {
		pv.Passes = append(pv.Passes, newClientPassCard(v.L, &passes[i], pv.URL, zone, today, names, bookings))
	}
	return pv, nil
}

// clientPassFree is the sale form's "method" for a pass granted free.
const clientPassFree = "free"

// card returns the card of a pass, or nil.
func (pv *clientPassesView) card(id int64) *clientPassCard {
	for i := range pv.Passes {
		if pv.Passes[i].ID == id {
			return &pv.Passes[i]
		}
	}
	return nil
}

func newClientPassCard(L *locales.Localizer, cp *booking.ClientPass, base string, zone *time.Location, today time.Time, staff map[int64]string, bookings map[int64]booking.ClientBooking) clientPassCard {
	c := clientPassCard{
		ID: cp.ID, Name: cp.Name, URL: fmt.Sprintf("%s/%d", base, cp.ID),
		Frozen: cp.Frozen(), Voided: cp.Voided(),
	}
	c.State = clientPassState(cp, today.Format(time.DateOnly))
	c.StateText = L.T("admin_passes_state_" + c.State)
	if cp.Kind == booking.PassUnlimited {
		c.Balance = L.T("admin_passes_client_unlimited")
	} else {
		c.Balance = L.N("admin_passes_left", cp.Balance)
	}
	switch {
	case cp.StartsOn != "" && cp.ValidUntil != "":
		c.Validity = L.T("admin_passes_client_valid", map[string]any{"From": passDate(L, cp.StartsOn, today), "Until": passDate(L, cp.ValidUntil, today)})
	default:
		c.Validity = passValidityText(L, cp.ValidFrom, cp.ValidityDays)
	}
	for _, en := range cp.Entries {
		c.Entries = append(c.Entries, newClientPassEntry(L, en, zone, today, staff, bookings))
	}
	return c
}

// clientPassState names a pass's state for its badge: voided and frozen
// first (staff did that), then expired, used up, or active.
func clientPassState(cp *booking.ClientPass, today string) string {
	switch {
	case cp.Voided():
		return "voided"
	case cp.Frozen():
		return "frozen"
	case cp.Expired(today):
		return "expired"
	case !cp.Unlimited() && cp.Balance <= 0:
		return "used_up"
	}
	return "active"
}

// passDate writes a local date (YYYY-MM-DD) short, with the year when it
// is not this year's.
func passDate(L *locales.Localizer, day string, today time.Time) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return clientsDate(L, t, today)
}

func newClientPassEntry(L *locales.Localizer, en booking.PassEntry, zone *time.Location, today time.Time, staff map[int64]string, bookings map[int64]booking.ClientBooking) clientPassEntry {
	at := en.CreatedAt.In(zone)
	r := clientPassEntry{Kind: en.Kind, Date: clientsDate(L, at, today) + " " + L.Clock(at), Text: L.T("admin_passes_entry_" + en.Kind)}
	if en.Visits != 0 {
		r.Change = fmt.Sprintf("%+d", en.Visits)
	}
	var notes []string
	// A visit (or its return) names the class it paid for, linked to it.
	if b, ok := bookings[en.BookingID]; ok && en.BookingID != 0 {
		start := b.Event.StartsAt.In(zone)
		notes = append(notes, b.ServiceName+" · "+clientsDate(L, start, today)+" "+L.Clock(start))
		if b.Event.DeletedAt == nil {
			r.EventURL = eventURL(b.EventID)
		}
	}
	if en.Days != 0 {
		notes = append(notes, L.N("admin_passes_change_days", en.Days))
	}
	if en.AmountMinor > 0 || en.Method != "" {
		notes = append(notes, L.T("admin_passes_paid", map[string]any{"Amount": money(en.AmountMinor, en.Currency), "Method": L.T("admin_passes_method_" + en.Method)}))
	}
	if en.Reason != "" {
		notes = append(notes, en.Reason)
	}
	if n, ok := staff[en.StaffUserID]; ok {
		notes = append(notes, L.T("admin_passes_by", map[string]any{"Name": n}))
	}
	r.Note = strings.Join(notes, " · ")
	return r
}

// userNames maps the staff users to their names, for "by Sam" in a history.
func (h *adminHandlers) userNames(ctx context.Context) (map[int64]string, error) {
	users, err := h.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(users))
	for _, u := range users {
		out[u.ID] = u.Name
	}
	return out, nil
}
