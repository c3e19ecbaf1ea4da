package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// clientsLimit caps one result list; a longer query narrows it.
const clientsLimit = 50

type clientsSearchPage struct {
	Query   string
	Clients []clientsResultRow
	More    bool // there were more than Max matches
	Max     int
	// New is the new client form as typed; NewOpen opens it (refused).
	New     booking.ClientInput
	NewOpen bool
}

type clientsResultRow struct {
	booking.ClientSummary
	Name, PhoneText, URL string
}

// clientsSearch finds clients by phone or name. htmx searches as the staff
// member types and swaps only the results; the same URL without JS (or on
// reload) renders the whole page.
func (h *adminHandlers) clientsSearch(c *gin.Context) {
	v := h.newAdminView(c)
	p := &clientsSearchPage{Query: strings.TrimSpace(c.Query("q")), Max: clientsLimit}
	if v.Location != nil {
		found, more, err := h.store.SearchClients(c.Request.Context(), v.Location.ID, p.Query, clientsLimit)
		if v.fieldErrors(err) {
			h.showClients(c, v, p, http.StatusBadRequest)
			return
		}
		if err != nil {
			h.serverError(c, err)
			return
		}
		p.More = more
		for _, cl := range found {
			p.Clients = append(p.Clients, clientsResultRow{
				ClientSummary: cl, Name: clientsName(&cl.Client),
				PhoneText: booking.FormatPhone(cl.Phone), URL: "/admin/clients/" + idString(cl.ID),
			})
		}
	}
	h.showClients(c, v, p, http.StatusOK)
}

func (h *adminHandlers) showClients(c *gin.Context, v *adminView, p *clientsSearchPage, status int) {
	v.Title, v.Section, v.Page = v.L.T("admin_clients_title"), "clients", p
	if strings.HasSuffix(c.GetHeader("HX-Target"), "#admin-clients-results") {
		h.render(c, status, "admin_clients", v, "admin_clients_results")
		return
	}
	h.render(c, status, "admin_clients", v)
}
