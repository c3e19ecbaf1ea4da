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

// passTypeFields are the pass type form as typed, so a refused form comes
// back exactly as it was sent.
type passTypeFields struct {
	Name, Kind, Visits, ValidityDays, ValidFrom, Price string
	ServiceIDs                                         []int64
	Online, Archived                                   bool
}

// passServiceOption is one checkbox of the services a pass type covers.
type passServiceOption struct {
	ID      int64
	Name    string
	Checked bool
}

type passTypeFormPage struct {
	ID          int64 // 0 for a new pass type
	Action      string
	WasArchived bool // the stored type is archived
	Form        passTypeFields
	Kinds       []settingsOption
	ValidFroms  []settingsOption
	Services    []passServiceOption
	Currency    string
}

// passTypeField maps the core's field names to the form's.
var passTypeField = map[string]string{"price_minor": "price", "currency": "price", "services": "service_ids"}

// passTypeForm shows the form for a new pass type or an existing one.
func (h *adminHandlers) passTypeForm(c *gin.Context) {
	v := h.settingsView(c, "passes", "admin_passes_new_title")
	pt, ok := h.passTypeLoad(c, v)
	if !ok {
		return
	}
	f := passTypeFields{Kind: booking.PassVisits, Visits: "10", ValidityDays: "90", ValidFrom: booking.ValidFromSale, Price: "0"}
	if pt != nil {
		f = passTypeFields{
			Name: pt.Name, Kind: pt.Kind, ValidityDays: strconv.Itoa(pt.ValidityDays), ValidFrom: pt.ValidFrom,
			Price: settingsPriceInput(pt.PriceMinor), ServiceIDs: pt.ServiceIDs, Online: pt.OnSaleOnline, Archived: pt.Archived,
		}
		if pt.Kind == booking.PassVisits {
			f.Visits = strconv.Itoa(pt.Visits)
		}
	}
	h.passTypeShow(c, v, http.StatusOK, pt, f)
}

// passTypeSave parses the form, shows every problem at its field (the
// form's own and the core's together), and saves only a clean form.
func (h *adminHandlers) passTypeSave(c *gin.Context) {
	v := h.settingsView(c, "passes", "admin_passes_new_title")
	pt, ok := h.passTypeLoad(c, v)
	if !ok {
		return
	}
	f := passTypeFields{
		Name: c.PostForm("name"), Kind: c.PostForm("kind"), Visits: c.PostForm("visits"),
		ValidityDays: c.PostForm("validity_days"), ValidFrom: c.PostForm("valid_from"), Price: c.PostForm("price"),
		Online: c.PostForm("on_sale_online") != "", Archived: c.PostForm("archived") != "",
	}
	own := booking.FieldErrors{}
	for _, s := range c.PostFormArray("service_ids") {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			own["service_ids"] = "admin_passes_error_service"
			continue
		}
		f.ServiceIDs = append(f.ServiceIDs, id)
	}
	ctx := c.Request.Context()
	currency, err := h.passCurrency(ctx, v.Location, pt)
	if err != nil {
		h.serverError(c, err)
		return
	}
	in := f.input(own, currency)
	if len(own) == 0 {
		done := "saved"
		var saved *booking.PassType
		if pt == nil {
			saved, err = h.store.CreatePassType(ctx, v.Location.ID, in)
			done = "created"
		} else {
			saved, err = h.store.UpdatePassType(ctx, v.Location.ID, pt.ID, in)
		}
		if err == nil && saved.Archived != f.Archived {
			err = h.store.ArchivePassType(ctx, v.Location.ID, saved.ID, f.Archived)
		}
		if err == nil {
			settingsRedirect(c, "/admin/passes", done)
			return
		}
	}
	fe, err := settingsMerge(own, err, passTypeField)
	if err != nil {
		h.settingsMissing(c, v, err) // 404 for a type gone meanwhile, else 500
		return
	}
	v.fieldErrors(fe)
	h.passTypeShow(c, v, http.StatusUnprocessableEntity, pt, f)
}

// input converts the typed form for the core; numbers that do not parse
// are reported here, since the core only ever sees numbers.
func (f passTypeFields) input(fe booking.FieldErrors, currency string) booking.PassTypeInput {
	in := booking.PassTypeInput{
		Name: f.Name, Kind: f.Kind, ValidFrom: f.ValidFrom, Currency: currency,
		OnSaleOnline: f.Online, ServiceIDs: f.ServiceIDs,
		ValidityDays: settingsInt(fe, "validity_days", f.ValidityDays),
	}
	// An unlimited pass counts no visits: the field is ignored, whatever
	// it holds.
	if f.Kind != booking.PassUnlimited {
		in.Visits = settingsInt(fe, "visits", f.Visits)
	}
	var msg string
	if in.PriceMinor, msg = settingsParsePrice(f.Price); msg != "" {
		fe["price"] = msg
	}
	return in
}

// passTypeLoad loads the pass type of the :id in the path, if any, only
// from this location; it has answered when ok is false.
func (h *adminHandlers) passTypeLoad(c *gin.Context, v *adminView) (*booking.PassType, bool) {
	pt, ok := settingsLoad(h, c, v, h.store.PassType)
	if ok && pt != nil {
		v.Title = v.L.T("admin_passes_edit_title", map[string]any{"Name": pt.Name})
	}
	return pt, ok
}

// passCurrency is the currency a pass type's price is in: the stored
// type's own, else the location's, which is the one its services are
// priced in (the location has no currency of its own), else the country's.
func (h *adminHandlers) passCurrency(ctx context.Context, loc *booking.Location, pt *booking.PassType) (string, error) {
	if pt != nil && pt.Currency != "" {
		return pt.Currency, nil
	}
	svcs, err := h.store.Services(ctx, loc.ID, false)
	if err != nil {
		return "", err
	}
	for _, s := range svcs {
		if s.Currency != "" {
			return s.Currency, nil
		}
	}
	return settingsDefaultCurrency(loc), nil
}

func (h *adminHandlers) passTypeShow(c *gin.Context, v *adminView, status int, pt *booking.PassType, f passTypeFields) {
	ctx := c.Request.Context()
	currency, err := h.passCurrency(ctx, v.Location, pt)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := &passTypeFormPage{Action: "/admin/passes/new", Form: f, Currency: strings.ToUpper(currency),
		Kinds: []settingsOption{
			{Value: booking.PassVisits, Label: v.L.T("admin_passes_kind_visits")},
			{Value: booking.PassUnlimited, Label: v.L.T("admin_passes_kind_unlimited")},
		},
		ValidFroms: []settingsOption{
			{Value: booking.ValidFromSale, Label: v.L.T("admin_passes_valid_from_sale")},
			{Value: booking.ValidFromFirstUse, Label: v.L.T("admin_passes_valid_from_first_use")},
		},
	}
	if pt != nil {
		p.ID, p.Action, p.WasArchived = pt.ID, "/admin/passes/"+strconv.FormatInt(pt.ID, 10)+"/edit", pt.Archived
	}
	all, err := h.store.Services(ctx, v.Location.ID, true)
	if err != nil {
		h.serverError(c, err)
		return
	}
	// Active services are offered; an archived one only while the type
	// still covers it, so saving the form does not drop it unasked.
	for _, s := range all {
		checked := slices.Contains(f.ServiceIDs, s.ID)
		if s.Active || checked {
			p.Services = append(p.Services, passServiceOption{ID: s.ID, Name: s.Name, Checked: checked})
		}
	}
	v.Page = p
	h.settingsRender(c, status, "admin_pass_form", v)
}
