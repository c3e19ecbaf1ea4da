package handlers

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"groupbook/booking"
	"groupbook/locales"
)

// passTypeRow is one pass type as the list shows it, every text formatted.
type passTypeRow struct {
	ID                                      int64
	Name, Visits, Validity, Services, Price string
	Online, Archived                        bool
}

type passTypesPage struct {
	Active, Archived []passTypeRow
	// ReturnLate is the location's "return visits on late cancel" choice.
	ReturnLate bool
}

// passTypes lists the location's pass types, archived ones apart.
func (h *adminHandlers) passTypes(c *gin.Context) {
	v := h.settingsView(c, "passes", "admin_passes_title")
	if !settingsNeedLocation(c, v) {
		return
	}
	ctx := c.Request.Context()
	types, err := h.store.PassTypes(ctx, v.Location.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	names, err := h.serviceNames(ctx, v.Location.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := &passTypesPage{ReturnLate: v.Location.ReturnVisitsLateCancel}
	for i := range types {
		row := newPassTypeRow(v.L, &types[i], names)
		if row.Archived {
			p.Archived = append(p.Archived, row)
		} else {
			p.Active = append(p.Active, row)
		}
	}
	v.Page = p
	h.settingsRender(c, http.StatusOK, "admin_passes", v)
}

func newPassTypeRow(L *locales.Localizer, pt *booking.PassType, names map[int64]string) passTypeRow {
	var svc []string
	for _, id := range pt.ServiceIDs {
		if n, ok := names[id]; ok {
			svc = append(svc, n)
		}
	}
	return passTypeRow{
		ID: pt.ID, Name: pt.Name, Visits: passVisitsText(L, pt.Kind, pt.Visits),
		Validity: passValidityText(L, pt.ValidFrom, pt.ValidityDays), Services: strings.Join(svc, ", "),
		Price: passPriceText(L, pt.PriceMinor, pt.Currency), Online: pt.OnSaleOnline, Archived: pt.Archived,
	}
}

// passVisitsText is "10 visits" or "Unlimited".
func passVisitsText(L *locales.Localizer, kind string, visits int) string {
	if kind == booking.PassUnlimited {
		return L.T("admin_passes_unlimited")
	}
	return L.N("admin_passes_visits_count", visits)
}

// passValidityText is "90 days from sale" or "30 days from first use".
func passValidityText(L *locales.Localizer, from string, days int) string {
	if from == booking.ValidFromFirstUse {
		return L.N("admin_passes_validity_first_use", days)
	}
	return L.N("admin_passes_validity_sale", days)
}

func passPriceText(L *locales.Localizer, minor int64, currency string) string {
	if minor == 0 {
		return L.T("admin_settings_free")
	}
	return money(minor, currency)
}

// serviceNames maps the location's services, archived ones too (a pass
// type may still name one), to their names.
func (h *adminHandlers) serviceNames(ctx context.Context, locationID int64) (map[int64]string, error) {
	all, err := h.store.Services(ctx, locationID, true)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(all))
	for _, s := range all {
		out[s.ID] = s.Name
	}
	return out, nil
}

// passTypeArchive takes a pass type of this location off sale or back on.
func (h *adminHandlers) passTypeArchive(archived bool) gin.HandlerFunc {
	done := "restored"
	if archived {
		done = "archived"
	}
	return func(c *gin.Context) {
		v := h.settingsView(c, "passes", "admin_passes_title")
		if !settingsNeedLocation(c, v) {
			return
		}
		id, ok := settingsID(c)
		if !ok {
			h.settingsMissing(c, v, nil)
			return
		}
		if err := h.store.ArchivePassType(c.Request.Context(), v.Location.ID, id, archived); err != nil {
			h.settingsMissing(c, v, err)
			return
		}
		settingsRedirect(c, "/admin/passes", done)
	}
}

// passSettingsSave saves whether a late cancel or a no-show gives a pass
// its visits back; it sits with the passes since it only matters to them.
func (h *adminHandlers) passSettingsSave(c *gin.Context) {
	v := h.settingsView(c, "passes", "admin_passes_title")
	if !settingsNeedLocation(c, v) {
		return
	}
	if err := h.store.SetReturnVisitsLateCancel(c.Request.Context(), v.Location.ID, c.PostForm("return_visits_late_cancel") != ""); err != nil {
		h.serverError(c, err)
		return
	}
	settingsRedirect(c, "/admin/passes", "saved")
}
