package booking

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Phone country errors, at the phone field of the widget and at the
// setting's field on the SMS page.
const (
	MsgPhoneCountry           = "error_phone_country"
	MsgInvalidPhoneCountries  = "error_invalid_phone_countries"
	MaxPhoneCountries         = 60
	phoneCountriesSeparators  = ", ;\t\r\n"
	phoneCountriesStoredSplit = ","
)

// ParsePhoneCountries reads the allowed countries as staff type them
// ("hu, AT sk") into sorted, unique ISO 3166 codes. ok is false when any
// entry is not a country phone numbers exist for, or there are too many.
func ParsePhoneCountries(raw string) (codes []string, ok bool) {
	for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return strings.ContainsRune(phoneCountriesSeparators, r) }) {
		code := strings.ToUpper(f)
		if len(code) != 2 || !ValidCountry(code) {
			return nil, false
		}
		codes = append(codes, code)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	return codes, len(codes) <= MaxPhoneCountries
}

// AllowedCountries are the countries whose phone numbers a location takes
// in the widget and sends SMS to: the setting, or, while it is empty, the
// location's own country (so the default follows a change of country).
func (st *SMSSettings) AllowedCountries(locationCountry string) []string {
	if st.PhoneCountries == "" {
		return []string{strings.ToUpper(locationCountry)}
	}
	return strings.Split(st.PhoneCountries, phoneCountriesStoredSplit)
}

// PhoneCountry is the country an E.164 number belongs to ("" when the
// number is not valid). Numbers sharing a calling code (+1, +7) get their
// own country, as Twilio's geographic permissions judge them.
func PhoneCountry(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return ""
	}
	return phonenumbers.GetRegionCodeForNumber(num)
}

// phoneAllowed tells whether a number's country is among allowed.
func phoneAllowed(allowed []string, e164 string) bool {
	c := PhoneCountry(e164)
	return c != "" && slices.Contains(allowed, c)
}

// SMSAllowedCountries are the countries a location's SMS may go to now.
func (s *Store) SMSAllowedCountries(ctx context.Context, locationID int64) ([]string, error) {
	loc, err := s.Location(ctx, locationID)
	if err != nil {
		return nil, err
	}
	st, err := smsSettings(ctx, s.db, locationID)
	if err != nil {
		return nil, err
	}
	return st.AllowedCountries(loc.Country), nil
}

// PhoneInCountries tells whether an E.164 number belongs to one of the
// countries.
func PhoneInCountries(countries []string, e164 string) bool { return phoneAllowed(countries, e164) }

// WidgetPhoneAllowed tells whether the widget may take this number for
// link: like Twilio's geographic permissions, a location only deals with
// the countries it chose, so nobody can make it pay for SMS to premium
// foreign numbers. The rule holds while SMS can reach the number at all
// (the location sends SMS, or the link asks for a confirmation code); a
// studio without SMS takes any valid number.
func (s *Store) WidgetPhoneAllowed(ctx context.Context, link *Link, e164 string) (bool, error) {
	loc, err := s.Location(ctx, link.LocationID)
	if err != nil {
		return false, err
	}
	st, err := smsSettings(ctx, s.db, link.LocationID)
	if err != nil {
		return false, err
	}
	return widgetPhoneAllowed(loc, st, link, e164), nil
}

// widgetPhoneAllowed is WidgetPhoneAllowed on the link's location and its
// SMS settings, already read.
func widgetPhoneAllowed(loc *Location, st *SMSSettings, link *Link, e164 string) bool {
	if !st.Enabled && !link.SMSConfirm {
		return true
	}
	return phoneAllowed(st.AllowedCountries(loc.Country), e164)
}

// checkWidgetPhone adds the country rule to a widget request's other field
// problems (err, from the request's own checks), so the client sees them
// all at once. Staff requests are not restricted.
func checkWidgetPhone(req *ReserveRequest, loc *Location, st *SMSSettings, err error) error {
	if req.Link == nil {
		return err
	}
	var fe FieldErrors
	if err != nil && !errors.As(err, &fe) {
		return err
	}
	if _, bad := fe["phone"]; bad {
		return err
	}
	if widgetPhoneAllowed(loc, st, req.Link, req.Client.Phone) {
		return err
	}
	if fe == nil {
		fe = FieldErrors{}
	}
	fe["phone"] = MsgPhoneCountry
	return fe
}

// checkOtherLinkPhone is checkWidgetPhone for a link of another location
// than the request's, whose own location and settings decide.
func (s *Store) checkOtherLinkPhone(ctx context.Context, req *ReserveRequest, err error) error {
	loc, lookErr := s.Location(ctx, req.Link.LocationID)
	if lookErr != nil {
		return lookErr
	}
	st, lookErr := smsSettings(ctx, s.db, req.Link.LocationID)
	if lookErr != nil {
		return lookErr
	}
	return checkWidgetPhone(req, loc, st, err)
}
