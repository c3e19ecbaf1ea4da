package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

type settingsLocationPage struct {
	Form      booking.LocationInput
	New       bool // no location yet: saving creates it
	Zones     []settingsOptGroup
	Countries []settingsOption
	Languages []settingsOption
}

// settingsLocationForm shows the studio's settings; on a fresh install,
// an empty form that creates the location.
func (h *adminHandlers) settingsLocationForm(c *gin.Context) {
	v := h.settingsView(c, "location", "admin_settings_location_title")
	in := booking.LocationInput{DefaultLang: v.Lang}
	if l := v.Location; l != nil {
		in = booking.LocationInput{
			Name: l.Name, Address: l.Address, Phone: l.Phone, TimeZone: l.TimeZone, Country: l.Country, DefaultLang: l.DefaultLang,
			AnyMemberAnyService: l.AnyMemberAnyService,
		}
	}
	h.settingsShowLocation(c, v, http.StatusOK, in)
}

// settingsSaveLocation creates or updates the location; the core checks
// the zone, country and language.
func (h *adminHandlers) settingsSaveLocation(c *gin.Context) {
	v := h.settingsView(c, "location", "admin_settings_location_title")
	in := booking.LocationInput{
		Name: c.PostForm("name"), Address: c.PostForm("address"), Phone: c.PostForm("phone"),
		TimeZone: c.PostForm("time_zone"), Country: c.PostForm("country"), DefaultLang: c.PostForm("default_lang"),
		// An unticked box sends nothing: off.
		AnyMemberAnyService: c.PostForm("any_member_any_service") != "",
	}
	var err error
	if v.Location == nil {
		_, err = h.store.CreateLocation(c.Request.Context(), in)
	} else {
		_, err = h.store.UpdateLocation(c.Request.Context(), v.Location.ID, in)
	}
	if v.fieldErrors(err) {
		h.settingsShowLocation(c, v, http.StatusUnprocessableEntity, in)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	settingsRedirect(c, "/admin/location", "saved")
}

func (h *adminHandlers) settingsShowLocation(c *gin.Context, v *adminView, status int, in booking.LocationInput) {
	v.Page = &settingsLocationPage{
		Form: in, New: v.Location == nil,
		Zones:     settingsZoneChoices(v.L, h.store.Clock(), in.TimeZone),
		Countries: settingsCountryChoices(v.Lang, in.Country),
		Languages: h.settingsLanguageChoices(),
	}
	h.settingsRender(c, status, "admin_settings_location", v)
}
