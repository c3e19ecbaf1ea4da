package booking

import "strings"

// MaxSMSSenderLen bounds the sender setting: "+" and 15 digits, the longest
// E.164 number (an alphanumeric id is shorter still).
const MaxSMSSenderLen = 16

// MsgInvalidSMSSender is the sender setting's error at its field.
const MsgInvalidSMSSender = "error_invalid_sms_sender"

// ValidSMSSender tells whether v is a sender Twilio accepts in From: a phone
// number in E.164 ("+" and 7 to 15 digits, no leading zero) or an
// alphanumeric sender id (1 to 11 ASCII letters, digits and spaces, at least
// one letter). The server's TWILIO_FROM and each location's sender setting
// are checked by this one function, so a sender one accepts the other never
// refuses. Anything else would only fail later, on every message, at Twilio
// (21212 "invalid From number").
func ValidSMSSender(v string) bool {
	if rest, ok := strings.CutPrefix(v, "+"); ok {
		return len(rest) >= 7 && len(rest) <= 15 && rest[0] != '0' && strings.Trim(rest, "0123456789") == ""
	}
	if v == "" || len(v) > 11 {
		return false
	}
	letter := false
	for _, r := range v {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letter = true
		case r >= '0' && r <= '9' || r == ' ':
		default:
			return false
		}
	}
	return letter
}
