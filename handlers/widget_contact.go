package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

type widgetContactPage struct {
	widgetSummary
	Token        string
	Seats        int
	CommentLabel string
	Form         widget.ContactInput
	// SMSOn: the location sends SMS, so the booking confirmation goes to
	// the phone given here; only then does the form say so.
	SMSOn bool
	// PassOffer tells of a pass on sale online that costs less than the
	// selection ("" when none): the next step offers to buy it.
	PassOffer string
	// Wait: the form joins the waitlist (posted to /w/:slug/waitlist).
	// Existing links to the client's place already in line (shown only
	// for a phone confirmed by code).
	Wait     bool
	Existing string
}

// widgetSummary is the selection as the contact and payment steps show
// it: its events in date order, its service and team member, the way back
// to change it, and its price line.
type widgetSummary struct {
	Events              []booking.Event
	ServiceID, MemberID int64
	EditURL             string
	// Price is the price line, dates × seats (nil: a free service).
	Price *widget.Price
}

// summary loads what the steps after the selection show of it.
func (h *widgetHandlers) summary(c *gin.Context, v *widgetView, sel *widget.Selection) (widgetSummary, error) {
	var s widgetSummary
	if ids := sel.EventIDs(); len(sel.Events) == len(ids) {
		// Select has just read and checked them.
		s.Events = slices.Clone(sel.Events) // sorted below; the selection keeps its order
	} else {
		for _, id := range ids {
			ev, err := h.flow.Store.Event(c.Request.Context(), id)
			if err != nil {
				return s, err
			}
			s.Events = append(s.Events, *ev)
		}
	}
	widget.SortByStart(s.Events)
	s.ServiceID, s.MemberID = s.Events[0].ServiceID, s.Events[0].TeamMemberID
	if price, ok := widget.PriceOf(v.Cat.Service(s.ServiceID), len(s.Events), sel.Seats); ok {
		s.Price = &price
	}
	kv := []string{"seats", strconv.Itoa(sel.Seats)}
	for _, id := range sel.Also {
		kv = append(kv, "also", strconv.FormatInt(id, 10))
	}
	s.EditURL = v.URL("/w/"+v.Link.Slug+"/e/"+strconv.FormatInt(sel.EventID, 10), kv...)
	if sel.Offer != "" {
		// An offer's seats and date are fixed: back is its waitlist page.
		s.EditURL = v.URL("/wl/" + sel.Offer)
	}
	return s, nil
}

// contact checks the selection the Continue button sent and shows the
// contact form carrying it signed. A selection that no longer holds goes
// back to the event page with the reasons.
func (h *widgetHandlers) contact(c *gin.Context) {
	link, cat, ok := h.open(c)
	if !ok {
		return
	}
	v := h.newWidgetView(c, link, cat)
	if link.PaymentMode.Online() && !h.onlineOn() {
		// Said before the client types anything: nothing can be booked.
		h.onlineUnavailable(c, v)
		return
	}
	eventID, _ := strconv.ParseInt(c.Query("event"), 10, 64)
	in := selectionInput(c, eventID)
	in.Weekday, in.All = "", false
	sel, err := h.flow.Select(c.Request.Context(), link, cat, in)
	if err != nil {
		h.showEvent(c, v, http.StatusUnprocessableEntity, in, err)
		return
	}
	sel.Lang, sel.UTM = v.Lang, v.utm()
	h.showContact(c, v, http.StatusOK, sel, widget.ContactInput{})
}

// showContact renders the contact form for a checked selection.
func (h *widgetHandlers) showContact(c *gin.Context, v *widgetView, status int, sel *widget.Selection, form widget.ContactInput) {
	h.showContactWith(c, v, status, sel, form, "")
}

// showContactWith is showContact with a link to the client's existing
// place on the waitlist (existing, "" for none).
func (h *widgetHandlers) showContactWith(c *gin.Context, v *widgetView, status int, sel *widget.Selection, form widget.ContactInput, existing string) {
	token, err := h.flow.Seal(sel)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := &widgetContactPage{Token: token, Seats: sel.Seats, Form: form, CommentLabel: v.Link.CommentLabel,
		Wait: sel.Wait, Existing: existing}
	sms, err := h.flow.Store.SMSSettings(c.Request.Context(), v.Link.LocationID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p.SMSOn = sms.Enabled
	if p.widgetSummary, err = h.summary(c, v, sel); err != nil {
		h.serverError(c, err)
		return
	}
	if sel.Wait {
		p.Price = nil // joining costs nothing; the price is for the booking
	} else if p.PassOffer, err = h.passOffer(c, v, sel); err != nil {
		h.serverError(c, err)
		return
	}
	if p.CommentLabel == "" {
		p.CommentLabel = v.L.T("widget_comment")
	}
	v.relinkToContact(sel)
	v.Page, v.Title = p, v.L.T("widget_contact_title")
	if sel.Wait {
		v.Title = v.L.T("widget_wl_join_title")
	}
	h.render(c, status, "widget_contact", v)
}

// relinkToContact points the language links at the contact step of sel:
// a posted step (the form with errors, the code form) reloads from its
// selection, checked again, in the other language.
func (v *widgetView) relinkToContact(sel *widget.Selection) {
	switch {
	case sel.Offer != "":
		v.relink("/wl/"+sel.Offer+"/claim", nil)
		return
	case sel.Wait:
		v.relink("/w/"+v.Link.Slug+"/waitlist", url.Values{"event": {strconv.FormatInt(sel.EventID, 10)}, "seats": {strconv.Itoa(sel.Seats)}})
		return
	}
	q := url.Values{"event": {strconv.FormatInt(sel.EventID, 10)}, "seats": {strconv.Itoa(sel.Seats)}}
	for _, id := range sel.Also {
		q.Add("also", strconv.FormatInt(id, 10))
	}
	v.relink("/w/"+v.Link.Slug+"/contact", q)
}
