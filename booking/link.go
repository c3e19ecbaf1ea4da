package booking

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// FieldMode says whether a contact field is hidden, optional or required.
type FieldMode string

// Field modes.
const (
	FieldHidden   FieldMode = "hidden"
	FieldOptional FieldMode = "optional"
	FieldRequired FieldMode = "required"
)

func (m FieldMode) valid() bool {
	return m == FieldHidden || m == FieldOptional || m == FieldRequired
}

// Link is a widget link: one configured public entry point (/w/{slug}).
type Link struct {
	bun.BaseModel `bun:"table:widget_links"`

	ID               int64       `bun:"id,pk,autoincrement"`
	LocationID       int64       `bun:"location_id"`
	Slug             string      `bun:"slug"`
	Name             string      `bun:"name"`
	Enabled          bool        `bun:"enabled"`
	MultiEvent       bool        `bun:"multi_event"`
	MaxEvents        int         `bun:"max_events"`
	MultiSeat        bool        `bun:"multi_seat"`
	MaxSeats         int         `bun:"max_seats"`
	SMSConfirm       bool        `bun:"sms_confirm"`
	EmailMode        FieldMode   `bun:"email_mode"`
	CommentMode      FieldMode   `bun:"comment_mode"`
	CommentLabel     string      `bun:"comment_label"`
	LastNameRequired bool        `bun:"last_name_required"`
	ContactMessage   string      `bun:"contact_message"`
	BufferMin        int         `bun:"buffer_min"`
	CancelAllowed    bool        `bun:"cancel_allowed"`
	CancelCutoffMin  int         `bun:"cancel_cutoff_min"`
	PaymentMode      PaymentMode `bun:"payment_mode,default:'desk'"`
	// Waitlist offers "Join the waitlist" on full events.
	Waitlist bool `bun:"waitlist"`
	// Rescheduling by the client (reschedule_api.go): which events a
	// booking may move to, and until when (the cancellation cutoff unless
	// RescheduleOwnCutoff).
	RescheduleMode      RescheduleMode `bun:"reschedule_mode,default:'same_member'"`
	RescheduleOwnCutoff bool           `bun:"reschedule_own_cutoff"`
	RescheduleCutoffMin int            `bun:"reschedule_cutoff_min"`
	DefaultLang         string         `bun:"default_lang"`
	AccentColor         string         `bun:"accent_color"`
	AllowedOrigins      string         `bun:"allowed_origins"` // one origin per line
	CreatedAt           time.Time      `bun:"created_at"`

	ServiceIDs    []int64 `bun:"-"` // empty: all services
	TeamMemberIDs []int64 `bun:"-"` // empty: all team members
}

// EffectiveMaxEvents is how many events one booking may hold: 1 unless the
// link allows several events. Prepayment no longer limits it: a prepaid
// booking is paid by a pass, which the core checks for every date × seats.
func (l *Link) EffectiveMaxEvents() int {
	if !l.MultiEvent {
		return 1
	}
	return l.MaxEvents
}

// EffectiveMaxSeats is how many seats one booking may hold.
func (l *Link) EffectiveMaxSeats() int {
	if !l.MultiSeat {
		return 1
	}
	return l.MaxSeats
}

// Origins returns the origins allowed to frame the widget.
func (l *Link) Origins() []string {
	var out []string
	for _, o := range strings.Split(l.AllowedOrigins, "\n") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}

// Buffer is how long before an event online booking closes.
func (l *Link) Buffer() time.Duration { return time.Duration(l.BufferMin) * time.Minute }

// CancelCutoff is how long before an event a client may still cancel.
func (l *Link) CancelCutoff() time.Duration { return time.Duration(l.CancelCutoffMin) * time.Minute }

// Offers tells whether the link shows events of this service and member.
func (l *Link) Offers(serviceID, memberID int64) bool {
	return (len(l.ServiceIDs) == 0 || containsID(l.ServiceIDs, serviceID)) &&
		(len(l.TeamMemberIDs) == 0 || containsID(l.TeamMemberIDs, memberID))
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

type linkService struct {
	bun.BaseModel `bun:"table:widget_link_services"`

	LinkID    int64 `bun:"link_id,pk"`
	ServiceID int64 `bun:"service_id,pk"`
}

type linkTeamMember struct {
	bun.BaseModel `bun:"table:widget_link_team_members"`

	LinkID       int64 `bun:"link_id,pk"`
	TeamMemberID int64 `bun:"team_member_id,pk"`
}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$`)

// MsgPrepaymentNeedsSMS refuses "pay before booking" on a link that does
// not confirm phones by SMS code.
const MsgPrepaymentNeedsSMS = "error_prepayment_needs_sms"

// Limits a link may set.
const (
	MaxBufferMin       = 7 * 24 * 60
	MaxCancelCutoffMin = 48 * 60
	CutoffStepMin      = 15
)

// validate checks every setting; the form shows each problem at its field.
func (l *Link) validate() error {
	c := newChecker()
	if !slugRe.MatchString(l.Slug) {
		c.add("slug", MsgInvalidSlug)
	}
	c.text("name", l.Name, false, MaxNameLen)
	c.rangeInt("max_events", l.MaxEvents, 1, MaxEventsPerBooking)
	c.rangeInt("max_seats", l.MaxSeats, 1, MaxSeatsLimit)
	if !l.EmailMode.valid() {
		c.add("email_mode", MsgInvalidMode)
	}
	if !l.CommentMode.valid() {
		c.add("comment_mode", MsgInvalidMode)
	}
	c.text("comment_label", l.CommentLabel, false, MaxCommentLabelLen)
	c.text("contact_message", l.ContactMessage, false, MaxContactMsgLen)
	c.rangeInt("buffer_min", l.BufferMin, 0, MaxBufferMin)
	if l.CancelCutoffMin%CutoffStepMin != 0 {
		c.add("cancel_cutoff_min", MsgCutoffStep)
	}
	c.rangeInt("cancel_cutoff_min", l.CancelCutoffMin, 0, MaxCancelCutoffMin)
	if l.DefaultLang != "" && !ValidLanguage(l.DefaultLang) {
		c.add("default_lang", MsgInvalidLanguage)
	}
	c.color("accent_color", l.AccentColor)
	for _, o := range l.Origins() {
		if !ValidOrigin(o) {
			c.add("allowed_origins", MsgInvalidOrigin)
		}
	}
	if l.PaymentMode == "" {
		l.PaymentMode = PayAtStudio
	}
	if !l.PaymentMode.Valid() {
		c.add("payment_mode", MsgInvalidMode)
	}
	if l.RescheduleMode == "" {
		l.RescheduleMode = RescheduleSameMember
	}
	if !l.RescheduleMode.Valid() {
		c.add("reschedule_mode", MsgInvalidMode)
	}
	if l.RescheduleCutoffMin%CutoffStepMin != 0 {
		c.add("reschedule_cutoff_min", MsgCutoffStep)
	}
	c.rangeInt("reschedule_cutoff_min", l.RescheduleCutoffMin, 0, MaxCancelCutoffMin)
	// "A pass required" means a pass pays, and a pass is only offered to a
	// phone confirmed by SMS code: without confirmation nobody could book.
	if l.PaymentMode == PayPassRequired && !l.SMSConfirm {
		c.add("payment_mode", MsgPrepaymentNeedsSMS)
	}
	return c.err()
}

// ValidOrigin accepts scheme://host[:port] with nothing after it, since the
// value goes into a Content-Security-Policy header.
func ValidOrigin(o string) bool {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return false
	}
	return u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil &&
		!strings.ContainsAny(o, " ;,'\"")
}

func (l *Link) normalize() {
	l.Slug = strings.ToLower(strings.TrimSpace(l.Slug))
	l.Name = strings.TrimSpace(l.Name)
	l.CommentLabel = strings.TrimSpace(l.CommentLabel)
	l.ContactMessage = strings.TrimSpace(l.ContactMessage)
	l.AllowedOrigins = strings.Join(l.Origins(), "\n")
	l.ServiceIDs = uniqueIDs(l.ServiceIDs)
	l.TeamMemberIDs = uniqueIDs(l.TeamMemberIDs)
	if l.EmailMode == "" {
		l.EmailMode = FieldOptional
	}
	if l.CommentMode == "" {
		l.CommentMode = FieldOptional
	}
}

// SaveLink validates and creates (ID 0) or updates a widget link with its
// service and team member choices.
func (s *Store) SaveLink(ctx context.Context, l *Link) error {
	l.normalize()
	if err := l.validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx bun.Tx) error {
		c := newChecker()
		if len(l.ServiceIDs) > 0 {
			n, err := tx.NewSelect().Model((*Service)(nil)).Where("id IN (?) AND location_id = ?", bun.List(l.ServiceIDs), l.LocationID).Count(ctx)
			if err != nil {
				return fmt.Errorf("check link services: %w", err)
			}
			if n != int64(len(l.ServiceIDs)) {
				c.add("service_ids", MsgUnknownService)
			}
		}
		if len(l.TeamMemberIDs) > 0 {
			n, err := tx.NewSelect().Model((*TeamMember)(nil)).Where("id IN (?) AND location_id = ?", bun.List(l.TeamMemberIDs), l.LocationID).Count(ctx)
			if err != nil {
				return fmt.Errorf("check link team members: %w", err)
			}
			if n != int64(len(l.TeamMemberIDs)) {
				c.add("team_member_ids", MsgUnknownMember)
			}
		}
		taken, err := tx.NewSelect().Model((*Link)(nil)).Where("slug = ? AND id <> ?", l.Slug, l.ID).Exists(ctx)
		if err != nil {
			return fmt.Errorf("check slug: %w", err)
		}
		if taken {
			c.add("slug", MsgSlugTaken)
		}
		if err := c.err(); err != nil {
			return err
		}
		if l.ID == 0 {
			l.CreatedAt = s.now()
			if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
				if isUniqueViolation(err) {
					return FieldErrors{"slug": MsgSlugTaken}
				}
				return fmt.Errorf("create link: %w", err)
			}
		} else {
			res, err := tx.NewUpdate().Model(l).WherePK().Where("location_id = ?", l.LocationID).
				ExcludeColumn("id", "location_id", "created_at").Exec(ctx)
			if err != nil {
				if isUniqueViolation(err) {
					return FieldErrors{"slug": MsgSlugTaken}
				}
				return fmt.Errorf("update link %d: %w", l.ID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("link %d: %w", l.ID, ErrNotFound)
			}
		}
		if _, err := tx.NewDelete().Model((*linkService)(nil)).Where("link_id = ?", l.ID).Exec(ctx); err != nil {
			return fmt.Errorf("clear link services: %w", err)
		}
		if _, err := tx.NewDelete().Model((*linkTeamMember)(nil)).Where("link_id = ?", l.ID).Exec(ctx); err != nil {
			return fmt.Errorf("clear link members: %w", err)
		}
		for _, id := range l.ServiceIDs {
			if _, err := tx.NewInsert().Model(&linkService{LinkID: l.ID, ServiceID: id}).Exec(ctx); err != nil {
				return fmt.Errorf("add link service: %w", err)
			}
		}
		for _, id := range l.TeamMemberIDs {
			if _, err := tx.NewInsert().Model(&linkTeamMember{LinkID: l.ID, TeamMemberID: id}).Exec(ctx); err != nil {
				return fmt.Errorf("add link member: %w", err)
			}
		}
		return nil
	})
}

// LinkBySlug loads an enabled or disabled link by its slug.
func (s *Store) LinkBySlug(ctx context.Context, slug string) (*Link, error) {
	l := new(Link)
	if err := s.db.NewSelect().Model(l).Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, notFound(err, "link", slug)
	}
	return l, s.loadLinkChoices(ctx, s.db, l)
}

// Link loads a link by id.
func (s *Store) Link(ctx context.Context, id int64) (*Link, error) {
	l := new(Link)
	if err := s.db.NewSelect().Model(l).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "link", id)
	}
	return l, s.loadLinkChoices(ctx, s.db, l)
}

// Links lists a location's links.
func (s *Store) Links(ctx context.Context, locationID int64) ([]Link, error) {
	var out []Link
	if err := s.db.NewSelect().Model(&out).Where("location_id = ?", locationID).Order("slug").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	for i := range out {
		if err := s.loadLinkChoices(ctx, s.db, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) loadLinkChoices(ctx context.Context, db bun.IDB, l *Link) error {
	l.ServiceIDs, l.TeamMemberIDs = nil, nil
	if err := db.NewSelect().Model((*linkService)(nil)).Column("service_id").Where("link_id = ?", l.ID).Order("service_id").Scan(ctx, &l.ServiceIDs); err != nil {
		return fmt.Errorf("link services: %w", err)
	}
	if err := db.NewSelect().Model((*linkTeamMember)(nil)).Column("team_member_id").Where("link_id = ?", l.ID).Order("team_member_id").Scan(ctx, &l.TeamMemberIDs); err != nil {
		return fmt.Errorf("link members: %w", err)
	}
	return nil
}
