package notify

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
)

// TestBuildMsgHeadersStayHeaders: line breaks in the subject or the
// location's name cannot start a header, and an address list is refused.
func TestBuildMsgHeadersStayHeaders(t *testing.T) {
	from := &mail.Address{Address: "bookings@studio.example"}
	msg, err := buildMsg(from, Mail{
		To: "anna@example.com", FromName: "Studio\r\nBcc: evil@example.org",
		Subject: "Hello\r\nBcc: evil@example.org", Text: "hi", MessageID: "<outbox-7@studio.example>",
	})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	parsed, err := mail.ReadMessage(&b)
	if err != nil {
		t.Fatal(err)
	}
	if bcc := parsed.Header.Get("Bcc"); bcc != "" {
		t.Errorf("injected Bcc: %q", bcc)
	}
	if id := parsed.Header.Get("Message-ID"); id != "<outbox-7@studio.example>" {
		t.Errorf("Message-ID %q", id)
	}
	for _, to := range []string{"a@example.com, b@example.org", "a@example.com\r\nBcc: b@example.org"} {
		if _, err := buildMsg(from, Mail{To: to, Subject: "x", Text: "x"}); err == nil {
			t.Errorf("To %q accepted", to)
		}
	}
	if !strings.Contains(oneLine("a\nb"), "a b") {
		t.Error("oneLine")
	}
}
