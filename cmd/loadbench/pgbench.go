package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// pgbenchScript is the baseline transaction: one single-row UPDATE by
// primary key, the cheapest write PostgreSQL commits. pgbench -i makes
// 100,000 accounts per unit of scale; a custom script does not learn the
// scale by itself, so the bound is written in.
func pgbenchScript(scale int) string {
	return fmt.Sprintf("\\set aid random(1, %d)\nUPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;\n", 100000*scale)
}

// pgbench runs the baseline on a scratch database of its own.
type pgbench struct {
	URL     string // of the scratch database
	Clients int
	Script  string // path of the script file
}

// preparePgbench (re)creates the scratch database, fills it with
// pgbench -i at scale, and writes the script into dir.
func preparePgbench(ctx context.Context, pg *pgServer, name string, scale, clients int, dir string) (*pgbench, error) {
	url, err := pg.recreate(ctx, name)
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, "pgbench", "-i", "-q", "-s", strconv.Itoa(scale), url).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("pgbench -i: %w\n%s", err, out)
	}
	script := filepath.Join(dir, "update.sql")
	if err := os.WriteFile(script, []byte(pgbenchScript(scale)), 0o600); err != nil {
		return nil, fmt.Errorf("pgbench script: %w", err)
	}
	return &pgbench{URL: url, Clients: clients, Script: script}, nil
}

// run runs the script for d and returns pgbench's tps.
func (p *pgbench) run(ctx context.Context, d time.Duration) (float64, error) {
	secs := strconv.Itoa(max(1, int(d.Round(time.Second)/time.Second)))
	out, err := exec.CommandContext(ctx, "pgbench", "-n", "-c", strconv.Itoa(p.Clients), "-j", "2",
		"-T", secs, "-f", p.Script, p.URL).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %w\n%s", err, out)
	}
	tps, err := parsePgbench(string(out))
	if err != nil {
		return 0, fmt.Errorf("pgbench: %w\n%s", err, out)
	}
	return tps, nil
}

// parsePgbench reads the tps line of pgbench's report: "tps = 12684.38
// (without initial connection time)" since PostgreSQL 14, "(excluding
// connections establishing)" before.
func parsePgbench(out string) (float64, error) {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		rest, ok := strings.CutPrefix(line, "tps = ")
		if !ok || strings.Contains(rest, "including connections establishing") {
			continue
		}
		num, _, _ := strings.Cut(rest, " ")
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return 0, fmt.Errorf("tps %q: %w", num, err)
		}
		return v, nil
	}
	return 0, errors.New("no tps line in pgbench's output")
}
