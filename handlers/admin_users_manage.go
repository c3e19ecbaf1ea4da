package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// usersManagePage is one user's page for an owner: a new password, the
// role, and access (active or not).
type usersManagePage struct {
	U           *booking.User
	Self        bool
	LastOwner   bool
	Role        booking.Role
	MinPassword int
}

// usersManage shows one user's controls.
func (h *adminHandlers) usersManage(c *gin.Context) {
	v := h.settingsView(c, "users", "admin_users_manage_title")
	h.usersManageShow(c, v, http.StatusOK, "")
}

// usersSetPassword gives a user a new password (they forgot theirs); the
// owner tells it to them in person. The user is signed out everywhere.
func (h *adminHandlers) usersSetPassword(c *gin.Context) {
	h.usersManageDo(c, func(u *booking.User) (string, error) {
		pw := c.PostForm("password")
		if pw != c.PostForm("repeat") {
			return "", booking.FieldErrors{"repeat": booking.MsgPasswordMismatch}
		}
		return "password_set", h.store.SetPassword(c.Request.Context(), u.ID, pw)
	}, "password")
}

// usersSetRole makes a user an owner or staff.
func (h *adminHandlers) usersSetRole(c *gin.Context) {
	h.usersManageDo(c, func(u *booking.User) (string, error) {
		return "role", h.store.SetRole(c.Request.Context(), u.ID, booking.Role(c.PostForm("role")))
	}, "role")
}

// usersSetActive takes a user's access away (active=0) or gives it back
// (active=1); anything else is a bad request, not a guess.
func (h *adminHandlers) usersSetActive(c *gin.Context) {
	h.usersManageDo(c, func(u *booking.User) (string, error) {
		switch c.PostForm("active") {
		case "0":
			return "deactivated", h.store.SetActive(c.Request.Context(), u.ID, false)
		case "1":
			return "activated", h.store.SetActive(c.Request.Context(), u.ID, true)
		}
		return "", booking.FieldErrors{"active": booking.MsgOutOfRange}
	}, "active")
}

// pathUser loads the user the path's :id names, answering 404 itself for
// an id that is malformed or unknown (500 for other errors).
func (h *adminHandlers) pathUser(c *gin.Context, v *adminView) (*booking.User, bool) {
	id, ok := settingsID(c)
	if !ok {
		h.settingsMissing(c, v, nil)
		return nil, false
	}
	u, err := h.store.User(c.Request.Context(), id)
	if err != nil {
		h.settingsMissing(c, v, err)
		return nil, false
	}
	return u, true
}

// usersManageDo runs one change on the user of the path and answers it:
// field errors re-render the page with 422, the last owner's refusal
// with 409 and the message at the field, success redirects. A change that
// takes the acting owner's own access or role away sends them where they
// may still go.
func (h *adminHandlers) usersManageDo(c *gin.Context, change func(*booking.User) (string, error), field string) {
	v := h.settingsView(c, "users", "admin_users_manage_title")
	u, ok := h.pathUser(c, v)
	if !ok {
		return
	}
	done, err := change(u)
	if errors.Is(err, booking.ErrLastOwner) {
		v.Errors = map[string]string{field: v.L.T(booking.MsgLastOwner)}
		v.alert("error", v.L.T("admin_fix_errors"))
		h.usersManageShow(c, v, http.StatusConflict, booking.Role(c.PostForm("role")))
		return
	}
	if v.fieldErrors(err) {
		h.usersManageShow(c, v, http.StatusUnprocessableEntity, booking.Role(c.PostForm("role")))
		return
	}
	if err != nil {
		h.settingsMissing(c, v, err)
		return
	}
	if u.ID == v.User.ID {
		switch done {
		case "deactivated", "password_set":
			// Their own sessions, this one included, have ended.
			h.setSessionCookie(c, "", -1)
			c.Redirect(http.StatusSeeOther, "/admin/login")
			return
		case "role":
			if booking.Role(c.PostForm("role")) != booking.RoleOwner {
				c.Redirect(http.StatusSeeOther, "/admin")
				return
			}
		}
	}
	settingsRedirect(c, "/admin/users/"+strconv.FormatInt(u.ID, 10), done)
}

// usersManageShow renders the user's page; role keeps a refused choice.
func (h *adminHandlers) usersManageShow(c *gin.Context, v *adminView, status int, role booking.Role) {
	ctx := c.Request.Context()
	u, ok := h.pathUser(c, v)
	if !ok {
		return
	}
	users, err := h.store.Users(ctx)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if role == "" {
		role = u.Role
	}
	v.Page = &usersManagePage{U: u, Self: u.ID == v.User.ID, LastOwner: booking.IsLastOwner(users, u.ID), Role: role, MinPassword: booking.MinPasswordLen}
	h.settingsRender(c, status, "admin_users_manage", v)
}
