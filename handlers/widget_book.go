package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

// book creates the bookings of a signed selection. Success redirects to the
// manage page (303, so a reload does not post again; the request key makes
// even a repeated post harmless). Bad fields come back at their fields with
// 422; events that filled up meanwhile send the client back to the
// selection, the rest of it kept, with 409.
func (h *widgetHandlers) book(c *gin.Context) {
	link, cat, ok := h.open(c)
	if !ok {
		return
	}
	v := h.newWidgetView(c, link, cat)
	sel, err := h.flow.OpenSelection(link, c.PostForm("s"))
	if err == nil && sel.Wait {
		err = widget.ErrBadToken // a waitlist form joins at /waitlist, it books nothing
	}
	if err != nil {
		h.expired(c, v, err)
		return
	}
	form := widget.ContactInput{
		FirstName: c.PostForm("first_name"), LastName: c.PostForm("last_name"),
		Phone: c.PostForm("phone"), Email: c.PostForm("email"), Comment: c.PostForm("comment"),
	}
	if link.SMSConfirm {
		phone, err := h.flow.NormalizedContact(link, cat, form)
		if err != nil {
			h.contactErrors(c, v, sel, form, err)
			return
		}
		if !h.flow.HasProof(link, v.carry.Get("pv"), phone) {
			// A pay choice posted for an unconfirmed phone is dropped: the
			// code comes first, then the passes are offered afresh.
			h.startConfirmation(c, v, &widget.Pending{Selection: *sel, Contact: form, Phone: phone})
			return
		}
		h.bookConfirmed(c, v, sel, form, phone, c.PostForm("pay"))
		return
	}
	if !h.onlineOn() && !link.PaymentMode.Online() {
		// Without SMS confirmation no pass is offered or spent, whatever
		// the form says; without online payment there is nothing else to
		// choose.
		h.finishBooking(c, v, sel, form, 0)
		return
	}
	// Online choices (pay online, buy a pass) need no confirmed phone: the
	// money is taken by Stripe, not from a pass the phone would unlock.
	if _, err := h.flow.NormalizedContact(link, cat, form); err != nil {
		h.contactErrors(c, v, sel, form, err)
		return
	}
	h.pay(c, v, sel, form, "", c.PostForm("pay"))
}

// finishBooking creates the bookings and answers for every outcome. Part
// of the request's time is kept back for the one outcome the core cannot
// report: an error that leaves unknown whether the booking committed.
//
// passID is the pass that pays (0: at the studio); the core refusing it
// (a shortfall, a date it is not valid on, not the client's) shows the
// payment step again with the reason at its field, nothing booked.
func (h *widgetHandlers) finishBooking(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, passID int64) {
	ctx, cancel, kept := splitDeadline(c.Request.Context())
	defer cancel()
	res, err := h.flow.Book(ctx, v.Link, v.Cat, sel, form, c.ClientIP(), passID)
	var fe booking.FieldErrors
	var re *booking.ReserveError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, v.URL("/m/"+res.Group.Token, "new", "1"))
	case h.passRefusal(c, v, sel, form, passID, err):
	case h.offerRefusal(c, v, sel, form, err):
	case errors.As(err, &fe):
		h.contactErrors(c, v, sel, form, fe)
	case errors.As(err, &re):
		h.afterRefusal(c, v, sel, form, re)
	case errors.Is(err, booking.ErrKeyReused):
		h.expired(c, v, err)
	default:
		pay := payStudio
		if passID != 0 {
			pay = strconv.FormatInt(passID, 10)
		}
		h.unknownOutcome(c, v, sel, form, pay, err, kept)
	}
}

// contactErrors shows the contact form again with each problem at its field.
func (h *widgetHandlers) contactErrors(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, err error) {
	var fe booking.FieldErrors
	if !errors.As(err, &fe) {
		h.serverError(c, err)
		return
	}
	v.fieldErrors(fe)
	v.alert("error", v.L.T("widget_fix_errors"))
	h.showContact(c, v, http.StatusUnprocessableEntity, sel, form)
}

// afterRefusal keeps the part of the selection that can still be booked and
// shows the event page again with what went wrong. An event the client
// already holds is shown with that booking and its manage link when the
// phone is confirmed (repeats), else refused without saying why.
func (h *widgetHandlers) afterRefusal(c *gin.Context, v *widgetView, sel *widget.Selection, form widget.ContactInput, re *booking.ReserveError) {
	phone := ""
	if v.Link.SMSConfirm {
		// On such a link a booking reaches the core only for a phone
		// confirmed by code (book, verify).
		phone, _ = h.flow.NormalizedContact(v.Link, v.Cat, form)
	}
	rest, already, err := h.repeats(c, v, phone, re)
	if err != nil {
		h.serverError(c, err)
		return
	}
	var keep []int64
	for _, id := range sel.EventIDs() {
		if re.ProblemFor(id) == nil {
			keep = append(keep, id)
		}
	}
	var problems error = rest
	if already != nil {
		ab := &repeatShown{Items: already}
		if len(rest.Problems) > 0 {
			ab.rest = rest
		}
		problems = ab
		if len(keep) == 0 {
			// Nothing left to book: the chosen class, with the booking
			// the client has in it and its other dates to pick from.
			keep = []int64{sel.EventID}
		}
	}
	if len(keep) == 0 {
		for _, p := range rest.Problems {
			v.alert("error", bookingErrorText(v.L, p.Err, v.Link.EffectiveMaxEvents()))
			break
		}
		if err := h.fillList(c, v); err != nil {
			h.serverError(c, err)
			return
		}
		h.render(c, http.StatusConflict, "widget_list", v)
		return
	}
	in := widget.SelectionInput{EventID: keep[0], Also: keep[1:], Seats: strconv.Itoa(sel.Seats)}
	h.showEvent(c, v, http.StatusConflict, in, problems)
}

// expired answers a forged, altered or stale form: nothing is booked and
// the client starts again from the list.
func (h *widgetHandlers) expired(c *gin.Context, v *widgetView, err error) {
	h.log.Info("widget token refused", "err", err, "request_id", c.GetString(ctxRequestID))
	v.Page = widgetMessagePage{
		Heading: v.L.T("widget_expired_title"), Text: v.L.T("widget_expired_text"),
		BackURL: v.URL("/w/" + v.Link.Slug),
	}
	h.render(c, http.StatusBadRequest, "widget_message", v)
}

type widgetMessagePage struct{ Heading, Text, BackURL string }
