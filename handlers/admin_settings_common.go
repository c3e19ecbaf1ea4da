package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// settingsDone maps the ?done= of a redirect after a successful POST to the
// message shown on the page it lands on. Only these keys show anything, so
// the parameter cannot be used to put text of one's own on the page.
var settingsDone = map[string]string{
	"saved":      "admin_saved",
	"created":    "admin_settings_done_created",
	"archived":   "admin_settings_done_archived",
	"restored":   "admin_settings_done_restored",
	"signed_out": "admin_users_done_signed_out",
	// Accounts (issue 14).
	"password_changed": "admin_account_done_password",
	"password_set":     "admin_users_done_password",
	"activated":        "admin_users_done_activated",
	"deactivated":      "admin_users_done_deactivated",
	"role":             "admin_users_done_role",
}

// settingsView is the admin view of a settings or users page, with the
// success message of the action that redirected here, if any.
func (h *adminHandlers) settingsView(c *gin.Context, section, titleID string) *adminView {
	v := h.newAdminView(c)
	v.Section, v.Title = section, v.L.T(titleID)
	if id, ok := settingsDone[c.Query("done")]; ok {
		v.alert("success", v.L.T(id))
	}
	return v
}

// settingsRender renders a page; htmx requests get the alerts with the
// content (the layout keeps the alerts outside "content"), so a boosted
// form shows its errors and success messages too.
func (h *adminHandlers) settingsRender(c *gin.Context, status int, page string, v *adminView) {
	h.render(c, status, page, v, "admin_settings_main")
}

// settingsRedirect answers a successful POST with 303 to a page, so a
// reload never repeats the change (htmx follows it and pushes the URL).
func settingsRedirect(c *gin.Context, path, done string) {
	c.Redirect(http.StatusSeeOther, path+"?done="+done)
}

// settingsNeedLocation sends the owner to the location settings while the
// install has no location yet (right after "admin create"): services and
// team members belong to one.
func settingsNeedLocation(c *gin.Context, v *adminView) bool {
	if v.Location != nil {
		return true
	}
	c.Redirect(http.StatusSeeOther, "/admin/location")
	return false
}

// settingsID reads the :id of the path; anything but a positive number is
// a page that does not exist.
func settingsID(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	return id, err == nil && id > 0
}

// settingsMissing answers 404 for an id that does not exist or belongs to
// another location (the two are indistinguishable on purpose), and 500 for
// any other error.
func (h *adminHandlers) settingsMissing(c *gin.Context, v *adminView, err error) {
	if err != nil && !errors.Is(err, booking.ErrNotFound) {
		h.serverError(c, err)
		return
	}
	v.Title = v.L.T("admin_settings_missing_title")
	h.settingsRender(c, http.StatusNotFound, "admin_settings_missing", v)
}

// settingsMerge adds the core's validation errors to the form's own
// (numbers that did not parse); the form's win, being about what was typed.
// rename maps a core field to the form field that shows it.
func settingsMerge(own booking.FieldErrors, err error, rename map[string]string) (booking.FieldErrors, error) {
	var fe booking.FieldErrors
	if err != nil && !errors.As(err, &fe) {
		return nil, err
	}
	for k, id := range fe {
		if r, ok := rename[k]; ok {
			k = r
		}
		if _, taken := own[k]; !taken {
			own[k] = id
		}
	}
	return own, nil
}
