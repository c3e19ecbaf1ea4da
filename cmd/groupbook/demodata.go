package main

import (
	"context"
	"fmt"
	"time"

	"groupbook/booking"
)

// What the demo creates; the tests and the start-up banner use the same
// values.
const (
	demoSlug     = "demo"
	demoEmail    = "owner@example.com"
	demoPassword = "groupbook-demo"
	demoWeeks    = 8
	// demoMarkerKey is a setting only demo databases have. The demo
	// deletes its database on every start and checks for this first, so
	// it can never wipe a real database it was pointed at by mistake.
	demoMarkerKey = "demo_database"
)

// demoData is what loadDemo created.
type demoData struct {
	Location      *booking.Location
	Yoga, Pilates *booking.Service
	Sofie, Marton *booking.TeamMember
	Link          *booking.Link
	Owner         *booking.User
	Events        int
	PassType      *booking.PassType
	Pass          *booking.ClientPass // demoPassPhone's, demoPassLeft visits left
	// FullEvent is the full Pilates class with a waitlist (demowaitlist.go).
	FullEvent *booking.Event
}

// demoSeries is one recurring slot of the demo schedule.
type demoSeries struct {
	service *booking.Service
	member  *booking.TeamMember
	days    booking.Weekdays
	start   string
}

// loadDemo fills an empty, migrated database with a small yoga studio: two
// services with their trainers, eight weeks of classes from now's local
// date, a widget link and an owner who can sign in. It goes through the
// store like any admin would, so the demo obeys every rule.
func loadDemo(ctx context.Context, st *booking.Store, now time.Time) (*demoData, error) {
	if _, err := st.SettingOrCreate(ctx, demoMarkerKey, func() (string, error) { return "1", nil }); err != nil {
		return nil, fmt.Errorf("demo: mark database: %w", err)
	}
	d := &demoData{}
	var err error
	d.Location, err = st.CreateLocation(ctx, booking.LocationInput{
		Name: "Sunrise Yoga Studio", Address: "Király utca 26, 1061 Budapest",
		Phone: "+36 1 555 0100", TimeZone: "Europe/Budapest", Country: "HU", DefaultLang: "en",
	})
	if err != nil {
		return nil, fmt.Errorf("demo location: %w", err)
	}
	loc := d.Location.ID
	d.Yoga, err = st.CreateService(ctx, loc, booking.ServiceInput{
		Name: "Yoga", Category: "Classes", DurationMin: 60, DefaultCapacity: 12,
		PriceMinor: 350000, Currency: "HUF", Color: "#2a9d8f", OnlineBooking: true,
		MinAttendees: demoYogaMin, MinDecideHours: demoYogaDecide,
	})
	if err != nil {
		return nil, fmt.Errorf("demo service Yoga: %w", err)
	}
	d.Pilates, err = st.CreateService(ctx, loc, booking.ServiceInput{
		Name: "Pilates", Category: "Classes", DurationMin: 55, DefaultCapacity: 10,
		PriceMinor: 300000, Currency: "HUF", Color: "#e76f51", OnlineBooking: true,
		MinAttendees: demoPilatesMin, MinDecideHours: demoPilatesDecide,
	})
	if err != nil {
		return nil, fmt.Errorf("demo service Pilates: %w", err)
	}
	d.Sofie, err = st.CreateTeamMember(ctx, loc, booking.TeamMemberInput{Name: "Sofie", Title: "Yoga teacher", ServiceIDs: []int64{d.Yoga.ID}})
	if err != nil {
		return nil, fmt.Errorf("demo team member Sofie: %w", err)
	}
	d.Marton, err = st.CreateTeamMember(ctx, loc, booking.TeamMemberInput{Name: "Márton", Title: "Pilates trainer", ServiceIDs: []int64{d.Pilates.ID}})
	if err != nil {
		return nil, fmt.Errorf("demo team member Márton: %w", err)
	}

	today := now.In(d.Location.Zone())
	from, until := today.Format(booking.DateLayout), today.AddDate(0, 0, 7*demoWeeks).Format(booking.DateLayout)
	schedule := []demoSeries{
		{d.Yoga, d.Sofie, booking.WeekdaySet(time.Tuesday, time.Thursday), "18:00"},
		{d.Pilates, d.Marton, booking.WeekdaySet(time.Monday, time.Wednesday), "19:00"},
		{d.Pilates, d.Marton, booking.WeekdaySet(time.Saturday), "10:00"},
	}
	for _, s := range schedule {
		_, events, err := st.CreateSeries(ctx, loc, booking.SeriesInput{
			ServiceID: s.service.ID, TeamMemberID: s.member.ID, Weekdays: s.days,
			StartTime: s.start, From: from, Until: until,
		})
		if err != nil {
			return nil, fmt.Errorf("demo series %s at %s: %w", s.service.Name, s.start, err)
		}
		d.Events += len(events)
	}

	d.Link = &booking.Link{
		LocationID: loc, Slug: demoSlug, Name: "Website", Enabled: true,
		MultiEvent: true, MaxEvents: 10, MultiSeat: true, MaxSeats: 4,
		EmailMode: booking.FieldOptional, CommentMode: booking.FieldOptional,
		CancelAllowed: true, CancelCutoffMin: 120,
		ContactMessage: "Please bring your own mat.", DefaultLang: "en",
		Waitlist: true,
	}
	if err := st.SaveLink(ctx, d.Link); err != nil {
		return nil, fmt.Errorf("demo widget link: %w", err)
	}
	// A second link asks for SMS confirmation, to show that step; without
	// Twilio the demo prints the code on the page.
	sms := *d.Link
	sms.ID, sms.Slug, sms.Name, sms.SMSConfirm = 0, demoSlug+"-sms", "Instagram (SMS confirmation)", true
	if err := st.SaveLink(ctx, &sms); err != nil {
		return nil, fmt.Errorf("demo SMS widget link: %w", err)
	}
	d.Owner, err = st.CreateUser(ctx, demoEmail, "Studio Owner", demoPassword, booking.RoleOwner)
	if err != nil {
		return nil, fmt.Errorf("demo owner: %w", err)
	}
	if err := loadDemoPasses(ctx, st, d); err != nil {
		return nil, err
	}
	if err := loadDemoWaitlist(ctx, st, d, now); err != nil {
		return nil, err
	}
	return d, nil
}
