package handlers

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"groupbook/booking"
	"groupbook/locales"
)

// settingsOption is one <option>; settingsOptGroup an <optgroup> of them
// (no label: plain options).
type settingsOption struct{ Value, Label string }

type settingsOptGroup struct {
	Label   string
	Options []settingsOption
}

// settingsZones are the time zones offered, by region: the ones our
// studios are in, not all ~600 IANA names. The core validates whatever is
// posted, and a location saved with another zone keeps it (see zoneChoices).
var settingsZones = []struct {
	region string
	zones  []string
}{
	{"europe", []string{
		"Europe/Amsterdam", "Atlantic/Azores", "Europe/Athens", "Europe/Belgrade", "Europe/Berlin",
		"Europe/Bratislava", "Europe/Brussels", "Europe/Bucharest", "Europe/Budapest", "Atlantic/Canary",
		"Europe/Chisinau", "Europe/Copenhagen", "Europe/Dublin", "Europe/Helsinki", "Europe/Istanbul",
		"Europe/Kyiv", "Europe/Lisbon", "Europe/Ljubljana", "Europe/London", "Europe/Luxembourg",
		"Europe/Madrid", "Atlantic/Madeira", "Europe/Malta", "Europe/Moscow", "Asia/Nicosia",
		"Europe/Oslo", "Europe/Paris", "Europe/Prague", "Europe/Riga", "Europe/Rome",
		"Europe/Sofia", "Europe/Stockholm", "Europe/Tallinn", "Europe/Vienna", "Europe/Vilnius",
		"Europe/Warsaw", "Europe/Zagreb", "Europe/Zurich",
	}},
	{"americas", []string{
		"America/Sao_Paulo", "America/Bahia", "America/Fortaleza", "America/Recife", "America/Manaus",
		"America/Buenos_Aires", "America/Santiago", "America/Bogota", "America/Mexico_City",
		"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
		"America/Los_Angeles", "America/Toronto", "America/Vancouver",
	}},
	{"africa", []string{"Africa/Cairo", "Africa/Casablanca", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi"}},
	{"asia", []string{
		"Asia/Almaty", "Asia/Bangkok", "Asia/Dubai", "Asia/Jerusalem", "Asia/Kolkata",
		"Asia/Singapore", "Asia/Tbilisi", "Asia/Tokyo", "Asia/Yerevan",
	}},
	{"oceania", []string{"Australia/Sydney", "Australia/Perth", "Pacific/Auckland"}},
	{"utc", []string{"UTC"}},
}

// settingsLoadedZones drops any zone this machine's tz database lacks, so
// the list never offers a choice the core would refuse.
var settingsLoadedZones = sync.OnceValue(func() map[string]*time.Location {
	out := map[string]*time.Location{}
	for _, g := range settingsZones {
		for _, name := range g.zones {
			if z, err := time.LoadLocation(name); err == nil {
				out[name] = z
			}
		}
	}
	return out
})

// zoneChoices lists the zones by region as "Budapest (UTC+01:00)", with
// the offset in force now. A current zone outside the list (set before the
// list changed) is kept as an extra choice so saving does not lose it.
func settingsZoneChoices(l *locales.Localizer, now time.Time, current string) []settingsOptGroup {
	loaded := settingsLoadedZones()
	var out []settingsOptGroup
	listed := false
	for _, g := range settingsZones {
		grp := settingsOptGroup{Label: l.T("admin_settings_region_" + g.region)}
		for _, name := range g.zones {
			z, ok := loaded[name]
			if !ok {
				continue
			}
			listed = listed || name == current
			grp.Options = append(grp.Options, settingsOption{Value: name, Label: settingsZoneLabel(name, z, now)})
		}
		slices.SortFunc(grp.Options, func(a, b settingsOption) int { return strings.Compare(a.Label, b.Label) })
		out = append(out, grp)
	}
	if !listed && current != "" && current != "Local" {
		if z, err := time.LoadLocation(current); err == nil {
			out = append(out, settingsOptGroup{Label: l.T("admin_settings_region_other"),
				Options: []settingsOption{{Value: current, Label: settingsZoneLabel(current, z, now)}}})
		}
	}
	return out
}

func settingsZoneLabel(name string, z *time.Location, now time.Time) string {
	if name == "UTC" {
		return "UTC"
	}
	city := name[strings.LastIndex(name, "/")+1:]
	return fmt.Sprintf("%s (UTC%s)", strings.ReplaceAll(city, "_", " "), now.In(z).Format("-07:00"))
}

// settingsCountries are the countries offered: the EU and the countries
// our languages and studios are in. The core checks the code is a real
// phone region, and a saved country outside the list is kept.
var settingsCountries = []string{
	"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
	"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
	"AL", "BA", "CH", "GB", "GE", "IS", "MD", "ME", "MK", "NO", "RS", "TR", "UA",
	"AO", "AR", "AU", "BR", "CA", "CL", "CO", "IL", "MX", "MZ", "NZ", "US", "ZA",
}

// settingsCountryChoices names the countries in the page's language (from
// CLDR via x/text) and sorts them the way that language sorts.
func settingsCountryChoices(lang, current string) []settingsOption {
	tag := language.Make(lang)
	names := display.Regions(tag)
	codes := slices.Clone(settingsCountries)
	if current != "" && !slices.Contains(codes, current) && booking.ValidCountry(current) {
		codes = append(codes, current)
	}
	out := make([]settingsOption, 0, len(codes))
	for _, code := range codes {
		label := code
		if r, err := language.ParseRegion(code); err == nil {
			if n := names.Name(r); n != "" {
				label = n
			}
		}
		out = append(out, settingsOption{Value: code, Label: label})
	}
	col := collate.New(tag)
	slices.SortFunc(out, func(a, b settingsOption) int { return col.CompareString(a.Label, b.Label) })
	return out
}

// settingsLanguageChoices names each language in itself, as the language
// switcher does.
func (h *adminHandlers) settingsLanguageChoices() []settingsOption {
	out := make([]settingsOption, 0, len(booking.Languages))
	for _, code := range booking.Languages {
		out = append(out, settingsOption{Value: code, Label: h.locales.Localizer(code).T("language_name")})
	}
	return out
}

// settingsCurrencies are the currencies offered for prices; a service saved
// with another keeps it as an extra choice.
var settingsCurrencies = []string{"EUR", "HUF", "UAH", "GBP", "USD", "BRL", "PLN", "CZK", "RON"}

var settingsCurrencyRe = regexp.MustCompile(`^[A-Z]{3}$`)

func settingsCurrencyChoices(current string) []settingsOption {
	codes := slices.Clone(settingsCurrencies)
	if settingsCurrencyRe.MatchString(current) && !slices.Contains(codes, current) {
		codes = append(codes, current)
	}
	out := make([]settingsOption, len(codes))
	for i, c := range codes {
		out[i] = settingsOption{Value: c, Label: c}
	}
	return out
}

// settingsCountryCurrency is a new service's currency: the one of the
// studio's country where it is among ours, else the euro.
var settingsCountryCurrency = map[string]string{
	"HU": "HUF", "UA": "UAH", "GB": "GBP", "US": "USD", "BR": "BRL", "PL": "PLN", "CZ": "CZK", "RO": "RON",
}

func settingsDefaultCurrency(loc *booking.Location) string {
	if c, ok := settingsCountryCurrency[loc.Country]; ok {
		return c
	}
	return "EUR"
}
