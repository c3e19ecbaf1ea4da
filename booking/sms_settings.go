package booking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// SMSSettings are a location's SMS choices. Without a row SMS is off.
type SMSSettings struct {
	bun.BaseModel `bun:"table:sms_settings"`

	LocationID    int64  `bun:"location_id,pk"`
	Enabled       bool   `bun:"enabled"`
	ReminderHours int    `bun:"reminder_hours"` // 0: no reminders
	Sender        string `bun:"sender"`         // overrides the server's sender when set
	// PhoneCountries are the ISO codes, comma-separated, whose phone
	// numbers the widget takes and SMS go to; empty: the location's
	// country (see AllowedCountries).
	PhoneCountries string `bun:"phone_countries"`
}

// MaxReminderHours is how early a reminder may go out: a week.
const MaxReminderHours = 168

// SMSSettings loads a location's settings (SMS off when never saved).
func (s *Store) SMSSettings(ctx context.Context, locationID int64) (*SMSSettings, error) {
	return smsSettings(ctx, s.db, locationID)
}

func smsSettings(ctx context.Context, db bun.IDB, locationID int64) (*SMSSettings, error) {
	st := &SMSSettings{LocationID: locationID, ReminderHours: 24}
	err := db.NewSelect().Model(st).Where("location_id = ?", locationID).Scan(ctx)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sms settings: %w", err)
	}
	return st, nil
}

// SaveSMSSettings validates and stores a location's SMS settings.
func (s *Store) SaveSMSSettings(ctx context.Context, st *SMSSettings) error {
	c := newChecker()
	c.rangeInt("reminder_hours", st.ReminderHours, 0, MaxReminderHours)
	if st.Sender != "" && !ValidSMSSender(st.Sender) {
		c.add("sender", MsgInvalidSMSSender)
	}
	codes, ok := ParsePhoneCountries(st.PhoneCountries)
	if !ok {
		c.add("phone_countries", MsgInvalidPhoneCountries)
	}
	if err := c.err(); err != nil {
		return err
	}
	st.PhoneCountries = strings.Join(codes, phoneCountriesStoredSplit)
	defer s.writeTurn(ctx)()
	_, err := s.db.NewInsert().Model(st).
		On("CONFLICT (location_id) DO UPDATE").
		Set("enabled = EXCLUDED.enabled, reminder_hours = EXCLUDED.reminder_hours, sender = EXCLUDED.sender, phone_countries = EXCLUDED.phone_countries").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("save sms settings: %w", err)
	}
	return nil
}

// locationSMSRow is a location with its SMS settings' columns (NULL
// without a settings row).
type locationSMSRow struct {
	Location       `bun:",extend"`
	Enabled        *bool   `bun:"sms_enabled,scanonly"`
	ReminderHours  *int    `bun:"sms_reminder_hours,scanonly"`
	Sender         *string `bun:"sms_sender,scanonly"`
	PhoneCountries *string `bun:"sms_phone_countries,scanonly"`
}

// locationWithSMS reads a location and its SMS settings (as smsSettings
// does: off, without a row) in one statement, for a booking.
func (s *Store) locationWithSMS(ctx context.Context, id int64) (*Location, *SMSSettings, error) {
	var row locationSMSRow
	err := s.db.NewSelect().Model(&row).
		ColumnExpr("location.*").
		ColumnExpr("ss.enabled AS sms_enabled, ss.reminder_hours AS sms_reminder_hours, ss.sender AS sms_sender, ss.phone_countries AS sms_phone_countries").
		Join("LEFT JOIN sms_settings AS ss ON ss.location_id = location.id").
		Where("location.id = ?", id).
		Scan(ctx)
	if err != nil {
		return nil, nil, notFound(err, "location", id)
	}
	st := &SMSSettings{LocationID: id, ReminderHours: 24}
	if row.Enabled != nil {
		st.Enabled, st.ReminderHours, st.Sender, st.PhoneCountries = *row.Enabled, *row.ReminderHours, *row.Sender, *row.PhoneCountries
	}
	loc := row.Location
	return &loc, st, nil
}
