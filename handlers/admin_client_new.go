package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// clientNew adds a client who has not booked yet (or finds the one with
// that phone) and opens their page with the sale form, so the desk can
// sell a pass to a newcomer. Refused: the clients page with the form and
// each message at its field, 422, nothing written.
func (h *adminHandlers) clientNew(c *gin.Context) {
	v := h.newAdminView(c)
	p := &clientsSearchPage{Max: clientsLimit, NewOpen: true, New: booking.ClientInput{
		Phone: c.PostForm("phone"), FirstName: c.PostForm("first_name"), LastName: c.PostForm("last_name"),
	}}
	if v.Location == nil {
		h.clientsMissing(c, v)
		return
	}
	in := p.New
	e164, err := booking.NormalizePhone(in.Phone, v.Location.Country)
	if err != nil {
		// The core only takes a normalised number; what was typed is
		// refused here, with the core's own messages.
		msg := booking.MsgInvalidPhone
		if strings.TrimSpace(in.Phone) == "" {
			msg = booking.MsgRequired
		}
		v.fieldErrors(booking.FieldErrors{"phone": msg})
		h.showClients(c, v, p, http.StatusUnprocessableEntity)
		return
	}
	in.Phone = e164
	cl, err := h.store.EnsureClient(c.Request.Context(), v.Location.ID, in)
	if v.fieldErrors(err) {
		h.showClients(c, v, p, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/clients/"+strconv.FormatInt(cl.ID, 10)+"?sell=1#ga-sell")
}
