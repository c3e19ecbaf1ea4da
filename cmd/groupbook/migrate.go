package main

import (
	"context"
	"fmt"

	"groupbook/booking"
)

// migrate applies pending migrations and says what it did, so a deploy
// script can run it before starting new server processes.
func (c *cli) migrate(ctx context.Context, args []string) error {
	fs := newFlagSet("migrate", c.stderr)
	src := bindConfig(fs, c.env, nil)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := src.Config()
	if err != nil {
		return err
	}
	db, applied, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	// New indexes start with no statistics: give the planner some now.
	if err := booking.NewStore(db).Optimize(ctx); err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(c.stdout, "%s is up to date: no migrations to apply\n", redactDSN(cfg.DatabaseURL))
		return nil
	}
	for _, name := range applied {
		fmt.Fprintf(c.stdout, "applied migration %s\n", name)
	}
	fmt.Fprintf(c.stdout, "%s: %d migration(s) applied\n", redactDSN(cfg.DatabaseURL), len(applied))
	return nil
}
