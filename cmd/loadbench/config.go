package main

import (
	"flag"
	"fmt"
	"time"
)

// config is one run's settings, from the command line.
type config struct {
	DBs          []string // sqlite, postgres
	Events       int      // the extra events of the second run per database; 0: demo data only
	Rounds       int
	Duration     time.Duration // of each wrk, booking and pgbench run
	Threads      int           // wrk -t
	Connections  int           // wrk -c
	Clients      int           // booking visitors and pgbench -c
	BookEvents   int           // events the booking visitors spread over
	PG           string        // the PostgreSQL maintenance database's URL
	BenchDB      string        // the server's database on PostgreSQL
	PgbenchScale int
	Groupbook    string // a prebuilt groupbook binary; "": go build
	LogLevel     string // the server's
	Out          string
	NoBookings   bool
	// OnlyBookings skips the pages and the run without extra events: the
	// quick loop while working on the write path.
	OnlyBookings bool
}

func parseConfig(args []string) (*config, error) {
	fs := flag.NewFlagSet("loadbench", flag.ContinueOnError)
	c := &config{}
	db := fs.String("db", "both", "databases to run on: sqlite, postgres or both")
	fs.IntVar(&c.Events, "events", 50000, "future events of the second run on each database (0: only the demo data)")
	fs.IntVar(&c.Rounds, "rounds", 3, "rounds of baseline and target, alternating; medians are reported")
	fs.DurationVar(&c.Duration, "d", 5*time.Second, "duration of each run (wrk -d, the booking load, pgbench -T)")
	fs.IntVar(&c.Threads, "t", 1, "wrk threads")
	fs.IntVar(&c.Connections, "c", 16, "wrk connections")
	fs.IntVar(&c.Clients, "clients", 16, "concurrent booking visitors, and pgbench clients")
	// 4,000 events hold about 30,000 free seats: room for three rounds
	// at 2,000 bookings/s, well above the goal, before they fill up.
	fs.IntVar(&c.BookEvents, "book-events", 4000, "events the booking visitors spread over, so none fills up")
	fs.StringVar(&c.PG, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL maintenance database URL; loadbench creates and drops groupbook_bench* databases beside it")
	fs.StringVar(&c.BenchDB, "bench-db", "groupbook_bench", "the server's database on PostgreSQL (dropped and recreated; must start with groupbook_bench)")
	fs.IntVar(&c.PgbenchScale, "pgbench-scale", 10, "pgbench -i -s")
	fs.StringVar(&c.Groupbook, "groupbook", "", "groupbook binary to run (default: go build ./cmd/groupbook)")
	fs.StringVar(&c.LogLevel, "log-level", "info", "the server's log level (its log goes to a file)")
	fs.StringVar(&c.Out, "out", "", "also write the report to this markdown file")
	fs.BoolVar(&c.NoBookings, "no-bookings", false, "skip the booking load and pgbench")
	fs.BoolVar(&c.OnlyBookings, "only-bookings", false, "run only the booking load and pgbench on PostgreSQL, with the extra events")
	quick := fs.Bool("quick", false, "smoke test: 1 round of 2 s, 300 booking events")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch *db {
	case "sqlite", "postgres":
		c.DBs = []string{*db}
	case "both":
		c.DBs = []string{"sqlite", "postgres"}
	default:
		return nil, fmt.Errorf("-db must be sqlite, postgres or both, got %q", *db)
	}
	if *quick {
		c.Rounds, c.Duration, c.BookEvents = 1, 2*time.Second, 300
	}
	if c.Rounds < 1 || c.Duration < time.Second || c.Events < 0 || c.Clients < 1 || c.Connections < 1 || c.Threads < 1 || c.BookEvents < 1 {
		return nil, fmt.Errorf("-rounds, -d (≥ 1s), -clients, -c, -t and -book-events must be positive, -events not negative")
	}
	if c.OnlyBookings {
		if c.NoBookings || c.Events == 0 {
			return nil, fmt.Errorf("-only-bookings needs the bookings and some extra events (-events)")
		}
		c.DBs = []string{"postgres"}
	}
	if !scratchName.MatchString(c.BenchDB) {
		return nil, fmt.Errorf("-bench-db must be named groupbook_bench followed by a-z, 0-9 or _, got %q", c.BenchDB)
	}
	return c, nil
}

// eventCounts are the runs per database: the demo data alone, then with
// the extra events.
func (c *config) eventCounts() []int {
	if c.Events == 0 {
		return []int{0}
	}
	if c.OnlyBookings {
		return []int{c.Events}
	}
	return []int{0, c.Events}
}
