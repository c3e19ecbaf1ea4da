package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/widget"
)

// widgetCancelPage asks "Cancel Tue 8 Dec 18:00?" before a booking is
// cancelled: the second step of the Change menu's Cancel, a plain form so it
// works without JavaScript.
type widgetCancelPage struct {
	Item widgetManageItem
	// Title is the question, naming the booking's date and time.
	Title string
	// Action is where the form posts; Back ("Keep it") returns to the
	// manage page.
	Action, Back string
}

// cancelConfirm is the Change menu's Cancel link: the confirmation page.
func (h *widgetHandlers) cancelConfirm(c *gin.Context) {
	m, v, id, ok := h.openManageBooking(c)
	if !ok {
		return
	}
	h.showCancelConfirm(c, v, m, id)
}

// showCancelConfirm renders the confirmation for booking id of the group;
// an id of another group is a 404, and a booking that can no longer be
// cancelled shows the manage page with the reason (409).
func (h *widgetHandlers) showCancelConfirm(c *gin.Context, v *widgetView, m *widget.Manage, id int64) {
	if _, ok := m.Item(id); !ok {
		h.notFound(c)
		return
	}
	token := m.Reservation.Group.Token
	mp := h.managePage(c, v, m)
	var it widgetManageItem
	for _, x := range mp.Items {
		if x.Booking.ID == id {
			it = x
		}
	}
	if !it.CanCancel {
		switch {
		case it.CancelNote != "":
			v.alert("error", it.CancelNote)
		case it.CancelErr != nil:
			v.alert("error", bookingErrorText(v.L, it.CancelErr, 0))
		default:
			v.alert("error", v.L.T("widget_manage_cancel_later"))
		}
		v.relink("/m/"+token, nil)
		v.Page, v.Title = mp, v.L.T("widget_your_bookings")
		h.render(c, http.StatusConflict, "widget_manage", v)
		return
	}
	// The language switcher re-asks for the same booking.
	v.relink("/m/"+token+"/cancel/"+strconv.FormatInt(id, 10), nil)
	title := v.L.T("widget_manage_cancel_title", map[string]any{"When": whenText(v, it.Event)})
	v.Page, v.Title = &widgetCancelPage{Item: it, Title: title, Action: "/m/" + token + "/cancel", Back: v.URL("/m/" + token)}, title
	c.Header("Cache-Control", "no-store")
	h.render(c, http.StatusOK, "widget_cancel_confirm", v)
}
