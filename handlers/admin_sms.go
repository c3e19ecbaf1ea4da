package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// smsPage is the SMS settings form, what the limits held back, and the
// messages that could not be sent.
type smsPage struct {
	Settings booking.SMSSettings
	Hours    string // as typed, shown back after an error
	// Countries names the countries phone numbers are taken from now.
	Countries  string
	Suppressed []smsSuppressedLine
	Failed     []smsLine
}

// smsSuppressedLine is one reason messages were held back, with counts.
type smsSuppressedLine struct {
	Reason    string
	Day, Week int
}

// smsSettingsPage shows the location's SMS settings and failed messages.
func (h *adminHandlers) smsSettingsPage(c *gin.Context) {
	v := h.newAdminView(c)
	if v.Location == nil {
		c.Redirect(http.StatusSeeOther, "/admin/location")
		return
	}
	st, err := h.store.SMSSettings(c.Request.Context(), v.Location.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if c.Query("done") == "saved" {
		v.alert("success", v.L.T("admin_saved"))
	}
	p := &smsPage{Settings: *st, Hours: strconv.Itoa(st.ReminderHours)}
	p.Settings.PhoneCountries = strings.ReplaceAll(st.PhoneCountries, ",", ", ")
	h.showSMS(c, v, http.StatusOK, p)
}

// smsSettingsSave saves the settings (errors at their fields, nothing
// written).
func (h *adminHandlers) smsSettingsSave(c *gin.Context) {
	v := h.newAdminView(c)
	if v.Location == nil {
		c.Redirect(http.StatusSeeOther, "/admin/location")
		return
	}
	p := &smsPage{Hours: strings.TrimSpace(c.PostForm("reminder_hours"))}
	hours, err := strconv.Atoi(p.Hours)
	if err != nil {
		hours = -1 // the core reports it at the field
	}
	p.Settings = booking.SMSSettings{
		LocationID: v.Location.ID, Enabled: c.PostForm("enabled") == "on",
		ReminderHours: hours, Sender: strings.TrimSpace(c.PostForm("sender")),
		PhoneCountries: strings.TrimSpace(c.PostForm("phone_countries")),
	}
	typed := p.Settings.PhoneCountries
	if err := h.store.SaveSMSSettings(c.Request.Context(), &p.Settings); err != nil {
		if !v.fieldErrors(err) {
			h.serverError(c, err)
			return
		}
		p.Settings.PhoneCountries = typed
		h.showSMS(c, v, http.StatusUnprocessableEntity, p)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/sms?done=saved")
}

func (h *adminHandlers) showSMS(c *gin.Context, v *adminView, status int, p *smsPage) {
	ctx := c.Request.Context()
	if err := h.codePauseAlert(c, v); err != nil {
		h.serverError(c, err)
		return
	}
	saved, err := h.store.SMSSettings(ctx, v.Location.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	names := make([]string, 0)
	for _, code := range saved.AllowedCountries(v.Location.Country) {
		names = append(names, countryName(v.Lang, code))
	}
	p.Countries = strings.Join(names, ", ")
	counts, err := h.store.SuppressedCounts(ctx, v.Location.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	limits := h.store.ActiveSMSLimits()
	for _, n := range counts {
		p.Suppressed = append(p.Suppressed, smsSuppressedLine{Reason: suppressedReason(v, limits, n.Reason), Day: n.Day, Week: n.Week})
	}
	failed, err := h.store.FailedMessages(ctx, v.Location.ID, 50)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p.Failed = smsLines(v, limits, failed)
	v.Page, v.Section, v.Title = p, "sms", v.L.T("admin_sms_title")
	h.render(c, status, "admin_sms", v)
}
