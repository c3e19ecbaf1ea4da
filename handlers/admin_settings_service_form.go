package handlers

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
)

// settingsServiceFields are the service form as typed, so a refused form comes
// back exactly as it was sent.
type settingsServiceFields struct {
	Name, Category, Duration, Capacity, Price, Currency, Color string
	Online                                                     bool
	// MinAttendees (empty: none) and MinDecideHours are the minimum a
	// class needs to run and when that is decided.
	MinAttendees, MinDecideHours string
}

type settingsServicePage struct {
	Service    *booking.Service // nil for a new one
	Form       settingsServiceFields
	Currencies []settingsOption
	Categories []string // the location's categories, offered as suggestions
	// The core's limits of the decision time, stated in its hint.
	DecideDefault, DecideMax int
}

// settingsPriceField: the core checks price_minor, the form has price.
var settingsPriceField = map[string]string{"price_minor": "price"}

// settingsDefaultColor is a new service's colour in the schedule.
const settingsDefaultColor = "#2a6df4"

// settingsServiceForm shows the form for a new service or an existing one.
func (h *adminHandlers) settingsServiceForm(c *gin.Context) {
	v := h.settingsView(c, "services", "admin_settings_service_new_title")
	svc, ok := h.settingsLoadService(c, v)
	if !ok {
		return
	}
	f := settingsServiceFields{
		Duration: "60", Capacity: "10", Price: "0", Currency: settingsDefaultCurrency(v.Location), Color: settingsDefaultColor, Online: true,
		MinAttendees: "0", MinDecideHours: strconv.Itoa(booking.DefaultMinDecideHours),
	}
	if svc != nil {
		f = settingsServiceFields{
			Name: svc.Name, Category: svc.Category, Duration: strconv.Itoa(svc.DurationMin),
			Capacity: strconv.Itoa(svc.DefaultCapacity), Price: settingsPriceInput(svc.PriceMinor),
			Currency: svc.Currency, Color: svc.Color, Online: svc.OnlineBooking,
			MinAttendees: strconv.Itoa(svc.MinAttendees), MinDecideHours: strconv.Itoa(svc.MinDecideHours),
		}
	}
	h.settingsShowService(c, v, http.StatusOK, svc, f)
}

// settingsSaveService parses the form, shows every problem at its field
// (the form's own and the core's, together), and saves only a clean form.
func (h *adminHandlers) settingsSaveService(c *gin.Context) {
	v := h.settingsView(c, "services", "admin_settings_service_new_title")
	svc, ok := h.settingsLoadService(c, v)
	if !ok {
		return
	}
	f := settingsServiceFields{
		Name: c.PostForm("name"), Category: c.PostForm("category"), Duration: c.PostForm("duration_min"),
		Capacity: c.PostForm("default_capacity"), Price: c.PostForm("price"), Currency: c.PostForm("currency"),
		Color: c.PostForm("color"), Online: c.PostForm("online_booking") != "",
		MinAttendees: c.PostForm("min_attendees"), MinDecideHours: c.PostForm("min_decide_hours"),
	}
	in, own := f.input()
	fe, err := settingsMerge(own, booking.ValidateService(in), settingsPriceField)
	if err == nil && len(fe) == 0 {
		ctx, done := c.Request.Context(), "saved"
		if svc == nil {
			_, err = h.store.CreateService(ctx, v.Location.ID, in)
			done = "created"
		} else {
			_, err = h.store.UpdateService(ctx, svc.ID, in)
		}
		if err == nil {
			settingsRedirect(c, "/admin/services", done)
			return
		}
		fe, err = settingsMerge(booking.FieldErrors{}, err, settingsPriceField)
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	v.fieldErrors(fe)
	h.settingsShowService(c, v, http.StatusUnprocessableEntity, svc, f)
}

// input converts the typed form for the core; the numbers that do not
// parse are reported here, since the core only ever sees numbers.
func (f settingsServiceFields) input() (booking.ServiceInput, booking.FieldErrors) {
	fe := booking.FieldErrors{}
	in := booking.ServiceInput{
		Name: f.Name, Category: f.Category, Currency: f.Currency, Color: f.Color, OnlineBooking: f.Online,
		DurationMin:     settingsInt(fe, "duration_min", f.Duration),
		DefaultCapacity: settingsInt(fe, "default_capacity", f.Capacity),
		MinAttendees:    settingsOptionalInt(fe, "min_attendees", f.MinAttendees),
		MinDecideHours:  settingsOptionalInt(fe, "min_decide_hours", f.MinDecideHours),
	}
	var msg string
	if in.PriceMinor, msg = settingsParsePrice(f.Price); msg != "" {
		fe["price"] = msg
	}
	return in, fe
}

// settingsInt reads a whole number typed into a form field.
func settingsInt(fe booking.FieldErrors, field, s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		fe[field] = booking.MsgRequired
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		fe[field] = "admin_settings_error_whole_number"
		return 0
	}
	return n
}

// settingsOptionalInt reads a whole number that may be left empty: 0, which
// the core reads as "no minimum" or "the default decision time".
func settingsOptionalInt(fe booking.FieldErrors, field, s string) int {
	if strings.TrimSpace(s) == "" {
		return 0
	}
	return settingsInt(fe, field, s)
}

// settingsLoadService loads the service of the :id in the path, if any,
// only from this location; it has answered when ok is false.
func (h *adminHandlers) settingsLoadService(c *gin.Context, v *adminView) (*booking.Service, bool) {
	svc, ok := settingsLoad(h, c, v, h.store.LocationService)
	if ok && svc != nil {
		v.Title = v.L.T("admin_settings_service_edit_title", map[string]any{"Name": svc.Name})
	}
	return svc, ok
}

// settingsLoad loads the thing of the :id in the path through load, which
// only finds it at this location. Without an :id (a "new" form) it gives
// nil and ok; an id that is not there answers 404 and gives ok false.
func settingsLoad[T any](h *adminHandlers, c *gin.Context, v *adminView, load func(context.Context, int64, int64) (*T, error)) (*T, bool) {
	if !settingsNeedLocation(c, v) {
		return nil, false
	}
	if c.Param("id") == "" {
		return nil, true
	}
	id, ok := settingsID(c)
	if !ok {
		h.settingsMissing(c, v, nil)
		return nil, false
	}
	x, err := load(c.Request.Context(), v.Location.ID, id)
	if err != nil {
		h.settingsMissing(c, v, err)
		return nil, false
	}
	return x, true
}

func (h *adminHandlers) settingsShowService(c *gin.Context, v *adminView, status int, svc *booking.Service, f settingsServiceFields) {
	p := &settingsServicePage{
		Service: svc, Form: f, Currencies: settingsCurrencyChoices(strings.ToUpper(strings.TrimSpace(f.Currency))),
		DecideDefault: booking.DefaultMinDecideHours, DecideMax: booking.MaxMinDecideHours,
	}
	all, err := h.store.Services(c.Request.Context(), v.Location.ID, true)
	if err != nil {
		h.serverError(c, err)
		return
	}
	for _, s := range all {
		if s.Category != "" && !slices.Contains(p.Categories, s.Category) {
			p.Categories = append(p.Categories, s.Category)
		}
	}
	slices.Sort(p.Categories)
	v.Page = p
	h.settingsRender(c, status, "admin_settings_service_form", v)
}
