package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/term"

	"groupbook/booking"
)

// EnvAdminPassword gives admin create its password without a prompt, for
// scripts; a flag would leave it in the shell history and in ps.
const EnvAdminPassword = "GROUPBOOK_ADMIN_PASSWORD"

const adminUsage = "admin create --email E --name N [--role owner|staff]"

// admin runs "admin create", the one way to make the first admin user.
func (c *cli) admin(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("%w: groupbook %s", errUsage, adminUsage)
	}
	fset := newFlagSet("admin create", c.stderr)
	src := bindConfig(fset, c.env, nil)
	email := fset.String("email", "", "email the user signs in with (required)")
	name := fset.String("name", "", "the user's name, shown in the admin pages")
	role := fset.String("role", string(booking.RoleOwner), "owner (everything) or staff (schedule and event windows)")
	if err := parseFlags(fset, args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("%w: --email is required: groupbook %s", errUsage, adminUsage)
	}
	cfg, err := src.Config()
	if err != nil {
		return err
	}
	password, err := c.adminPassword()
	if err != nil {
		return err
	}

	db, _, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := booking.NewStore(db).CreateUser(ctx, *email, *name, password, booking.Role(*role))
	var fe booking.FieldErrors
	if errors.As(err, &fe) {
		return fmt.Errorf("user not created:\n%s", describeFieldErrors(fe))
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	fmt.Fprintf(c.stdout, "created %s user %s (id %d)\n", u.Role, u.Email, u.ID)
	return nil
}

// adminPassword reads the password from the environment or from the first
// line of standard input, without echo when that is a terminal.
func (c *cli) adminPassword() (string, error) {
	if p := c.env(EnvAdminPassword); p != "" {
		return p, nil
	}
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(c.stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	// Only the line ending goes; spaces may be part of a password.
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("no password: set %s or give it as the first line of standard input", EnvAdminPassword)
	}
	return line, nil
}

// fieldMessages says in English what each message id of the core means for
// this command; the CLI is for operators, the translated texts are for the
// web pages.
var fieldMessages = map[string]string{
	booking.MsgRequired:         "is required",
	booking.MsgTooLong:          "is too long",
	booking.MsgInvalidEmail:     "is not a valid email address",
	booking.MsgEmailTaken:       "a user with this email already exists",
	booking.MsgPasswordTooShort: fmt.Sprintf("must be at least %d characters", booking.MinPasswordLen),
	booking.MsgOutOfRange:       "is not one of the allowed values",
}

// fieldNames names each field the way the user gave it to this command.
var fieldNames = map[string]string{
	"email":    "--email",
	"name":     "--name",
	"role":     "--role (owner or staff)",
	"password": "password (" + EnvAdminPassword + " or standard input)",
}

// describeFieldErrors lists field errors one per line, in a stable order.
func describeFieldErrors(fe booking.FieldErrors) string {
	fields := make([]string, 0, len(fe))
	for f := range fe {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	var b strings.Builder
	for _, f := range fields {
		name, msg := fieldNames[f], fieldMessages[fe[f]]
		if name == "" {
			name = f
		}
		if msg == "" {
			msg = fe[f]
		}
		fmt.Fprintf(&b, "  %s: %s\n", name, msg)
	}
	return strings.TrimRight(b.String(), "\n")
}
