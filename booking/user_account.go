package booking

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
	"golang.org/x/crypto/bcrypt"
)

// checkPassword applies the same length rules to every new password.
func checkPassword(c *checker, field, password string) {
	if len(password) < MinPasswordLen {
		c.add(field, MsgPasswordTooShort)
	} else if len(password) > 72 {
		// bcrypt ignores bytes past 72; refuse rather than silently truncate.
		c.add(field, MsgTooLong)
	}
}

// ChangePassword is a user changing their own password: the current one
// must match (field "current"), the new one follows CreateUser's rules
// (field "password"). Every other session of the user ends, so a session
// someone else opened with the old password stops working; keepSessionID
// (Session.ID of the request) stays signed in.
func (s *Store) ChangePassword(ctx context.Context, userID int64, keepSessionID, current, newPassword string) error {
	u, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	c := newChecker()
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		c.add("current", MsgWrongPassword)
	}
	checkPassword(c, "password", newPassword)
	if err := c.err(); err != nil {
		return err
	}
	return s.storePassword(ctx, userID, newPassword, keepSessionID)
}

// SetPassword is an owner giving another user a new password (they forgot
// theirs; no e-mailed links yet). All that user's sessions end.
func (s *Store) SetPassword(ctx context.Context, userID int64, newPassword string) error {
	if _, err := s.User(ctx, userID); err != nil {
		return err
	}
	c := newChecker()
	checkPassword(c, "password", newPassword)
	if err := c.err(); err != nil {
		return err
	}
	return s.storePassword(ctx, userID, newPassword, "")
}

// storePassword writes the hash and ends the user's sessions but keep
// (none when keep is empty) in one transaction, so no old session
// outlives the change.
func (s *Store) storePassword(ctx context.Context, userID int64, password, keep string) error {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.passwordCost())
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return s.inQuietTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", string(hash)).
			Where("id = ?", userID).Exec(ctx); err != nil {
			return fmt.Errorf("user %d password: %w", userID, err)
		}
		q := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID)
		if keep != "" {
			q = q.Where("id <> ?", keep)
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("end sessions of user %d: %w", userID, err)
		}
		return nil
	})
}

// SetActive gives a user's access back or takes it away. Deactivating ends
// the user's sessions at once (SessionUser and Authenticate also refuse an
// inactive user); the last active owner cannot be deactivated
// (ErrLastOwner), or nobody could manage the studio.
func (s *Store) SetActive(ctx context.Context, userID int64, active bool) error {
	return s.inQuietTx(ctx, func(tx bun.Tx) error {
		u, err := s.lockUserForOwnerChange(ctx, tx, userID, !active)
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*User)(nil)).Set("active = ?", active).
			Where("id = ?", u.ID).Exec(ctx); err != nil {
			return fmt.Errorf("user %d active: %w", userID, err)
		}
		if active {
			return nil
		}
		if _, err := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return fmt.Errorf("end sessions of user %d: %w", userID, err)
		}
		return nil
	})
}

// SetRole makes a user an owner or staff; demoting the last active owner
// is refused (ErrLastOwner). Sessions stay: the role is read on every
// request, so the change applies on the user's next page.
func (s *Store) SetRole(ctx context.Context, userID int64, role Role) error {
	if role != RoleOwner && role != RoleStaff {
		return FieldErrors{"role": MsgOutOfRange}
	}
	return s.inQuietTx(ctx, func(tx bun.Tx) error {
		u, err := s.lockUserForOwnerChange(ctx, tx, userID, role != RoleOwner)
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*User)(nil)).Set("role = ?", role).
			Where("id = ?", u.ID).Exec(ctx); err != nil {
			return fmt.Errorf("user %d role: %w", userID, err)
		}
		return nil
	})
}

// lockUserForOwnerChange loads the user and, when the change takes away
// an owner's power (leaving), refuses it if they are the last active
// owner. On PostgreSQL the active owners' rows are locked first, so two
// owners demoting each other at once cannot both succeed; SQLite runs one
// writer at a time anyway.
func (s *Store) lockUserForOwnerChange(ctx context.Context, tx bun.Tx, userID int64, leaving bool) (*User, error) {
	var owners []int64
	q := tx.NewSelect().Model((*User)(nil)).Column("id").Where("role = ? AND active", RoleOwner).Order("id")
	if s.isPG() {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx, &owners); err != nil {
		return nil, fmt.Errorf("active owners: %w", err)
	}
	u := new(User)
	if err := tx.NewSelect().Model(u).Where("id = ?", userID).Scan(ctx); err != nil {
		return nil, notFound(err, "user", userID)
	}
	if leaving && u.Active && u.Role == RoleOwner && len(owners) <= 1 {
		return nil, fmt.Errorf("user %d: %w", userID, ErrLastOwner)
	}
	return u, nil
}

// IsLastOwner tells whether the user is the only active owner, so the
// users page can explain why their controls are missing.
func IsLastOwner(users []User, id int64) bool {
	n, self := 0, false
	for _, u := range users {
		if u.Role == RoleOwner && u.Active {
			n++
			self = self || u.ID == id
		}
	}
	return self && n == 1
}
