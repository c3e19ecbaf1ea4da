package handlers

import (
	"context"
	"strings"
	"time"

	"groupbook/booking"
)

// scheduleClashes finds the other live events of the form's team member that
// the event (or each date of the series) would overlap. It returns nil when
// the admin ticked "Save anyway", and when the form cannot be read yet: the
// core then refuses it at the field, and the overlap is checked on the next
// try.
func (h *adminHandlers) scheduleClashes(ctx context.Context, v *adminView, f schedForm, ev *booking.Event) (*booking.Clashes, error) {
	if f.ConfirmOverlap || f.MemberID == 0 {
		return nil, nil
	}
	if ev == nil || f.MemberID != ev.TeamMemberID {
		// A member who does not run the service is refused at the field
		// first: no point warning about their other events.
		ok, err := h.store.MemberRunsService(ctx, v.Location.ID, f.ServiceID, f.MemberID)
		if err != nil || !ok {
			return nil, err
		}
	}
	zone := v.Location.Zone()
	dur := 0
	switch d := schedOptionalInt(f.Duration); {
	case d != nil:
		dur = *d
	case ev != nil:
		dur = ev.DurationMin
	default:
		svc, err := h.store.Service(ctx, f.ServiceID)
		if err != nil || svc.LocationID != v.Location.ID {
			return nil, nil
		}
		dur = svc.DurationMin
	}
	if dur <= 0 || dur > 24*60 {
		return nil, nil
	}
	var (
		starts  []time.Time
		exclude []int64
	)
	if ev == nil && f.Repeat == schedRepeatWeekly {
		minute, ok := booking.ParseClock(f.Time)
		from, errFrom := time.Parse(booking.DateLayout, f.From)
		until, errUntil := time.Parse(booking.DateLayout, f.Until)
		if !ok || errFrom != nil || errUntil != nil || until.Sub(from) > booking.MaxSeriesDays*24*time.Hour {
			return nil, nil
		}
		starts = booking.ExpandSeries(zone, f.series().Weekdays, minute, from, until)
	} else {
		start, err := booking.ParseLocal(zone, f.Date, f.Time)
		if err != nil {
			return nil, nil
		}
		if ev != nil && start.Equal(ev.StartsAt) && f.MemberID == ev.TeamMemberID && dur == ev.DurationMin {
			// Only notes or seats change: an overlap saved before (perhaps
			// with "Save anyway") is not asked about again.
			return nil, nil
		}
		starts = []time.Time{start}
		if ev != nil {
			exclude = []int64{ev.ID}
		}
	}
	c, err := h.store.PlannedClashes(ctx, v.Location.ID, f.MemberID, starts, dur, exclude)
	if err != nil || c.Total == 0 {
		return nil, err
	}
	return c, nil
}

// scheduleOverlapAlert names the clashing events (date, time, service) and,
// past the listed ones, how many more there are.
func (h *adminHandlers) scheduleOverlapAlert(ctx context.Context, v *adminView, c *booking.Clashes) error {
	services, err := h.store.Services(ctx, v.Location.ID, true)
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(services))
	for _, s := range services {
		names[s.ID] = s.Name
	}
	zone := v.Location.Zone()
	parts := make([]string, 0, len(c.Events)+1)
	for _, ev := range c.Events {
		start := ev.StartsAt.In(zone)
		parts = append(parts, v.L.T("admin_schedule_overlap_item", map[string]any{
			"Date": v.L.DateShort(start), "Time": v.L.Clock(start), "Service": names[ev.ServiceID],
		}))
	}
	if more := c.Total - len(c.Events); more > 0 {
		parts = append(parts, v.L.T("admin_schedule_overlap_more", map[string]any{"More": more}))
	}
	v.alert("error", v.L.T("admin_schedule_overlap", map[string]any{"List": strings.Join(parts, ", ")}))
	return nil
}
