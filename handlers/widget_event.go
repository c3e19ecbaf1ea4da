package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

type widgetEventPage struct {
	*widget.EventPage
	ClosedText string
	SeatsError string
	// Here is this page's URL without the selection: widget.js adds the
	// ticked dates and seats to it and puts it in the history entry, so
	// Back from the contact step shows them again.
	Here string
	// Wait is the "Join the waitlist" form (nil: the link takes no
	// waitlist, or every seat the link allows is free).
	Wait *waitJoinForm
	// Already are the bookings the client holds in classes they tried to
	// book again (shown only for a phone confirmed by code).
	Already []alreadyItem
}

// event shows one event with its Book another block.
func (h *widgetHandlers) event(c *gin.Context) {
	link, cat, ok := h.open(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("event"), 10, 64)
	if err != nil {
		h.notFound(c)
		return
	}
	v := h.newWidgetView(c, link, cat)
	h.showEvent(c, v, http.StatusOK, selectionInput(c, id), nil)
}

// cacheEvent lets a GET event page be cached until one of its events
// changes state with the clock (see cacheable).
func (h *widgetHandlers) cacheEvent(c *gin.Context, link *booking.Link, page *widget.EventPage) {
	evs := []booking.Event{page.Event}
	if page.Another != nil {
		for _, it := range page.Another.Items {
			evs = append(evs, it.Event)
		}
	}
	h.cacheable(c, link, evs...)
}

// selectionInput reads the selection the browser sent.
func selectionInput(c *gin.Context, eventID int64) widget.SelectionInput {
	return widget.SelectionInput{
		EventID: eventID,
		Also:    widget.ParseIDs(c.QueryArray("also")),
		Seats:   c.Query("seats"),
		Weekday: c.Query("wd"),
		All:     c.Query("all") == "1",
	}
}

// showEvent renders the event page for a selection, with the problems a
// Continue or a booking attempt ran into shown above it.
func (h *widgetHandlers) showEvent(c *gin.Context, v *widgetView, status int, in widget.SelectionInput, problems error) {
	page, err := h.flow.LoadEventPage(c.Request.Context(), v.Link, in)
	if errors.Is(err, booking.ErrNotFound) {
		h.notFound(c)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := &widgetEventPage{EventPage: page}
	var filter []string
	if a := page.Another; a != nil {
		if a.Weekday >= 0 {
			filter = append(filter, "wd", strconv.Itoa(a.Weekday))
		}
		if a.All {
			filter = append(filter, "all", "1")
		}
	}
	p.Here = v.URL("/w/"+v.Link.Slug+"/e/"+strconv.FormatInt(page.Event.ID, 10), filter...)
	if page.Closed != nil {
		p.ClosedText = bookingErrorText(v.L, page.Closed, v.Link.EffectiveMaxEvents())
	}
	h.problemAlerts(c.Request.Context(), v, problems)
	var fe booking.FieldErrors
	if errors.As(problems, &fe) && fe["seats"] != "" {
		p.SeatsError = v.L.T(fe["seats"])
	}
	p.Wait = waitForm(v, page, in.Seats, problems)
	if ab := (*repeatShown)(nil); errors.As(problems, &ab) {
		p.Already = ab.Items
	}
	v.Page, v.Title = p, v.Cat.Service(page.Event.ServiceID).Name
	if problems == nil && status == http.StatusOK && c.Request.Method == http.MethodGet {
		h.cacheEvent(c, v.Link, page)
	}
	h.render(c, status, "widget_event", v)
}

// problemAlerts lists each refused event with its date and reason.
func (h *widgetHandlers) problemAlerts(ctx context.Context, v *widgetView, problems error) {
	var re *booking.ReserveError
	if !errors.As(problems, &re) {
		return
	}
	for _, p := range re.Problems {
		reason := bookingErrorText(v.L, p.Err, v.Link.EffectiveMaxEvents())
		ev, err := h.flow.Store.Event(ctx, p.EventID)
		if err != nil || ev.LocationID != v.Link.LocationID {
			v.alert("error", reason)
			continue
		}
		lt := v.Cat.Local(ev.StartsAt)
		v.alert("error", v.L.T("widget_problem_line", map[string]any{
			"When": v.L.DateShort(lt) + " " + v.L.Clock(lt), "Reason": reason,
		}))
	}
}
