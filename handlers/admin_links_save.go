package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// linkNew shows the form for a new link with sensible defaults.
func (h *adminHandlers) linkNew(c *gin.Context) {
	v := h.newAdminView(c)
	if v.Location == nil {
		h.linkMissing(c, v)
		return
	}
	h.showLinkForm(c, v, http.StatusOK, newLinkDefaults(v.Location.ID), nil, nil)
}

// linkCreate saves a new link and opens its edit page, where the snippets
// to share it are.
func (h *adminHandlers) linkCreate(c *gin.Context) {
	v := h.newAdminView(c)
	if v.Location == nil {
		h.linkMissing(c, v)
		return
	}
	l := &booking.Link{LocationID: v.Location.ID}
	raw := readLinkForm(c, l)
	if !h.saveLink(c, v, l, raw, nil) {
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/links/"+idString(l.ID)+"/edit?saved=new")
}

// linkEdit shows a saved link's settings, snippets and preview.
func (h *adminHandlers) linkEdit(c *gin.Context) {
	v := h.newAdminView(c)
	l, ok := h.openLink(c, v)
	if !ok {
		return
	}
	switch c.Query("saved") {
	case "new":
		v.alert("success", v.L.T("admin_links_created"))
	case "1":
		v.alert("success", v.L.T("admin_saved"))
	}
	h.showLinkForm(c, v, http.StatusOK, l, nil, l)
}

// linkUpdate saves the posted settings over a link of the admin's location.
func (h *adminHandlers) linkUpdate(c *gin.Context) {
	v := h.newAdminView(c)
	saved, ok := h.openLink(c, v)
	if !ok {
		return
	}
	// The id and location come from the stored link, never from the form.
	l := &booking.Link{ID: saved.ID, LocationID: saved.LocationID, CreatedAt: saved.CreatedAt,
		RescheduleMode: saved.RescheduleMode, RescheduleCutoffMin: saved.RescheduleCutoffMin}
	raw := readLinkForm(c, l)
	if !h.saveLink(c, v, l, raw, saved) {
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/links/"+idString(l.ID)+"/edit?saved=1")
}

// saveLink stores l through the core; on a validation error it shows the
// form again with each message at its field (422, nothing written) and
// reports false.
func (h *adminHandlers) saveLink(c *gin.Context, v *adminView, l *booking.Link, raw map[string]string, saved *booking.Link) bool {
	// An online mode without Stripe would send every client of the link
	// to an "online payment unavailable" page: refused at the field, with
	// what the server needs.
	if l.PaymentMode.Online() && !h.onlineOn() {
		v.fieldErrors(booking.FieldErrors{"payment_mode": "admin_links_payment_needs_stripe"})
		h.showLinkForm(c, v, http.StatusUnprocessableEntity, l, raw, saved)
		return false
	}
	err := h.store.SaveLink(c.Request.Context(), l)
	if err == nil {
		return true
	}
	if errors.Is(err, booking.ErrNotFound) {
		h.linkMissing(c, v)
		return false
	}
	if !v.fieldErrors(err) {
		h.serverError(c, err)
		return false
	}
	linkCutoffError(v, err, raw, "cancel_cutoff_min", "cancel_cutoff")
	linkCutoffError(v, err, raw, "reschedule_cutoff_min", "reschedule_cutoff")
	h.showLinkForm(c, v, http.StatusUnprocessableEntity, l, raw, saved)
	return false
}

// linkCutoffError words a cutoff's error (the core's field, the form's
// input) for its number and unit: the core knows only minutes.
func linkCutoffError(v *adminView, err error, raw map[string]string, field, input string) {
	var fe booking.FieldErrors
	if !errors.As(err, &fe) || fe[field] == "" {
		return
	}
	if _, ok := linkAmountMinutes(raw[input], raw[input+"_unit"]); !ok {
		v.Errors[field] = v.L.T("admin_links_cutoff_number")
	} else if fe[field] == booking.MsgOutOfRange {
		v.Errors[field] = v.L.T("admin_links_cutoff_range",
			map[string]any{"Longest": v.L.N("admin_links_hours", booking.MaxCancelCutoffMin/60)})
	}
}

// showLinkForm renders the form with l's values. saved is the link as
// stored (nil for a new one): the title, snippets and preview follow it, not
// a change that was just refused.
func (h *adminHandlers) showLinkForm(c *gin.Context, v *adminView, status int, l *booking.Link, raw map[string]string, saved *booking.Link) {
	p, err := h.linkForm(c.Request.Context(), v, l, raw)
	if err != nil {
		h.serverError(c, err)
		return
	}
	v.Section, v.Page = "links", p
	v.Title = v.L.T("admin_links_new_title")
	if saved != nil {
		p.Embed = h.linkEmbed(v, saved)
		p.SlugURL = p.Embed.Direct
		name := saved.Name
		if name == "" {
			name = saved.Slug
		}
		v.Title = v.L.T("admin_links_edit_title", map[string]any{"Name": name})
	}
	h.render(c, status, "admin_links_edit", v)
}

// openLink loads the link in the URL if it belongs to the admin's location;
// anything else is answered with 404, so ids of other locations reveal
// nothing.
func (h *adminHandlers) openLink(c *gin.Context, v *adminView) (*booking.Link, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || v.Location == nil {
		h.linkMissing(c, v)
		return nil, false
	}
	l, err := h.store.Link(c.Request.Context(), id)
	if errors.Is(err, booking.ErrNotFound) || (err == nil && l.LocationID != v.Location.ID) {
		h.linkMissing(c, v)
		return nil, false
	}
	if err != nil {
		h.serverError(c, err)
		return nil, false
	}
	return l, true
}

// linkMissing answers 404 with the list of links and a message.
func (h *adminHandlers) linkMissing(c *gin.Context, v *adminView) {
	v.Errors = nil
	v.Alerts = nil
	v.alert("error", v.L.T("admin_links_not_found"))
	h.showLinks(c, v, http.StatusNotFound)
}
