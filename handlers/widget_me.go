package handlers

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/notify"
	"groupbook/widget"
)

// "My bookings" (GET /w/:slug/me): the phone form, the code form and the
// client's own page. Nothing about a client is read before the code is
// right, and every answer before it is the same whether or not the phone
// has ever booked.

// widgetMePhonePage is the phone form; Expired turns it into the page
// that says a My bookings link or code form is no longer valid.
type widgetMePhonePage struct {
	Phone    string
	Expired  bool
	StartURL string
}

// widgetMeCodePage is the code form. Token is the signed pending
// confirmation (with the phone inside: it travels only in POST bodies).
type widgetMeCodePage struct {
	Token    string
	Phone    string
	DevCode  string // demo mode only
	Done     bool   // the phone used up its tries: no code field
	StartURL string
}

// widgetMePage is the client's own page.
type widgetMePage struct {
	Upcoming, Past []meBooking
	PastMore       bool
	Passes         []mePass
	Waiting        []meWait
	// Nothing: the phone has nothing here at all.
	Nothing          bool
	BookURL, SelfURL string
	Minutes          int
}

type meBooking struct {
	ID                 int64
	Date, Time         string
	Service, Member    string
	Seats, Visitor     string
	Status, StatusKind string
	ManageURL          string
}

type mePass struct {
	Name, Left, Until, State string
	Active                   bool
}

type meWait struct {
	Date, Time, Service, Member string
	Seats, Place, URL           string
	Offered                     bool
}

// MeURL is the "My bookings" link every widget page shows (the layout),
// keeping the language and the frame; "" where it has no place: on the My
// bookings pages themselves, and on pages without a public link (a
// manage page of bookings staff made, a disabled link).
func (v *widgetView) MeURL() string {
	if v.Link == nil || v.Link.Slug == "" || !v.Link.Enabled {
		return ""
	}
	base := "/w/" + v.Link.Slug + "/me"
	if v.self == base || strings.HasPrefix(v.self, base+"/") {
		return ""
	}
	return v.URL(base)
}

// mePhone shows the phone form.
func (h *widgetHandlers) mePhone(c *gin.Context) {
	link, cat, ok := h.open(c)
	if !ok {
		return
	}
	v := h.newWidgetView(c, link, cat)
	h.showMePhone(c, v, http.StatusOK, "")
}

func (h *widgetHandlers) showMePhone(c *gin.Context, v *widgetView, status int, phone string) {
	v.relink("/w/"+v.Link.Slug+"/me", nil)
	v.Page, v.Title = &widgetMePhonePage{Phone: phone}, v.L.T("me_title")
	h.render(c, status, "widget_me_phone", v)
}

// meStart checks the phone and sends it a code, exactly as the booking's
// confirmation step does (widget.Flow.SendCode: the same limits, counted
// together). The phone is not looked up: a phone nobody booked with gets
// the same code and the same page.
func (h *widgetHandlers) meStart(c *gin.Context) {
	link, cat, ok := h.open(c)
	if !ok {
		return
	}
	v := h.newWidgetView(c, link, cat)
	typed := strings.TrimSpace(c.PostForm("phone"))
	phone, err := booking.NormalizePhone(typed, cat.Location.Country)
	if err != nil {
		id := booking.MsgInvalidPhone
		if typed == "" {
			id = booking.MsgRequired
		}
		v.Errors = map[string]string{"phone": v.L.T(id)}
		v.alert("error", v.L.T("widget_fix_errors"))
		h.showMePhone(c, v, http.StatusUnprocessableEntity, truncateRunes(typed, 32))
		return
	}
	h.meSend(c, v, phone, false)
}

// meSend sends a code (first or again) and answers with the code form,
// or the phone form with the reason no code went out.
func (h *widgetHandlers) meSend(c *gin.Context, v *widgetView, phone string, again bool) {
	err := h.flow.SendCode(c.Request.Context(), h.codes, v.Link, phone, c.ClientIP(), v.Lang)
	var fe booking.FieldErrors
	switch {
	case err == nil && again:
		v.alert("success", v.L.T("widget_verify_resent"))
		h.showMeCode(c, v, http.StatusOK, phone)
	case err == nil:
		v.alert("success", v.L.T("widget_verify_sent"))
		h.showMeCode(c, v, http.StatusOK, phone)
	case errors.Is(err, widget.ErrCodeCooldown) && again:
		v.alert("error", v.L.T("widget_verify_wait", map[string]any{"Seconds": int(widget.CodeCooldown.Seconds())}))
		h.showMeCode(c, v, http.StatusTooManyRequests, phone)
	case errors.Is(err, widget.ErrCodeCooldown):
		// A repeated submit within the cooldown: the code already sent works.
		v.alert("info", v.L.T("widget_verify_sent_recently"))
		h.showMeCode(c, v, http.StatusOK, phone)
	case errors.As(err, &fe):
		v.fieldErrors(fe)
		v.alert("error", v.L.T("widget_fix_errors"))
		h.showMePhone(c, v, http.StatusUnprocessableEntity, phone)
	case errors.Is(err, widget.ErrTooManySends), errors.Is(err, notify.ErrVerifyExhausted):
		h.log.Info("my bookings: code refused", "err", err, "request_id", c.GetString(ctxRequestID))
		v.alert("error", v.L.T("widget_verify_too_many_sends"))
		h.showMePhone(c, v, http.StatusTooManyRequests, phone)
	case errors.Is(err, booking.ErrCodesPaused):
		h.codesPaused(c, v, err)
		v.alert("error", v.L.T("widget_verify_paused"))
		h.showMePhone(c, v, http.StatusServiceUnavailable, phone)
	case errors.Is(err, notify.ErrVerifyInvalidPhone):
		h.log.Info("my bookings: the provider refuses the phone", "err", err, "request_id", c.GetString(ctxRequestID))
		v.Errors = map[string]string{"phone": v.L.T("widget_verify_cannot_send")}
		v.alert("error", v.L.T("widget_fix_errors"))
		h.showMePhone(c, v, http.StatusUnprocessableEntity, phone)
	case errors.Is(err, widget.ErrCodeNotSent):
		h.log.Warn("my bookings: code not sent", "err", err, "request_id", c.GetString(ctxRequestID))
		v.alert("error", v.L.T("widget_verify_unavailable"))
		h.showMePhone(c, v, http.StatusBadGateway, phone)
	default:
		h.serverError(c, err)
	}
}

func (h *widgetHandlers) showMeCode(c *gin.Context, v *widgetView, status int, phone string) {
	token, err := h.flow.SealMePending(v.Link, phone)
	if err != nil {
		h.serverError(c, err)
		return
	}
	v.relink("/w/"+v.Link.Slug+"/me", nil)
	page := &widgetMeCodePage{Token: token, Phone: phone}
	if h.devCodes != nil {
		page.DevCode = h.devCodes(phone)
	}
	v.Page, v.Title = page, v.L.T("me_title")
	h.render(c, status, "widget_me_code", v)
}

// meRefused answers a My bookings token or code form that is no longer
// valid: 410 when it expired, 403 when it is forged or of another link.
// Either way the page only offers to start again.
func (h *widgetHandlers) meRefused(c *gin.Context, v *widgetView, err error) {
	h.log.Info("my bookings: token refused", "err", err, "request_id", c.GetString(ctxRequestID))
	status := http.StatusForbidden
	if errors.Is(err, widget.ErrExpiredToken) {
		status = http.StatusGone
	}
	v.relink("/w/"+v.Link.Slug+"/me", nil)
	v.Page, v.Title = &widgetMePhonePage{Expired: true, StartURL: v.URL("/w/" + v.Link.Slug + "/me")}, v.L.T("me_expired_title")
	h.render(c, status, "widget_me_phone", v)
}

// mePage is the client's own page, opened by the signed token the code
// led to.
func (h *widgetHandlers) mePage(c *gin.Context) {
	link, cat, ok := h.open(c)
	if !ok {
		return
	}
	v := h.newWidgetView(c, link, cat)
	acc, err := h.flow.OpenMe(link, c.Param("token"))
	if err != nil {
		h.meRefused(c, v, err)
		return
	}
	ov, err := h.flow.MyBookings(c.Request.Context(), acc)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := &widgetMePage{
		PastMore: ov.PastMore, BookURL: v.URL("/w/" + link.Slug),
		SelfURL: v.URL(c.Request.URL.Path), Minutes: int(widget.MeTTL / time.Minute),
	}
	for _, b := range ov.Upcoming {
		p.Upcoming = append(p.Upcoming, h.meBookingRow(v, b))
	}
	for _, b := range ov.Past {
		p.Past = append(p.Past, h.meBookingRow(v, b))
	}
	today := h.flow.Now().In(cat.Zone).Format(booking.DateLayout)
	for _, ps := range ov.Passes {
		p.Passes = append(p.Passes, mePassRow(v, ps, today))
	}
	for _, w := range ov.Waiting {
		lt := cat.Local(w.Event.StartsAt)
		row := meWait{
			Date: v.L.DateLong(lt), Time: v.L.Clock(lt), Service: w.Service, Member: w.Member,
			Seats: v.L.N("seats_count", w.Entry.Seats), URL: v.URL("/wl/" + w.Entry.Token),
			Offered: w.Entry.State == booking.WaitOffered,
		}
		if row.Offered {
			row.Place = v.L.T("me_wait_offered")
		} else {
			row.Place = v.L.T("me_wait_place", map[string]any{"Position": w.Position})
		}
		p.Waiting = append(p.Waiting, row)
	}
	p.Nothing = len(p.Upcoming)+len(p.Past)+len(p.Passes)+len(p.Waiting) == 0
	v.Page, v.Title = p, v.L.T("me_title")
	h.render(c, http.StatusOK, "widget_me", v)
}

// meBookingRow is one booking as the page lists it.
func (h *widgetHandlers) meBookingRow(v *widgetView, b booking.OverviewBooking) meBooking {
	lt := v.Cat.Local(b.Event.StartsAt)
	row := meBooking{
		ID: b.ID, Date: v.L.DateLong(lt), Time: v.L.Clock(lt) + "–" + v.L.Clock(v.Cat.Local(b.Event.EndsAt())),
		Service: b.ServiceName, Member: b.MemberName, Seats: v.L.N("seats_count", b.Seats), Visitor: b.VisitorName,
	}
	switch {
	case b.Status == booking.StatusCancelled:
		row.Status, row.StatusKind = v.L.T("me_status_cancelled"), "cancelled"
	case b.Payment == booking.PaymentOnlinePending:
		row.Status, row.StatusKind = v.L.T("me_status_payment_pending"), "pending"
	case b.Status == booking.StatusArrived:
		row.Status, row.StatusKind = v.L.T("me_status_attended"), "attended"
	case b.Status == booking.StatusNoShow:
		row.Status, row.StatusKind = v.L.T("me_status_no_show"), "no-show"
	default:
		row.Status, row.StatusKind = v.L.T("me_status_booked"), "booked"
	}
	if b.GroupToken != "" {
		row.ManageURL = v.URL("/m/" + b.GroupToken)
	}
	return row
}

// mePassRow is one pass with what is left on it and until when.
func mePassRow(v *widgetView, p booking.ClientPass, today string) mePass {
	row := mePass{Name: p.Name, Active: p.Active(today)}
	if p.Unlimited() {
		row.Left = v.L.T("widget_pass_unlimited")
	} else {
		row.Left = v.L.N("widget_pass_left", max(p.Balance, 0))
	}
	if p.ValidUntil != "" {
		if d, err := time.Parse(booking.DateLayout, p.ValidUntil); err == nil {
			row.Until = v.L.T("me_pass_valid_until", map[string]any{"Date": v.L.DateShort(d)})
		}
	}
	switch {
	case p.Frozen():
		row.State = v.L.T("me_pass_frozen")
	case p.Expired(today):
		row.State = v.L.T("me_pass_expired")
	case !p.Unlimited() && p.Balance <= 0:
		row.State = v.L.T("me_pass_used_up")
	case p.StartsOn == "":
		row.State = v.L.T("me_pass_first_use")
	}
	return row
}
