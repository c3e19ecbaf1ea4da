package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/twilio/twilio-go/client"

	"groupbook/booking"
)

// maxHookBody bounds a webhook's form; Twilio's status callbacks are a
// few hundred bytes.
const maxHookBody = 64 << 10

// addHookRoutes adds the provider callbacks. Without a Twilio auth token
// there is nothing to check a signature with, so the route does not exist
// rather than accept unsigned reports.
func addHookRoutes(r gin.IRoutes, d Deps) {
	addStripeHook(r, d)
	if d.TwilioAuthToken == "" {
		return
	}
	r.POST("/hooks/twilio/status", twilioStatus(d))
}

// twilioStatus records the delivery reports Twilio posts for the messages
// the outbox worker sent (it gives this URL as each message's
// StatusCallback).
//
// Only the X-Twilio-Signature makes a report trustworthy: an HMAC of the
// URL Twilio called and the posted fields, keyed with the auth token. The
// URL is rebuilt from BaseURL, the public address Twilio was given, since
// behind a proxy the request's own host and scheme are not what Twilio
// signed. A missing or wrong signature gets 403 and changes nothing.
//
// The route needs no exemption from the cross-origin protection: Twilio's
// server-to-server requests carry no Sec-Fetch-Site or Origin header, and
// those pass.
//
// A report for a sid we do not know is answered 204 and ignored: the
// signature proves it is Twilio's, so it concerns a message of the same
// account sent by something else, or one whose send timed out on our side
// (then its sid was never stored). An error status would not make it
// known later, only fill Twilio's debugger with failed callbacks.
func twilioStatus(d Deps) gin.HandlerFunc {
	validator := client.NewRequestValidator(d.TwilioAuthToken)
	return func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxHookBody)
		if err := c.Request.ParseForm(); err != nil {
			c.AbortWithStatus(http.StatusBadRequest)
			return
		}
		params := make(map[string]string, len(c.Request.PostForm))
		for k, v := range c.Request.PostForm {
			params[k] = v[0]
		}
		url := d.BaseURL + c.Request.URL.RequestURI()
		sig := c.GetHeader("X-Twilio-Signature")
		if sig == "" || !validator.Validate(url, params, sig) {
			d.Log.WarnContext(c.Request.Context(), "twilio status: bad signature",
				"signed", sig != "", "url", url, "request_id", RequestID(c))
			c.AbortWithStatus(http.StatusForbidden)
			return
		}
		sid, status := params["MessageSid"], params["MessageStatus"]
		if sid == "" || status == "" {
			c.AbortWithStatus(http.StatusBadRequest)
			return
		}
		err := d.Store.SetDeliveryStatus(c.Request.Context(), sid, status, params["ErrorCode"])
		switch {
		case errors.Is(err, booking.ErrNotFound):
			d.Log.InfoContext(c.Request.Context(), "twilio status: unknown message", "sid", sid, "status", status)
		case err != nil:
			// A 5xx lets Twilio's retry (when configured) try again.
			d.Log.ErrorContext(c.Request.Context(), "twilio status: record", "sid", sid, "err", err, "request_id", RequestID(c))
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		c.Status(http.StatusNoContent)
	}
}
