package notify

import (
	"fmt"

	"groupbook/booking"
)

// changed composes the "class changed" text: staff moved a class the
// client booked, or gave it another team member. It leads with the first
// changed booking (old and new time, the new team member when that
// changed) and counts the others, since one staff edit of a series sends
// one message per client; the e-mail lists them all and the details link
// shows the bookings as they are now.
func (c *composed) changed(m *booking.OutboxMessage) error {
	first := c.p.Items[0]
	if first.From == nil {
		return Permanent(fmt.Errorf("outbox %d: changed without the old time", m.ID))
	}
	l, data := c.l, c.data
	from := first.From.In(c.zone)
	data["FromDate"], data["FromTime"] = l.DateShort(from), l.Clock(from)
	data["Member"], data["FromMember"] = first.Member, first.FromMember
	moved := !first.From.Equal(first.Start)
	newMember := first.FromMember != "" && first.Member != ""
	switch {
	case moved && newMember:
		c.lead = l.T("sms_changed_both", data)
	case moved:
		c.lead = l.T("sms_changed_time", data)
	case newMember:
		c.lead = l.T("sms_changed_member", data)
	default:
		c.lead = l.T("sms_changed_other", data)
	}
	if more := len(c.p.Items) - 1; more > 0 {
		c.lead += " " + l.N("sms_changed_more", more)
	}
	c.linkID, c.buttonID = "sms_link_details", "mail_button_details"
	return nil
}

// changedNote is what a changed booking's line in an e-mail adds to its
// service: the new team member, and what the booking was before.
func (c *composed) changedNote(it booking.MessageItem) string {
	var note string
	if it.FromMember != "" && it.Member != "" {
		note += ", " + c.l.T("mail_changed_member", map[string]any{"Member": it.Member, "FromMember": it.FromMember})
	}
	if it.From != nil && !it.From.Equal(it.Start) {
		from := it.From.In(c.zone)
		note += " (" + c.l.T("mail_changed_was", map[string]any{"Date": c.l.DateShort(from), "Time": c.l.Clock(from)}) + ")"
	}
	return note
}
