package booking

import "github.com/nyaruka/phonenumbers"

// FormatPhone renders a stored E.164 number for people to read, grouped as
// the number's own country writes it internationally ("+36 20 123 4567").
// Anything that does not parse is returned as it is, never dropped.
func FormatPhone(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
