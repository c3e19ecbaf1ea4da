package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

// widgetWaitPage is the client's waitlist page (/wl/:token): the event,
// the party, the place in line, and the ways on from there.
type widgetWaitPage struct {
	Entry    booking.WaitlistEntry
	Event    booking.Event
	Service  string
	Member   string
	Position int
	// Until is when an offer ends, in the location's time ("18:30", with
	// the date when it is not today).
	Until string
	// FirstClaim: the location tells everyone who fits and the first
	// claim wins, so nothing is held for the client.
	FirstClaim bool
	// Claimable: "Book them" leads into the booking flow (an offer made
	// through a link that is still on).
	Claimable bool
	// Confirm: the page asks "Leave the waitlist?" (the second step of
	// Leave and "No thanks", which work without JavaScript).
	Confirm                                    bool
	Token, ClaimURL, LeaveURL, ManageURL, Here string
	// Link is the page's own address to keep (as the messages give it).
	Link    string
	ListURL string
}

// openWait loads the waitlist page's entry, answering 404 itself for an
// unknown token.
func (h *widgetHandlers) openWait(c *gin.Context, token string) (*widget.Waitlist, *widgetView, bool) {
	w, err := h.flow.OpenWaitlist(c.Request.Context(), token)
	if errors.Is(err, booking.ErrNotFound) {
		h.notFound(c)
		return nil, nil, false
	}
	if err != nil {
		h.serverError(c, err)
		return nil, nil, false
	}
	return w, h.newWidgetView(c, w.Link, w.Cat), true
}

// waitPage shows a client's place in line, opened by the unguessable
// token of the link in their message.
func (h *widgetHandlers) waitPage(c *gin.Context) {
	w, v, ok := h.openWait(c, c.Param("token"))
	if !ok {
		return
	}
	switch {
	case c.Query("new") == "1" && w.View.Entry.State.InLine():
		v.alert("success", v.L.T("widget_wl_joined"))
	case c.Query("left") == "1":
		v.alert("success", v.L.T("widget_wl_left_done"))
	}
	h.showWait(c, v, w, http.StatusOK, false)
}

// waitLeave leaves the line (or declines an offer, whose seats go to the
// next) in two steps: the first post asks to confirm, the second (sure=1)
// leaves and shows the page again.
func (h *widgetHandlers) waitLeave(c *gin.Context) {
	token := c.Param("token")
	w, v, ok := h.openWait(c, token)
	if !ok {
		return
	}
	v.relink("/wl/"+token, nil)
	sure := c.PostForm("sure") == "1"
	if sure && w.View.Entry.State == booking.WaitLeft {
		// A repeated confirm (a double click, a retry after a lost
		// answer): the first one left.
		c.Redirect(http.StatusSeeOther, v.URL("/wl/"+token, "left", "1"))
		return
	}
	if !w.View.Entry.State.InLine() {
		v.alert("info", v.L.T("widget_wl_not_in_line"))
		h.showWait(c, v, w, http.StatusConflict, false)
		return
	}
	if !sure {
		h.showWait(c, v, w, http.StatusOK, true)
		return
	}
	err := h.flow.Store.LeaveWaitlist(c.Request.Context(), token)
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, v.URL("/wl/"+token, "left", "1"))
	case errors.Is(err, booking.ErrOfferGone):
		// Claimed, expired or removed between the two steps.
		h.showWaitToken(c, token, http.StatusConflict, "widget_wl_not_in_line")
	default:
		h.serverError(c, err)
	}
}

// waitClaim starts booking an offer: the contact step of the normal flow
// (SMS code, payment choices, online payment as the link asks) with the
// selection carrying the offer's token and seats, and the form filled
// from the entry's client. The phone comes from the entry here, never
// from the address: the core books the offer for that client only.
func (h *widgetHandlers) waitClaim(c *gin.Context) {
	token := c.Param("token")
	w, v, ok := h.openWait(c, token)
	if !ok {
		return
	}
	sel, err := w.ClaimSelection()
	switch {
	case errors.Is(err, booking.ErrOfferGone):
		v.alert("error", v.L.T("widget_wl_offer_gone"))
		h.showWait(c, v, w, http.StatusConflict, false)
		return
	case errors.Is(err, widget.ErrNoClaimOnline):
		v.alert("error", v.L.T("widget_wl_claim_call"))
		h.showWait(c, v, w, http.StatusConflict, false)
		return
	case err != nil:
		h.serverError(c, err)
		return
	}
	if v.Link.PaymentMode.Online() && !h.onlineOn() {
		h.onlineUnavailable(c, v)
		return
	}
	sel.Lang = v.Lang
	h.showContact(c, v, http.StatusOK, sel, w.ClaimContact())
}

// offerRefusal answers the core's refusal of an offer claim and tells
// whether err was one: a phone not the entry's client's goes back to the
// contact step with the reason at the phone; an offer gone (expired,
// declined, claimed) shows the waitlist page saying so.
func (h *widgetHandlers) offerRefusal(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, err error) bool {
	switch {
	case sel.Offer == "":
		return false
	case errors.Is(err, booking.ErrOfferNotYours):
		v.Errors = map[string]string{"phone": v.L.T("widget_wl_offer_not_yours")}
		v.alert("error", v.L.T("widget_fix_errors"))
		h.showContact(c, v, http.StatusUnprocessableEntity, sel, form)
		return true
	case errors.Is(err, booking.ErrOfferGone):
		h.showWaitToken(c, sel.Offer, http.StatusConflict, "widget_wl_offer_gone")
		return true
	}
	return false
}

// showWaitToken shows the waitlist page of token with an error above it.
func (h *widgetHandlers) showWaitToken(c *gin.Context, token string, status int, msg string) {
	w, v, ok := h.openWait(c, token)
	if !ok {
		return
	}
	v.relink("/wl/"+token, nil)
	v.alert("error", v.L.T(msg))
	h.showWait(c, v, w, status, false)
}

// showWait renders the waitlist page; confirm asks to confirm leaving.
func (h *widgetHandlers) showWait(c *gin.Context, v *widgetView, w *widget.Waitlist, status int, confirm bool) {
	wv := w.View
	token := wv.Entry.Token
	p := &widgetWaitPage{
		Entry: wv.Entry, Event: wv.Event, Service: wv.Service, Member: wv.Member, Position: wv.Position,
		Claimable: w.Claimable(), Confirm: confirm, Token: token,
		FirstClaim: w.Cat.Location.WaitlistMode == booking.WaitlistFirstClaim && !wv.Entry.Reserved,
		ClaimURL:   v.URL("/wl/" + token + "/claim"), LeaveURL: "/wl/" + token + "/leave", Here: v.URL("/wl/" + token),
		Link: h.baseURL + "/wl/" + token + "?" + url.Values{"lang": {v.Lang}}.Encode(),
	}
	if wv.Entry.OfferUntil != nil {
		p.Until = offerUntil(v, *wv.Entry.OfferUntil, h.flow.Now())
	}
	if wv.GroupToken != "" {
		p.ManageURL = v.URL("/m/" + wv.GroupToken)
	}
	if v.Link.Slug != "" && v.Link.Enabled {
		p.ListURL = v.URL("/w/" + v.Link.Slug)
	}
	v.Page, v.Title = p, v.L.T("widget_wl_title")
	h.render(c, status, "waitlist", v)
}

// offerUntil writes an offer's end in the location's time: the clock
// alone when it is today there, else with the date.
func offerUntil(v *widgetView, until, now time.Time) string {
	lu, ln := v.Cat.Local(until), v.Cat.Local(now)
	if lu.Year() == ln.Year() && lu.YearDay() == ln.YearDay() {
		return v.L.Clock(lu)
	}
	return v.L.DateShort(lu) + " " + v.L.Clock(lu)
}
