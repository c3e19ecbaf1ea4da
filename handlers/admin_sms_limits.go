package handlers

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"groupbook/booking"
)

// codePauseAlert tells staff, on the admin home and SMS pages, that the
// install-wide breaker holds confirmation codes back: clients of links
// with SMS confirmation cannot book online meanwhile.
func (h *adminHandlers) codePauseAlert(c *gin.Context, v *adminView) error {
	p, err := h.store.CodesPaused(c.Request.Context())
	if err != nil || !p.Active() {
		return err
	}
	when := func(t time.Time) string {
		if v.Location != nil {
			t = t.In(v.Location.Zone())
		}
		return v.L.DateShort(t) + " " + v.L.Clock(t)
	}
	v.alert("error", v.L.T("admin_sms_codes_paused", map[string]any{
		"Since": when(p.Since), "Until": when(p.Until), "Sends": p.Sends,
		"Window": v.L.N("minutes_count", int(p.Window.Minutes()), map[string]any{"Count": int(p.Window.Minutes())}),
	}))
	return nil
}

// suppressedReason says in the admin's language why a message was held
// back: the limit it would have passed, or the country it was for.
func suppressedReason(v *adminView, limits booking.SMSLimits, reason string) string {
	if code, ok := strings.CutPrefix(reason, "country:"); ok {
		return v.L.T("admin_sms_reason_country", map[string]any{"Country": countryName(v.Lang, code)})
	}
	parts := strings.Split(reason, ":")
	if len(parts) == 3 && parts[0] == "limit" {
		if n := limits.Limit(parts[1], parts[2]); n > 0 {
			return v.L.T("admin_sms_reason_"+parts[1]+"_"+parts[2], map[string]any{"Limit": n})
		}
	}
	return reason
}

// countryName names an ISO country in lang (from CLDR via x/text), or
// returns the code when it has no name.
func countryName(lang, code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.Regions(language.Make(lang)).Name(r); n != "" {
		return n
	}
	return code
}
