package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// bench is the whole run: build, start the baseline, measure each
// database, print the report.
func bench(ctx context.Context, args []string) error {
	cfg, err := parseConfig(args)
	if err != nil {
		return err
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		return fmt.Errorf("wrk is not installed (Debian: apt-get install -y wrk): %w", err)
	}
	var pg *pgServer
	if cfg.hasPostgres() {
		if pg, err = newPGServer(cfg.PG); err != nil {
			return err
		}
		if err := pg.ping(ctx); err != nil {
			return fmt.Errorf("%w (or run with -db sqlite)", err)
		}
		if _, err := exec.LookPath("pgbench"); err != nil && !cfg.NoBookings {
			return fmt.Errorf("pgbench is not installed (Debian: apt-get install -y postgresql-client), or run with -no-bookings: %w", err)
		}
	}
	dir, err := os.MkdirTemp("", "loadbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := cfg.Groupbook
	if bin == "" {
		if bin, err = buildGroupbook(ctx, dir); err != nil {
			return err
		}
	}
	b := &runner{cfg: cfg, dir: dir, bin: bin, pg: pg, rep: &report{Machine: describeMachine(), Config: cfg}}
	if err := b.startBaseline(ctx); err != nil {
		return err
	}
	defer b.baseline.stop()
	for _, db := range cfg.DBs {
		for _, n := range cfg.eventCounts() {
			if err := b.measure(ctx, db, n); err != nil {
				return err
			}
		}
	}
	md := b.rep.markdown()
	fmt.Print(md)
	if cfg.Out != "" {
		if err := os.WriteFile(cfg.Out, []byte(md), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", cfg.Out, err)
		}
	}
	return nil
}

func (c *config) hasPostgres() bool {
	for _, db := range c.DBs {
		if db == "postgres" {
			return true
		}
	}
	return false
}

// buildGroupbook builds the server from the module loadbench runs in.
func buildGroupbook(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	mod := strings.TrimSpace(string(out))
	if err != nil || mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run loadbench inside the groupbook module, or give -groupbook: %v", err)
	}
	bin := filepath.Join(dir, "groupbook")
	progress("building groupbook")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/groupbook")
	cmd.Dir = filepath.Dir(mod)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/groupbook: %w\n%s", err, out)
	}
	return bin, nil
}

// runner holds what the measurements share.
type runner struct {
	cfg      *config
	dir, bin string
	pg       *pgServer
	baseline *process
	baseURL  string // the baseline's
	rep      *report
}

func (b *runner) startBaseline(ctx context.Context) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find loadbench itself: %w", err)
	}
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	b.baseline, err = startProcess("hello", b.dir, self, nil, "hello", "-addr", addr)
	if err != nil {
		return err
	}
	b.baseURL = "http://" + addr + "/"
	return b.baseline.waitHTTP(ctx, b.baseURL, 30*time.Second)
}

// measure starts the demo server on db with n extra events, loads each
// target alternately with the baseline, runs the bookings (PostgreSQL,
// with the extra events), reads the server's memory and stops it.
func (b *runner) measure(ctx context.Context, db string, n int) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	args := []string{"demo", "-addr", addr, "-events", strconv.Itoa(n), "-log-level", b.cfg.LogLevel}
	if db == "postgres" {
		args = append(args, "-database-url", b.pg.urlOf(b.cfg.BenchDB), "-reset-postgres")
	} else {
		args = append(args, "-database-url", filepath.Join(b.dir, fmt.Sprintf("demo-%d.db", n)))
	}
	progress("%s, %d extra events: starting the demo server", db, n)
	env := []string{"GROUPBOOK_TRUSTED_PROXIES=127.0.0.1", "GROUPBOOK_DATABASE_URL=", "GROUPBOOK_SECRET="}
	srv, err := startProcess(fmt.Sprintf("groupbook-%s-%d", db, n), b.dir, b.bin, env, args...)
	if err != nil {
		return err
	}
	defer srv.stop()
	base := "http://" + addr
	if err := srv.waitHTTP(ctx, base+"/readyz", 15*time.Minute); err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second}
	var targets []target
	if !b.cfg.OnlyBookings {
		if targets, err = findTargets(ctx, client, base, "demo"); err != nil {
			return fmt.Errorf("%s: %w", db, err)
		}
	}
	o := wrkOptions{Threads: b.cfg.Threads, Connections: b.cfg.Connections, Duration: b.cfg.Duration}
	for _, t := range targets {
		r := pageResult{DB: db, Events: n, Target: t.Name}
		for round := 1; round <= b.cfg.Rounds; round++ {
			progress("%s, %d events: %s, round %d of %d", db, n, t.Name, round, b.cfg.Rounds)
			base, err := runWrk(ctx, o, b.baseURL)
			if err != nil {
				return err
			}
			got, err := runWrk(ctx, o, t.URL, t.Headers...)
			if err != nil {
				return err
			}
			r.Base = append(r.Base, base.ReqPerSec)
			r.Rate = append(r.Rate, got.ReqPerSec)
			r.P50, r.P99 = append(r.P50, got.P50), append(r.P99, got.P99)
			r.BaseP50, r.BaseP99 = append(r.BaseP50, base.P50), append(r.BaseP99, base.P99)
			r.Bad += got.Non2xx + got.Errors
		}
		if r.Bad > 0 {
			r.BadSample = sample(ctx, client, t)
		}
		b.rep.Pages = append(b.rep.Pages, r)
	}
	if db == "postgres" && n == b.cfg.Events && !b.cfg.NoBookings {
		if err := b.bookings(ctx, base, srv.cmd.Process.Pid, n); err != nil {
			return err
		}
	}
	mem, err := srv.memory()
	if err != nil {
		return err
	}
	b.rep.Memory = append(b.rep.Memory, memResult{DB: db, Events: n, Mem: mem})
	return srv.stop()
}

// sample is the status and start of one response of a target that gave
// errors under load, for the report.
func sample(ctx context.Context, client *http.Client, t target) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL, nil)
	if err != nil {
		return err.Error()
	}
	for _, h := range t.Headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := client.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	return resp.Status + ": " + strings.Join(strings.Fields(string(body)), " ")
}

// progress tells the person waiting what runs now; the report goes to
// stdout, this to stderr.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadbench: "+format+"\n", args...)
}
