package main

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"
)

// The samples in testdata are real output: wrk 4.1.0 (Debian 12) against
// "loadbench hello" and against a missing page of it, and pgbench 15.20.

func TestParseWrk(t *testing.T) {
	for _, tc := range []struct {
		file     string
		rate     float64
		requests int64
		p50, p99 time.Duration
		non2xx   int64
	}{
		{"wrk_hello.txt", 25368.33, 50938, 433 * time.Microsecond, 6240 * time.Microsecond, 0},
		{"wrk_non2xx.txt", 18538.91, 18840, 473 * time.Microsecond, 17610 * time.Microsecond, 18840},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			r, err := parseWrk(string(b))
			if err != nil {
				t.Fatal(err)
			}
			if r.ReqPerSec != tc.rate || r.Requests != tc.requests || r.P50 != tc.p50 || r.P99 != tc.p99 || r.Non2xx != tc.non2xx || r.Errors != 0 {
				t.Errorf("parseWrk = %+v, want rate %v, %d requests, p50 %v, p99 %v, %d non-2xx", r, tc.rate, tc.requests, tc.p50, tc.p99, tc.non2xx)
			}
		})
	}
}

func TestParseWrkSocketErrorsAndUnits(t *testing.T) {
	// The lines wrk adds when sockets fail, and its longer units.
	out := `  Latency Distribution
     50%    1.50s
     99%    2.00m
  100 requests in 5.00s, 1.00MB read
  Socket errors: connect 2, read 3, write 0, timeout 7
Requests/sec:     20.00
`
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.P50 != 1500*time.Millisecond || r.P99 != 2*time.Minute || r.Errors != 12 || r.ReqPerSec != 20 {
		t.Errorf("parseWrk = %+v", r)
	}
	if _, err := parseWrk("unable to connect to 127.0.0.1:1 Connection refused\n"); err == nil {
		t.Error("output without figures parsed without error")
	}
	if _, err := parseWrk(strings.Replace(out, "     99%    2.00m\n", "", 1)); err == nil {
		t.Error("output without p99 (no --latency) parsed without error")
	}
}

func TestParsePgbench(t *testing.T) {
	b, err := os.ReadFile("testdata/pgbench_15.txt")
	if err != nil {
		t.Fatal(err)
	}
	if tps, err := parsePgbench(string(b)); err != nil || tps != 1835.168502 {
		t.Errorf("pgbench 15: %v, %v", tps, err)
	}
	// PostgreSQL 13 and older print two tps lines; the one without
	// connection set-up is the one to compare.
	old := "tps = 950.1 (including connections establishing)\ntps = 1012.5 (excluding connections establishing)\n"
	if tps, err := parsePgbench(old); err != nil || tps != 1012.5 {
		t.Errorf("pgbench 13: %v, %v", tps, err)
	}
	if _, err := parsePgbench("pgbench: error: connection to server failed\n"); err == nil {
		t.Error("output without tps parsed without error")
	}
}

func TestParseStatus(t *testing.T) {
	status := "Name:\tgroupbook\nVmPeak:\t 1820000 kB\nVmHWM:\t   81234 kB\nVmRSS:\t   70000 kB\nThreads:\t9\n"
	m, err := parseStatus(bufio.NewScanner(strings.NewReader(status)))
	if err != nil || m.HWM != 81234 || m.RSS != 70000 {
		t.Errorf("parseStatus = %+v, %v", m, err)
	}
	// And this process's own, read where the server's is read.
	m, err = readMemory(os.Getpid())
	if err != nil || m.HWM < m.RSS || m.RSS <= 0 {
		t.Errorf("readMemory(self) = %+v, %v", m, err)
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median odd = %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median even = %v", m)
	}
	if m := medianDuration([]time.Duration{time.Second, 3 * time.Second, 2 * time.Second}); m != 2*time.Second {
		t.Errorf("medianDuration = %v", m)
	}
}

// A command name with spaces and parentheses does not shift the fields.
func TestParseStatCPU(t *testing.T) {
	line := "4242 (postgres: a (b) c) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 1 0 100 1000000 500 18446744073709551615\n"
	got, started, err := parseStatCPU(line)
	if err != nil || got != 3.25 || started != "100" {
		t.Errorf("parseStatCPU = %v, %q, %v; want 3.25 s (250 + 75 ticks), started 100", got, started, err)
	}
	if _, _, err := parseStatCPU("4242 (short) S 1"); err == nil {
		t.Error("a short line was read")
	}
	if _, err := readCPU(os.Getpid()); err != nil {
		t.Errorf("reading our own CPU: %v", err)
	}
}

// A PostgreSQL process that exits within a round is not counted as
// negative time, and one that starts within it counts whole.
func TestCPUSampleSince(t *testing.T) {
	before := cpuSample{server: 10, self: 1, postgres: map[string]float64{"1@5": 2, "2@5": 7}}
	after := cpuSample{server: 12.5, self: 1.5, postgres: map[string]float64{"1@5": 3, "3@9": 0.25}}
	got := after.since(before)
	if got != (cpuTimes{Server: 2.5, Postgres: 1.25, Visitors: 0.5}) {
		t.Errorf("since = %+v", got)
	}
}
