package notify_test

import (
	"strings"
	"testing"
	"time"

	"groupbook/booking"
	"groupbook/notify"
)

// TestRenderStaffMoved: the staff e-mail about a client's reschedule names
// the client, the new time on the line with the old one beside it (and both
// team members when it changed), and opens the new event's window.
func TestRenderStaffMoved(t *testing.T) {
	b := strictBundle(t)
	it := items(1, 1)
	from := renderStart.AddDate(0, 0, -2)
	it[0].From, it[0].Member, it[0].FromMember = &from, "Márton", "Sofie"
	m := outboxMessage(t, booking.MsgStaffMoved, "en", booking.MessagePayload{Items: it,
		Staff: &booking.MessageStaff{Client: "Anna Kovács", Phone: "+36201234567", EventID: 42}})
	e, err := notify.RenderEmail(b, renderBase, m, renderStart.Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Sunrise Yoga: Anna Kovács (+36 20 123 4567) moved Yoga to "; !strings.HasPrefix(e.Subject, want) {
		t.Errorf("subject %q, want it to start %q", e.Subject, want)
	}
	for _, want := range []string{"rescheduled online, now:", "Tuesday, 3 March, 19:00", "now with Márton instead of Sofie", "(was Sun 1 Mar 19:00)", "/admin/events/42"} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, e.Text)
		}
	}
	if len(e.Attachments) != 0 {
		t.Errorf("a staff e-mail carries %d attachments", len(e.Attachments))
	}
}
