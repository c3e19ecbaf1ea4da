// Command groupbook runs the groupbook booking server and its maintenance
// commands.
//
//	groupbook [serve]                 run the server (the default)
//	groupbook migrate                 apply database migrations and exit
//	groupbook demo [-events N]        fresh SQLite database with demo data, then serve
//	                                  (-reset-postgres: a PostgreSQL groupbook_bench* database)
//	groupbook admin create --email E --name N [--role owner|staff]
//
// Configuration comes from GROUPBOOK_* environment variables; flags override
// them (see config.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	// The time zone database is compiled in: locations name IANA zones,
	// and a minimal container image has no /usr/share/zoneinfo.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal starts a graceful shutdown, restore the
		// default handling so a second Ctrl-C kills a shutdown that hangs.
		<-ctx.Done()
		stop()
	}()
	applyMemoryLimit(os.Getenv)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "groupbook:", err)
	if errors.Is(err, errUsage) {
		os.Exit(2)
	}
	os.Exit(1)
}

// errUsage marks a mistake on the command line (exit status 2, as the flag
// package uses) rather than a failure while running.
var errUsage = errors.New("usage")

const usage = `usage: groupbook [command] [flags]

commands:
  serve         run the server (default)
  migrate       apply database migrations and exit
  demo          recreate an SQLite database with demo data, then serve
                (-events N adds N future events; -reset-postgres with a
                postgres:// URL recreates a database named groupbook_bench*)
  admin create  create an admin user: --email E --name N [--role owner|staff]
                (password from GROUPBOOK_ADMIN_PASSWORD or the first line of stdin)

Run "groupbook COMMAND -h" for the flags of a command.
`

// cli is one invocation: where it reads its settings and input and where
// it writes. Tests build one with fakes and run commands in-process.
type cli struct {
	env    func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// run dispatches to the subcommand named by args[0] ("serve" when there is
// none) and returns when it is done or ctx is cancelled.
func run(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	c := &cli{env: env, stdin: stdin, stdout: stdout, stderr: stderr}
	err := c.dispatch(ctx, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the flag package already printed the help asked for
	}
	return err
}

func (c *cli) dispatch(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || slices.Contains([]string{"-h", "-help", "--help"}, args[0])) {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return c.serve(ctx, args)
	case "migrate":
		return c.migrate(ctx, args)
	case "demo":
		return c.demo(ctx, args)
	case "admin":
		return c.admin(ctx, args)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(c.stdout, usage)
		return nil
	}
	fmt.Fprint(c.stderr, usage)
	return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
}
