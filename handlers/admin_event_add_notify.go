package handlers

import (
	"context"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// The add form's "send the client a message" box. Staff booking a client
// who stands at the desk often want no confirmation or reminder sent, so
// the box can be unticked; each user's last choice is remembered
// (booking.User.DeskClientMessages) and starts the next form.

// deskNotifyLabel names the box after how the location reaches clients:
// SMS only, or a confirmation that may go by e-mail. "" when the location
// sends clients nothing, so there is nothing to turn off.
func (h *adminHandlers) deskNotifyLabel(ctx context.Context, v *adminView) (string, error) {
	loc := v.Location
	st, err := h.store.SMSSettings(ctx, loc.ID)
	if err != nil {
		return "", err
	}
	switch {
	case loc.MessageChannel.Valid() && loc.MessageChannel != booking.ChannelSMSOnly:
		return v.L.T("admin_event_add_notify_message"), nil
	case st.Enabled:
		return v.L.T("admin_event_add_notify_sms"), nil
	default:
		return "", nil
	}
}

// deskAddForm is a fresh add form with the box as the user left it.
func (h *adminHandlers) deskAddForm(ctx context.Context, v *adminView) (*eventAddForm, error) {
	f := newEventAddForm()
	f.Notify = v.User == nil || v.User.DeskClientMessages
	var err error
	f.NotifyLabel, err = h.deskNotifyLabel(ctx, v)
	return f, err
}

// rememberDeskNotify saves the submitted box as the user's choice when the
// form showed it and the choice changed; the request's user follows, so a
// form rendered after the booking starts from it too.
func (h *adminHandlers) rememberDeskNotify(c *gin.Context, f *eventAddForm) error {
	u := currentUser(c)
	if !f.NotifyShown || u == nil || u.DeskClientMessages == f.Notify {
		return nil
	}
	if err := h.store.SetDeskClientMessages(c.Request.Context(), u.ID, f.Notify); err != nil {
		return err
	}
	u.DeskClientMessages = f.Notify
	return nil
}
