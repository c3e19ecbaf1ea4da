package booking

import (
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone parses a phone number typed by a person, with region (an
// ISO 3166 country code such as "HU") as the default for numbers without a
// country prefix, and returns it in E.164.
func NormalizePhone(raw, region string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 32 {
		return "", fmt.Errorf("phone %q: %w", raw, ErrInvalid)
	}
	num, err := phonenumbers.Parse(raw, strings.ToUpper(region))
	if err != nil {
		return "", fmt.Errorf("phone %q: %w", raw, ErrInvalid)
	}
	// Parse accepts numbers that cannot exist ("+36 20 123").
	if !phonenumbers.IsValidNumber(num) {
		return "", fmt.Errorf("phone %q: %w", raw, ErrInvalid)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// ValidCountry tells whether region is a country phonenumbers knows.
func ValidCountry(region string) bool {
	return phonenumbers.GetCountryCodeForRegion(region) != 0
}
