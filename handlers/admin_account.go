package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// accountPage is "My account": every signed-in user, staff too, can
// change their own password here.
type accountPage struct {
	MinPassword int
}

// registerAccount adds the signed-in user's own account page; the group
// is staff's (any signed-in user).
func (h *adminHandlers) registerAccount(g *gin.RouterGroup) {
	g.GET("/account", h.accountShow)
	g.POST("/account/password", h.accountPassword)
}

func (h *adminHandlers) accountShow(c *gin.Context) {
	v := h.settingsView(c, "account", "admin_account_title")
	h.accountRender(c, v, http.StatusOK)
}

// accountPassword changes the user's own password. The current password
// is asked for so a borrowed, unlocked browser cannot take the account
// over; the user's other sessions end, this one stays.
func (h *adminHandlers) accountPassword(c *gin.Context) {
	v := h.settingsView(c, "account", "admin_account_title")
	pw := c.PostForm("password")
	var err error
	if pw != c.PostForm("repeat") {
		// Checked before the core so a typo never becomes the password.
		err = booking.FieldErrors{"repeat": booking.MsgPasswordMismatch}
	} else {
		sess, _ := c.Get(ctxSession)
		s, _ := sess.(*booking.Session)
		err = h.store.ChangePassword(c.Request.Context(), v.User.ID, s.ID, c.PostForm("current"), pw)
	}
	if v.fieldErrors(err) {
		h.accountRender(c, v, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	settingsRedirect(c, "/admin/account", "password_changed")
}

func (h *adminHandlers) accountRender(c *gin.Context, v *adminView, status int) {
	v.Page = &accountPage{MinPassword: booking.MinPasswordLen}
	h.settingsRender(c, status, "admin_account", v)
}
