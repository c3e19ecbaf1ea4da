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
		for _, l := range links {
			p.Links = append(p.Links, linkRow{Link: l, URL: widget.LinkURL(h.baseURL, l.Slug)})
		}
	}
	v.Page = p
	h.render(c, status, "admin_links", v)
}
