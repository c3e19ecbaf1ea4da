package booking

import (
	"context"
	"fmt"
)

// WaitlistSettings are a location's waitlist, minimum-attendee and
// message-channel choices, edited on one admin form. They are kept out of
// LocationInput so the location form, which does not show them, can never
// reset them.
type WaitlistSettings struct {
	WaitlistMode     WaitlistMode
	WaitlistClaimMin int
	WaitlistMax      int
	MinAutoCancel    bool
	MessageChannel   MessageChannel
	StaffEmailNotify bool
}

// WaitlistSettings reads the location's settings of the form.
func (l *Location) WaitlistSettings() WaitlistSettings {
	return WaitlistSettings{
		WaitlistMode: l.WaitlistMode, WaitlistClaimMin: l.WaitlistClaimMin, WaitlistMax: l.WaitlistMax,
		MinAutoCancel: l.MinAutoCancel, MessageChannel: l.MessageChannel, StaffEmailNotify: l.StaffEmailNotify,
	}
}

// validate checks the settings; FieldErrors are keyed by the column names.
func (in *WaitlistSettings) validate() error {
	c := newChecker()
	if !in.WaitlistMode.Valid() {
		c.add("waitlist_mode", MsgInvalidMode)
	}
	c.rangeInt("waitlist_claim_min", in.WaitlistClaimMin, MinWaitlistClaimMin, MaxWaitlistClaimMin)
	c.rangeInt("waitlist_max", in.WaitlistMax, 1, MaxWaitlistMax)
	if !in.MessageChannel.Valid() {
		c.add("message_channel", MsgInvalidMode)
	}
	return c.err()
}

// SaveWaitlistSettings validates (FieldErrors keyed by the snake_case
// column names) and saves the settings; nothing is written when any is
// wrong. A change of mode or claim window applies to the offers made from
// then on: offers already made keep their time.
func (s *Store) SaveWaitlistSettings(ctx context.Context, locationID int64, in WaitlistSettings) error {
	if err := in.validate(); err != nil {
		return err
	}
	defer s.writeTurn(ctx)()
	res, err := s.db.NewUpdate().Model((*Location)(nil)).
		Set("waitlist_mode = ?", in.WaitlistMode).
		Set("waitlist_claim_min = ?", in.WaitlistClaimMin).
		Set("waitlist_max = ?", in.WaitlistMax).
		Set("min_auto_cancel = ?", in.MinAutoCancel).
		Set("message_channel = ?", in.MessageChannel).
		Set("staff_email_notify = ?", in.StaffEmailNotify).
		Where("id = ?", locationID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("location %d waitlist settings: %w", locationID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("location %d: %w", locationID, ErrNotFound)
	}
	return nil
}
