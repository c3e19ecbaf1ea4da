package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// settingsWaitlistFields are the waitlist and messages form as typed, so a
// refused form comes back exactly as it was sent.
type settingsWaitlistFields struct {
	Mode, ClaimMin, Max, Channel string
	AutoCancel, StaffEmail       bool
}

type settingsWaitlistPage struct {
	Form     settingsWaitlistFields
	Modes    []settingsOption
	Channels []settingsOption
	// The core's limits, stated in the hints and set on the inputs.
	ClaimMinLow, ClaimMinHigh, MaxHigh int
}

// settingsWaitlistPath is the page's address, under the location's settings.
const settingsWaitlistPath = "/admin/location/waitlist"

// settingsWaitlistForm shows the location's waitlist, minimum-attendee and
// message-channel choices.
func (h *adminHandlers) settingsWaitlistForm(c *gin.Context) {
	v := h.settingsView(c, "waitlist", "admin_waitlist_settings_title")
	if !settingsNeedLocation(c, v) {
		return
	}
	l := v.Location
	f := settingsWaitlistFields{
		Mode: string(l.WaitlistMode), ClaimMin: strconv.Itoa(l.WaitlistClaimMin), Max: strconv.Itoa(l.WaitlistMax),
		Channel: string(l.MessageChannel), AutoCancel: l.MinAutoCancel, StaffEmail: l.StaffEmailNotify,
	}
	h.settingsShowWaitlist(c, v, http.StatusOK, f)
}

// settingsSaveWaitlist saves the form through the core, which checks every
// value; numbers that do not parse are refused here, at their field.
func (h *adminHandlers) settingsSaveWaitlist(c *gin.Context) {
	v := h.settingsView(c, "waitlist", "admin_waitlist_settings_title")
	if !settingsNeedLocation(c, v) {
		return
	}
	f := settingsWaitlistFields{
		Mode: c.PostForm("waitlist_mode"), ClaimMin: c.PostForm("waitlist_claim_min"), Max: c.PostForm("waitlist_max"),
		Channel: c.PostForm("message_channel"), AutoCancel: c.PostForm("min_auto_cancel") != "",
		StaffEmail: c.PostForm("staff_email_notify") != "",
	}
	own := booking.FieldErrors{}
	in := booking.WaitlistSettings{
		WaitlistMode:     booking.WaitlistMode(strings.TrimSpace(f.Mode)),
		WaitlistClaimMin: settingsInt(own, "waitlist_claim_min", f.ClaimMin),
		WaitlistMax:      settingsInt(own, "waitlist_max", f.Max),
		MinAutoCancel:    f.AutoCancel,
		MessageChannel:   booking.MessageChannel(strings.TrimSpace(f.Channel)),
		StaffEmailNotify: f.StaffEmail,
	}
	// Nothing is saved while a number is unreadable: the core would see a
	// 0 there and report another problem than the one typed.
	var err error
	if len(own) == 0 {
		err = h.store.SaveWaitlistSettings(c.Request.Context(), v.Location.ID, in)
		if err == nil {
			settingsRedirect(c, settingsWaitlistPath, "saved")
			return
		}
	}
	fe, err := settingsMerge(own, err, nil)
	if err != nil {
		h.serverError(c, err)
		return
	}
	v.fieldErrors(fe)
	h.settingsShowWaitlist(c, v, http.StatusUnprocessableEntity, f)
}

func (h *adminHandlers) settingsShowWaitlist(c *gin.Context, v *adminView, status int, f settingsWaitlistFields) {
	p := &settingsWaitlistPage{
		Form:        f,
		ClaimMinLow: booking.MinWaitlistClaimMin, ClaimMinHigh: booking.MaxWaitlistClaimMin, MaxHigh: booking.MaxWaitlistMax,
	}
	for _, m := range []booking.WaitlistMode{booking.WaitlistInOrder, booking.WaitlistFirstClaim} {
		p.Modes = append(p.Modes, settingsOption{Value: string(m), Label: v.L.T("admin_waitlist_mode_" + string(m))})
	}
	for _, ch := range []booking.MessageChannel{booking.ChannelSMSOnly, booking.ChannelEmailFirst, booking.ChannelBoth} {
		p.Channels = append(p.Channels, settingsOption{Value: string(ch), Label: v.L.T("admin_waitlist_channel_" + string(ch))})
	}
	v.Page = p
	h.settingsRender(c, status, "admin_settings_waitlist", v)
}
