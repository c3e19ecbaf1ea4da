package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// eventPage is the event window: the event, its clients and the add form.
type eventPage struct {
	W            *booking.EventWindow
	Date         string // in the location's zone, e.g. "Tuesday, 3 March"
	Start, End   string
	URL          string // the window itself
	ScheduleURL  string
	EditURL      string
	Rows         []eventRow
	Cancelled    []eventRow
	Statuses     []booking.Status
	Add          *eventAddForm
	Lookup       *eventLookup
	Moved        *eventMoved
	AlertsIn     string // "add" puts a fragment's alerts in the add form
	Fragment     bool   // an htmx request: answer with a fragment, not a redirect
	InBlock      bool   // one named block is rendered, so it shows the alerts
	SeatsLeftMax int    // for the add form's seat input
	Totals       *eventPayTotals
	PayMethods   []settingsOption
	Waitlist     *eventWaitlist
	Min          *eventMinimum // the event is below its minimum attendees
	MinFact      string        // the minimum and when it is decided ("" without one)
}

// eventRow is one booking in the clients list, with the state of its
// inline forms after a refused change.
type eventRow struct {
	booking.EventClient
	Phone   string
	Channel string // the channel's name; "" for a booking staff made
	Kind    booking.Channel
	URL     string // prefix of the booking's actions
	Seats   string // the value in the seats input
	Comment string // the value in the comment input
	Errors  map[string]string
	Open    bool // the edit panel starts open (it holds an error)
	Pay     eventPay
	// CancelledWhen and CancelledBy describe a cancelled booking.
	CancelledWhen, CancelledBy string
	// Messages are the SMS sent (or due) about the booking.
	Messages []smsLine
}

// Err is the row's error for one field, for the templates.
func (r eventRow) Err(field string) string { return r.Errors[field] }

// eventStatuses are the statuses staff can set in place; cancelling is
// the delete action, which also frees the seats.
var eventStatuses = []booking.Status{booking.StatusExpected, booking.StatusConfirmed, booking.StatusArrived, booking.StatusNoShow}

// eventURL is the event window's address.
func eventURL(id int64) string { return "/admin/events/" + strconv.FormatInt(id, 10) }

// eventWindow shows one event of the admin's location with its clients.
func (h *adminHandlers) eventWindow(c *gin.Context) {
	v := h.newAdminView(c)
	p, ok := h.loadEventPage(c, v)
	if !ok {
		return
	}
	h.doneAlert(c, v, p)
	h.render(c, http.StatusOK, "admin_event", v)
}

// loadEventPage reads the event id from the URL and loads the window for
// the admin's location; it answers 404 itself for an event that is not
// there (another location's, deleted, or never existing).
func (h *adminHandlers) loadEventPage(c *gin.Context, v *adminView) (*eventPage, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || v.Location == nil {
		h.eventNotFound(c, v)
		return nil, false
	}
	w, err := h.store.EventWindow(c.Request.Context(), v.Location.ID, id)
	if errors.Is(err, booking.ErrNotFound) {
		h.eventNotFound(c, v)
		return nil, false
	}
	if err != nil {
		h.serverError(c, err)
		return nil, false
	}
	p := newEventPage(v, w)
	if err := h.attachPasses(c.Request.Context(), v, p); err != nil {
		h.serverError(c, err)
		return nil, false
	}
	if err := h.attachOnline(c.Request.Context(), v, p); err != nil {
		h.serverError(c, err)
		return nil, false
	}
	if err := h.attachMessages(c.Request.Context(), v, p); err != nil {
		h.serverError(c, err)
		return nil, false
	}
	if err := h.attachWaitlist(c.Request.Context(), v, p); err != nil {
		h.serverError(c, err)
		return nil, false
	}
	p.Fragment = isFragmentRequest(c)
	if p.Add, err = h.deskAddForm(c.Request.Context(), v); err != nil {
		h.serverError(c, err)
		return nil, false
	}
	v.Page, v.Section = p, "schedule"
	v.Title = w.Service.Name + " · " + p.Date + " " + p.Start
	return p, true
}

func newEventPage(v *adminView, w *booking.EventWindow) *eventPage {
	zone := v.Location.Zone()
	start := w.Event.StartsAt.In(zone)
	p := &eventPage{
		W:           w,
		Date:        v.L.DateLong(start),
		Start:       v.L.Clock(start),
		End:         v.L.Clock(w.Event.EndsAt().In(zone)),
		URL:         eventURL(w.Event.ID),
		ScheduleURL: "/admin/schedule?date=" + start.Format(time.DateOnly),
		EditURL:     fmt.Sprintf("/admin/schedule/events/%d/edit", w.Event.ID),
		Statuses:    eventStatuses,
		Totals:      &eventPayTotals{Paid: w.Totals.PaidBookings, Unpaid: w.Totals.UnpaidBookings},
		PayMethods:  eventPayMethods(v),
	}
	if w.Totals.OnlineMinor > 0 {
		// Online payments are charged in the service's currency.
		p.Totals.Online = v.L.T("admin_payments_event_online_total", map[string]any{"Amount": v.L.Money(w.Totals.OnlineMinor, w.Service.Currency)})
	}
	p.SeatsLeftMax = max(1, w.Event.SeatsLeft())
	for _, b := range w.Active {
		p.Rows = append(p.Rows, newEventRow(v, p.URL, b))
	}
	for _, b := range w.Cancelled {
		p.Cancelled = append(p.Cancelled, newEventRow(v, p.URL, b))
	}
	return p
}

func newEventRow(v *adminView, eventURL string, b booking.EventClient) eventRow {
	r := eventRow{
		EventClient: b,
		Phone:       booking.FormatPhone(b.Client.Phone),
		Kind:        b.Channel(),
		URL:         fmt.Sprintf("%s/bookings/%d", eventURL, b.ID),
		Seats:       strconv.Itoa(b.Seats),
		Comment:     b.Comment,
	}
	r.Channel = channelName(v, r.Kind)
	r.Pay = newEventPay(v, b)
	if b.CancelledAt != nil {
		at := b.CancelledAt.In(v.Location.Zone())
		r.CancelledWhen = v.L.DateShort(at) + " " + v.L.Clock(at)
		switch b.CancelledBy {
		case booking.CancelledByClient, booking.CancelledByAdmin, booking.CancelledByEventDeleted:
			r.CancelledBy = v.L.T("admin_event_cancelled_by_" + b.CancelledBy)
		case booking.CancelledByPaymentExpired:
			r.CancelledBy = v.L.T("admin_payments_cancelled_expired")
		}
	}
	return r
}

// channelName names a widget booking's channel. The platforms are brand
// names, written the same in every language; only "website" is a word.
func channelName(v *adminView, ch booking.Channel) string {
	switch ch {
	case booking.ChannelInstagram:
		return "Instagram"
	case booking.ChannelGoogle:
		return "Google"
	case booking.ChannelFacebook:
		return "Facebook"
	case booking.ChannelWebsite:
		return v.L.T("admin_event_channel_website")
	}
	return ""
}

// renderEventBlock answers an htmx action with one block of the window
// (the clients list, or the list and the add form), alerts included, since
// the page's own alert area is not swapped.
func (h *adminHandlers) renderEventBlock(c *gin.Context, status int, v *adminView, block string) {
	if p, ok := v.Page.(*eventPage); ok {
		p.InBlock = isFragmentRequest(c) // a plain form gets the whole page, alerts on top
	}
	h.render(c, status, "admin_event", v, block)
}

// row returns the clients list row of a booking, or nil.
func (p *eventPage) row(id int64) *eventRow {
	for i := range p.Rows {
		if p.Rows[i].ID == id {
			return &p.Rows[i]
		}
	}
	return nil
}

// doneAlert confirms what the last plain-form action did: without htmx it
// redirected here with ?done= (and ?to= for a move).
func (h *adminHandlers) doneAlert(c *gin.Context, v *adminView, p *eventPage) {
	done := c.Query("done")
	switch done {
	case "status", "seats", "comment", "deleted", "added":
		v.alert("success", v.L.T("admin_event_done_"+done))
	case "paid", "paid_pass", "unpaid", "sold", "granted":
		v.alert("success", v.L.T("admin_passes_done_"+done))
	case "refund", "retried":
		v.alert("success", v.L.T(bookingDoneMsg(done)))
	case "wl_booked", "wl_moved", "wl_removed":
		v.alert("success", v.L.T(waitlistDoneMsg(done)))
	case "moved":
		to, err := strconv.ParseInt(c.Query("to"), 10, 64)
		if err != nil {
			return
		}
		ev, err := h.store.LiveEvent(c.Request.Context(), v.Location.ID, to)
		if err != nil {
			return // deleted since, or not ours: a notice is not worth an error page
		}
		start := ev.StartsAt.In(v.Location.Zone())
		// Shown with the clients list rather than as a page alert, so the
		// link to the booking's new event sits right with the message.
		p.Moved = &eventMoved{URL: eventURL(to), Text: v.L.T("admin_event_done_moved", map[string]any{
			"Date": v.L.DateShort(start), "Time": v.L.Clock(start),
		})}
	}
}

// eventMoved points at the event a booking was just moved to.
type eventMoved struct{ URL, Text string }

// eventNotFound answers 404 for an event or booking that is not the
// admin's to see.
func (h *adminHandlers) eventNotFound(c *gin.Context, v *adminView) {
	v.Title, v.Section, v.Page = v.L.T("admin_event_missing_title"), "schedule", nil
	h.render(c, http.StatusNotFound, "admin_event_missing", v)
	c.Abort()
}
