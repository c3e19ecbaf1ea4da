package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/widget"
)

type linksListPage struct {
	Links []linkRow
}

type linkRow struct {
	booking.Link
	URL string // the public page, as visitors open it
}

// linksList shows the location's widget links with their public addresses.
func (h *adminHandlers) linksList(c *gin.Context) {
	v := h.newAdminView(c)
	h.showLinks(c, v, http.StatusOK)
}

// showLinks renders the list; the 404 of a link that is not the admin's
// uses it too, so the owner lands somewhere useful.
func (h *adminHandlers) showLinks(c *gin.Context, v *adminView, status int) {
	v.Title, v.Section = v.L.T("admin_links_title"), "links"
	p := &linksListPage{}
	if v.Location != nil {
		links, err := h.store.Links(c.Request.Context(), v.Location.ID)
		if err != nil {
			h.serverError(c, err)
			return
		}
		offline := 0
		for _, l := range links {
			p.Links = append(p.Links, linkRow{Link: l, URL: widget.LinkURL(h.baseURL, l.Slug)})
			if l.PaymentMode.Online() && !h.onlineOn() {
				offline++
			}
		}
		// A link set to take payment online while Stripe is not configured
		// (the keys were removed since) turns its clients away: say so.
		if offline > 0 {
			v.alert("error", v.L.N("admin_links_online_off", offline))
		}
	}
	v.Page = p
	h.render(c, status, "admin_links", v)
}
