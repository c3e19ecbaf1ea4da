package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// clientPassSellField maps the core's sale fields to the form's.
var clientPassSellField = map[string]string{"pass_type": "pass_type_id"}

// clientPassSell sells a pass to the client (payment taken at the desk:
// method and amount) or grants it free. An empty amount is the type's
// price. Refused: the form again with each message at its field, 422.
func (h *adminHandlers) clientPassSell(c *gin.Context) {
	v := h.newAdminView(c)
	p, ok := h.loadClientPage(c, v)
	if !ok {
		return
	}
	f := clientSellFields{TypeID: c.PostForm("pass_type_id"), Start: strings.TrimSpace(c.PostForm("start")),
		Method: c.PostForm("method"), Amount: strings.TrimSpace(c.PostForm("amount")), Back: clientSellBack(c.PostForm("back"))}
	own := booking.FieldErrors{}
	in := booking.SellPassInput{LocationID: v.Location.ID, ClientID: p.Client.ID, Start: f.Start, StaffUserID: v.User.ID}
	if f.Start == "" {
		own["start"] = "admin_passes_error_date"
	}
	if id, perr := strconv.ParseInt(f.TypeID, 10, 64); perr == nil && id > 0 {
		in.PassTypeID = id
	} else {
		own["pass_type_id"] = booking.MsgUnknownPassType
	}
	ctx := c.Request.Context()
	var err error
	if f.Method == clientPassFree {
		in.Free = true
	} else {
		in.Method = f.Method
		in.AmountMinor, err = h.clientPassAmount(ctx, v.Location.ID, in.PassTypeID, f.Amount, own)
		if err != nil {
			h.serverError(c, err)
			return
		}
	}
	if len(own) == 0 {
		if _, err = h.store.SellPass(ctx, in); err == nil {
			done := "sold"
			if in.Free {
				done = "granted"
			}
			if f.Back != "" {
				c.Redirect(http.StatusSeeOther, f.Back+"?done="+done+"#gae-clients")
				return
			}
			c.Redirect(http.StatusSeeOther, "/admin/clients/"+strconv.FormatInt(p.Client.ID, 10)+"?done="+done+"#ga-client-passes")
			return
		}
	}
	fe, err := settingsMerge(own, err, clientPassSellField)
	if err != nil {
		h.serverError(c, err)
		return
	}
	v.fieldErrors(fe)
	p.Passes.Sell, p.Passes.SellOpen = f, true
	h.render(c, http.StatusUnprocessableEntity, "admin_clients_show", v)
}

// clientPassAmount reads the amount paid: empty is the pass type's price
// (staff only type an amount when the client paid another one).
func (h *adminHandlers) clientPassAmount(ctx context.Context, locationID, typeID int64, raw string, fe booking.FieldErrors) (int64, error) {
	if raw != "" {
		amount, msg := settingsParsePrice(raw)
		if msg != "" {
			fe["amount"] = "admin_passes_error_amount"
		}
		return amount, nil
	}
	if typeID <= 0 {
		return 0, nil
	}
	pt, err := h.store.PassType(ctx, locationID, typeID)
	if errors.Is(err, booking.ErrNotFound) {
		// An unknown type is the core's to refuse, at its field.
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return pt.PriceMinor, nil
}
