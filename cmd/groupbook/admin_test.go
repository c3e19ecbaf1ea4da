package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"groupbook/booking"
	"groupbook/booking/booktest"
)

func TestAdminCreate(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			dsn := booktest.URL(t, kind)
			env := map[string]string{EnvDatabaseURL: dsn}

			// Password on the first line of stdin.
			err, out, _ := runCmd(t, env, "correct horse battery\nignored\n",
				"admin", "create", "--email", "Ana@Example.com", "--name", "Ana", "--role", "staff")
			must(t, err)
			if !strings.Contains(out, "created staff user ana@example.com") {
				t.Errorf("stdout = %q", out)
			}

			// Password from the environment, default role owner.
			env[EnvAdminPassword] = "another long password"
			err, out, _ = runCmd(t, env, "", "admin", "create", "--email", "owner@example.com", "--name", "Olga")
			must(t, err)
			if !strings.Contains(out, "created owner user owner@example.com") {
				t.Errorf("stdout = %q", out)
			}

			db, _, err := openDatabase(context.Background(), Config{DatabaseURL: dsn, DBMaxConns: 2})
			must(t, err)
			defer db.Close()
			st := booking.NewStore(db)
			u, err := st.Authenticate(context.Background(), "ana@example.com", "correct horse battery")
			if err != nil || u.Role != booking.RoleStaff || u.Name != "Ana" {
				t.Errorf("Authenticate(ana) = %+v, %v", u, err)
			}
			if _, err := st.Authenticate(context.Background(), "owner@example.com", "another long password"); err != nil {
				t.Errorf("Authenticate(owner): %v", err)
			}
			if _, err := st.Authenticate(context.Background(), "ana@example.com", "wrong password!"); !errors.Is(err, booking.ErrNotFound) {
				t.Errorf("wrong password: %v, want ErrNotFound", err)
			}
		})
	}
}

func TestAdminCreateRefusals(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			env := map[string]string{EnvDatabaseURL: booktest.URL(t, kind), EnvAdminPassword: "short"}
			create := func(email string, args ...string) error {
				err, _, _ := runCmd(t, env, "", append([]string{"admin", "create", "--email", email}, args...)...)
				return err
			}

			err := create("a@example.com")
			want := "password (" + EnvAdminPassword + " or standard input): must be at least 10 characters"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("short password: %v, want %q", err, want)
			}

			env[EnvAdminPassword] = "a long enough password"
			// Nothing was written by the refused attempt, so the email is free.
			must(t, create("a@example.com"))
			if err := create("A@example.com"); err == nil || !strings.Contains(err.Error(), "--email: a user with this email already exists") {
				t.Errorf("duplicate email: %v", err)
			}
			if err := create("not-an-email"); err == nil || !strings.Contains(err.Error(), "--email: is not a valid email address") {
				t.Errorf("bad email: %v", err)
			}
			if err := create("b@example.com", "--role", "boss"); err == nil || !strings.Contains(err.Error(), "--role (owner or staff)") {
				t.Errorf("bad role: %v", err)
			}
		})
	}
}

func TestAdminCreateUsage(t *testing.T) {
	// These fail before the database is opened, so no database is needed.
	err, _, _ := runCmd(t, nil, "", "admin")
	if !errors.Is(err, errUsage) {
		t.Errorf("admin without create: %v", err)
	}
	err, _, _ = runCmd(t, nil, "", "admin", "create", "--name", "X")
	if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "--email is required") {
		t.Errorf("admin create without email: %v", err)
	}
	err, _, _ = runCmd(t, nil, "", "admin", "create", "--email", "x@example.com")
	if err == nil || !strings.Contains(err.Error(), "no password: set "+EnvAdminPassword) {
		t.Errorf("admin create without password: %v", err)
	}
}
