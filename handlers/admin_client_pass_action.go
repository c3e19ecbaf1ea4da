package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// clientPassDone maps the ?done= of a redirect after a pass action to its
// message; only these keys show anything.
var clientPassDone = map[string]string{
	"sold": "admin_passes_done_sold", "granted": "admin_passes_done_granted",
	"frozen": "admin_passes_done_frozen", "unfrozen": "admin_passes_done_unfrozen",
	"extended": "admin_passes_done_extended", "corrected": "admin_passes_done_corrected",
	"voided": "admin_passes_done_voided",
}

// clientPassChange is one action on a pass: the message after it, the
// form's typed values (kept when it is refused), the field a refusal
// without a field of its own is shown at, and the core call.
type clientPassChange struct {
	done   string
	values map[string]string
	field  string
	rename map[string]string // core field -> form field
	apply  func(ctx context.Context, t clientPassTarget) error
}

// clientPassTarget is the pass an action changes, with whom it is for.
type clientPassTarget struct {
	ref    booking.PassRef
	userID int64
}

// passDone drops the changed pass a core call returns: the page is
// loaded again after the redirect.
func passDone(_ *booking.ClientPass, err error) error { return err }

// changeClientPass runs an action on a pass of the client in the URL. The
// pass must be among the client's passes at the admin's location: another
// client's or another studio's pass id is answered 404 before the core is
// called (and the core checks the same again). A refusal re-renders the
// client page with the message at the pass's field, 4xx, nothing written.
func (h *adminHandlers) changeClientPass(c *gin.Context, ch clientPassChange) {
	v := h.newAdminView(c)
	p, ok := h.loadClientPage(c, v)
	if !ok {
		return
	}
	pid, err := strconv.ParseInt(c.Param("pid"), 10, 64)
	if err != nil || p.Passes.card(pid) == nil {
		h.clientPassMissing(c, v)
		return
	}
	t := clientPassTarget{ref: booking.PassRef{LocationID: v.Location.ID, ClientID: p.Client.ID, PassID: pid}, userID: v.User.ID}
	err = ch.apply(c.Request.Context(), t)
	if err == nil {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/clients/%d?done=%s#pass-%d", p.Client.ID, ch.done, pid))
		return
	}
	if errors.Is(err, booking.ErrNotFound) {
		h.clientPassMissing(c, v)
		return
	}
	status, fe := clientPassRefusal(err, ch.field, ch.rename)
	if status == http.StatusInternalServerError {
		h.serverError(c, err)
		return
	}
	// Reload: the page must show the pass as it is now.
	v = h.newAdminView(c)
	if p, ok = h.loadClientPage(c, v); !ok {
		return
	}
	card := p.Passes.card(pid)
	if card == nil {
		h.clientPassMissing(c, v)
		return
	}
	card.Errors, card.Values, card.Open = map[string]string{}, ch.values, true
	for k, id := range fe {
		card.Errors[k] = v.L.T(id)
	}
	v.alert("error", v.L.T("admin_fix_errors"))
	h.render(c, status, "admin_clients_show", v)
}

// clientPassRefusal sorts a refused pass action: field errors are 422 at
// their fields; a pass in the wrong state for the action is 409 at field.
func clientPassRefusal(err error, field string, rename map[string]string) (int, booking.FieldErrors) {
	var fe booking.FieldErrors
	if errors.As(err, &fe) {
		out := booking.FieldErrors{}
		for k, id := range fe {
			if r, ok := rename[k]; ok {
				k = r
			}
			out[k] = id
		}
		return http.StatusUnprocessableEntity, out
	}
	// A voided pass shows no forms, so that refusal goes to the pass itself.
	if errors.Is(err, booking.ErrPassVoided) {
		return http.StatusConflict, booking.FieldErrors{"state": "admin_passes_error_voided"}
	}
	for _, s := range []struct {
		err error
		msg string
	}{
		{booking.ErrPassFrozen, "admin_passes_error_frozen"},
		{booking.ErrPassAlreadyFrozen, "admin_passes_error_frozen"},
		{booking.ErrPassNotFrozen, "admin_passes_error_not_frozen"},
	} {
		if errors.Is(err, s.err) {
			return http.StatusConflict, booking.FieldErrors{field: s.msg}
		}
	}
	return http.StatusInternalServerError, nil
}

// clientPassMissing answers 404 on the client page for a pass id that is
// not this client's: the page stays useful, the pass is not there.
func (h *adminHandlers) clientPassMissing(c *gin.Context, v *adminView) {
	if _, ok := v.Page.(*clientsShowPage); !ok {
		h.clientsMissing(c, v)
		return
	}
	v.alert("error", v.L.T("admin_passes_error_not_found"))
	h.render(c, http.StatusNotFound, "admin_clients_show", v)
}
