package booking

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/crypto/bcrypt"
)

// Role of a staff user.
type Role string

// Roles: an owner does everything, staff run the schedule and event windows.
const (
	RoleOwner Role = "owner"
	RoleStaff Role = "staff"
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// User is a person who signs in to the admin pages.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID           int64  `bun:"id,pk,autoincrement"`
	Email        string `bun:"email"`
	Name         string `bun:"name"`
	PasswordHash string `bun:"password_hash"`
	Role         Role   `bun:"role"`
	// DeskClientMessages is the add-client panel's "send the client an
	// SMS" box as this user last left it.
	DeskClientMessages bool `bun:"desk_client_messages,default:true"`
	// Active is false once an owner took the user's access away: they
	// can no longer sign in, and their sessions were ended.
	Active    bool      `bun:"active,default:true"`
	CreatedAt time.Time `bun:"created_at"`
}

// CreateUser stores a user with a bcrypt hash of the password.
func (s *Store) CreateUser(ctx context.Context, email, name, password string, role Role) (*User, error) {
	email = normalizeEmail(email)
	c := newChecker()
	c.email("email", email, true)
	c.text("name", name, false, MaxNameLen)
	checkPassword(c, "password", password)
	if role != RoleOwner && role != RoleStaff {
		c.add("role", MsgOutOfRange)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.passwordCost())
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	u := &User{Email: email, Name: strings.TrimSpace(name), PasswordHash: string(hash), Role: role, Active: true, CreatedAt: s.now()}
	defer s.writeTurn(ctx)()
	if _, err := s.db.NewInsert().Model(u).Exec(ctx); err != nil {
		if isUniqueViolation(err) {
			return nil, FieldErrors{"email": MsgEmailTaken}
		}
		return nil, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// Authenticate returns the user whose email and password match. A wrong
// email and a wrong password give the same ErrNotFound, and both cost one
// bcrypt comparison so timing does not tell them apart.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("email = ?", normalizeEmail(email)).Scan(ctx)
	hash := []byte(u.PasswordHash)
	if err != nil {
		hash = dummyHash(s.passwordCost())
	}
	// An inactive user is refused like a wrong password, after the same
	// comparison, so the page does not tell who has an account.
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || err != nil || !u.Active {
		return nil, fmt.Errorf("sign in: %w", ErrNotFound)
	}
	return u, nil
}

// dummyHashes holds, by bcrypt cost, the hash compared against when the
// email is unknown: the cost of real hashes, so both paths take as long.
var dummyHashes sync.Map

func dummyHash(cost int) []byte {
	if h, ok := dummyHashes.Load(cost); ok {
		return h.([]byte)
	}
	h, _ := bcrypt.GenerateFromPassword([]byte("groupbook-no-such-user"), cost)
	dummyHashes.Store(cost, h)
	return h
}

// passwordCost is the bcrypt cost of new hashes.
func (s *Store) passwordCost() int {
	if s.PasswordCost == 0 {
		return bcrypt.DefaultCost
	}
	return s.PasswordCost
}

// normalizeEmail makes sign-in case-insensitive.
func normalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// User loads one user.
func (s *Store) User(ctx context.Context, id int64) (*User, error) {
	u := new(User)
	if err := s.db.NewSelect().Model(u).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "user", id)
	}
	return u, nil
}

// Users lists every user, by email.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	if err := s.db.NewSelect().Model(&out).Order("email").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// SetDeskClientMessages remembers the user's last choice in the event
// window's add-client panel ("send the client an SMS"), so the next panel
// starts as they left it.
func (s *Store) SetDeskClientMessages(ctx context.Context, userID int64, on bool) error {
	r, err := s.db.NewUpdate().Model((*User)(nil)).
		Set("desk_client_messages = ?", on).
		Where("id = ?", userID).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("user %d desk messages: %w", userID, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	return nil
}
