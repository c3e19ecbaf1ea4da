package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what one wrk run reports.
type wrkResult struct {
	Requests  int64
	ReqPerSec float64
	P50, P99  time.Duration
	// Non2xx counts responses outside 2xx and 3xx; Errors wrk's socket
	// errors (connect, read, write, timeout) together.
	Non2xx, Errors int64
}

// wrkOptions are the command line parts every run shares.
type wrkOptions struct {
	Threads, Connections int
	Duration             time.Duration
}

// wrkArgs builds wrk's command line for url with extra request headers.
func wrkArgs(o wrkOptions, url string, headers ...string) []string {
	args := []string{
		"-t" + strconv.Itoa(o.Threads), "-c" + strconv.Itoa(o.Connections),
		"-d" + strconv.Itoa(max(1, int(o.Duration.Round(time.Second)/time.Second))) + "s",
		"--latency", "-H", "Accept-Encoding: gzip",
	}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	return append(args, url)
}

// runWrk runs wrk once and parses its report.
func runWrk(ctx context.Context, o wrkOptions, url string, headers ...string) (*wrkResult, error) {
	out, err := exec.CommandContext(ctx, "wrk", wrkArgs(o, url, headers...)...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("wrk %s: %w\n%s", url, err, out)
	}
	r, err := parseWrk(string(out))
	if err != nil {
		return nil, fmt.Errorf("wrk %s: %w\n%s", url, err, out)
	}
	return r, nil
}

// parseWrk reads wrk 4's text report (run with --latency).
func parseWrk(out string) (*wrkResult, error) {
	r := &wrkResult{}
	var haveRate, haveP50, haveP99 bool
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "Requests/sec:":
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return nil, fmt.Errorf("requests/sec %q: %w", f[1], err)
			}
			r.ReqPerSec, haveRate = v, true
		case len(f) == 2 && (f[0] == "50%" || f[0] == "99%"):
			d, err := parseWrkDuration(f[1])
			if err != nil {
				return nil, err
			}
			if f[0] == "50%" {
				r.P50, haveP50 = d, true
			} else {
				r.P99, haveP99 = d, true
			}
		case len(f) >= 4 && f[1] == "requests" && f[2] == "in":
			n, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("request count %q: %w", f[0], err)
			}
			r.Requests = n
		case len(f) > 1 && f[0] == "Non-2xx":
			// Non-2xx or 3xx responses: 18840
			n, err := strconv.ParseInt(f[len(f)-1], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("non-2xx count %q: %w", sc.Text(), err)
			}
			r.Non2xx = n
		case len(f) > 2 && f[0] == "Socket" && f[1] == "errors:":
			// Socket errors: connect 0, read 0, write 0, timeout 0
			for i := 2; i+1 < len(f); i += 2 {
				n, err := strconv.ParseInt(strings.TrimSuffix(f[i+1], ","), 10, 64)
				if err != nil {
					return nil, fmt.Errorf("socket errors %q: %w", sc.Text(), err)
				}
				r.Errors += n
			}
		}
	}
	if !haveRate || !haveP50 || !haveP99 {
		return nil, errors.New("no Requests/sec or latency distribution in wrk's output (was --latency given?)")
	}
	return r, nil
}

// parseWrkDuration reads wrk's durations: 512.00us, 1.20ms, 2.01s, 1.50m.
func parseWrkDuration(s string) (time.Duration, error) {
	// Longer suffixes first: "ms" also ends in "s".
	units := []struct {
		suffix string
		unit   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"m", time.Minute}, {"h", time.Hour}, {"s", time.Second}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, fmt.Errorf("wrk duration %q: %w", s, err)
			}
			return time.Duration(v * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("wrk duration %q: unknown unit", s)
}
