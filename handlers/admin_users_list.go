package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// usersRow is a user with how many live sessions they have.
type usersRow struct {
	booking.User
	Sessions int
	Self     bool
}

type usersPage struct {
	Users []usersRow
}

// usersList lists everyone who can sign in to the admin.
func (h *adminHandlers) usersList(c *gin.Context) {
	v := h.settingsView(c, "users", "admin_users_title")
	ctx := c.Request.Context()
	users, err := h.store.Users(ctx)
	if err != nil {
		h.serverError(c, err)
		return
	}
	live, err := h.store.LiveSessions(ctx)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := &usersPage{}
	for _, u := range users {
		p.Users = append(p.Users, usersRow{User: u, Sessions: live[u.ID], Self: u.ID == v.User.ID})
	}
	v.Page = p
	h.render(c, http.StatusOK, "admin_users", v, "admin_settings_main")
}

// usersSignOut ends every session of a user ("sign out everywhere"), e.g.
// after a lost phone. Access stays: the user can sign in again with the
// password. Signing oneself out everywhere ends this session too, so it
// goes to the sign-in page.
func (h *adminHandlers) usersSignOut(c *gin.Context) {
	v := h.settingsView(c, "users", "admin_users_title")
	ctx := c.Request.Context()
	u, ok := h.pathUser(c, v)
	if !ok {
		return
	}
	if err := h.store.EndUserSessions(ctx, u.ID); err != nil {
		h.serverError(c, err)
		return
	}
	if u.ID == v.User.ID {
		h.setSessionCookie(c, "", -1)
		c.Redirect(http.StatusSeeOther, "/admin/login")
		return
	}
	settingsRedirect(c, "/admin/users", "signed_out")
}
