package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

type usersNewPage struct {
	Email, Name string
	Role        booking.Role
	MinPassword int
}

// usersNewForm shows the form for a new admin user.
func (h *adminHandlers) usersNewForm(c *gin.Context) {
	v := h.settingsView(c, "users", "admin_users_new_title")
	h.usersShowNew(c, v, http.StatusOK, &usersNewPage{Role: booking.RoleStaff})
}

// usersCreate adds a user; the core checks the email, the password length
// and the role, and refuses an email that is taken.
func (h *adminHandlers) usersCreate(c *gin.Context) {
	v := h.settingsView(c, "users", "admin_users_new_title")
	p := &usersNewPage{Email: c.PostForm("email"), Name: c.PostForm("name"), Role: booking.Role(c.PostForm("role"))}
	_, err := h.store.CreateUser(c.Request.Context(), p.Email, p.Name, c.PostForm("password"), p.Role)
	if v.fieldErrors(err) {
		// The password is never sent back into the page.
		h.usersShowNew(c, v, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	settingsRedirect(c, "/admin/users", "created")
}

func (h *adminHandlers) usersShowNew(c *gin.Context, v *adminView, status int, p *usersNewPage) {
	p.MinPassword = booking.MinPasswordLen
	v.Page = p
	h.render(c, status, "admin_users_new", v, "admin_settings_main")
}
