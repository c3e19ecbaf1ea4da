package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// cpuTimes are CPU seconds (user + system) used by the server, by
// PostgreSQL's processes and by loadbench itself (the booking visitors).
// Over a booking round they say where a booking's machine time goes,
// which the rate alone does not: the three share the same cores.
type cpuTimes struct{ Server, Postgres, Visitors float64 }

func (a cpuTimes) plus(b cpuTimes) cpuTimes {
	return cpuTimes{a.Server + b.Server, a.Postgres + b.Postgres, a.Visitors + b.Visitors}
}

// cpuSample is one reading: the server's and our own totals so far, and
// each PostgreSQL process's, by pid and start time (a pid can be reused).
type cpuSample struct {
	server, self float64
	postgres     map[string]float64
}

// since is the CPU used between an earlier sample and s. A PostgreSQL
// process alive at both counts its difference, one started meanwhile all
// of its time; one that exited meanwhile is lost (the server's pooled
// connections live through a round, so that can only make PostgreSQL's
// share look smaller, never larger).
func (s cpuSample) since(before cpuSample) cpuTimes {
	t := cpuTimes{Server: s.server - before.server, Visitors: s.self - before.self}
	for k, v := range s.postgres {
		t.Postgres += v - before.postgres[k]
	}
	return t
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on
// every Linux architecture Go runs on.
const clockTicks = 100

// readCPU reads the server's and PostgreSQL's times from /proc and our
// own from getrusage.
func readCPU(serverPID int) (cpuSample, error) {
	s := cpuSample{postgres: map[string]float64{}}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(serverPID) + "/stat")
	if err != nil {
		return s, fmt.Errorf("cpu of the server: %w", err)
	}
	if s.server, _, err = parseStatCPU(string(stat)); err != nil {
		return s, err
	}
	dirs, err := filepath.Glob("/proc/[0-9]*")
	if err != nil {
		return s, fmt.Errorf("list processes: %w", err)
	}
	for _, d := range dirs {
		comm, err := os.ReadFile(filepath.Join(d, "comm"))
		if err != nil || !strings.HasPrefix(string(comm), "postgres") {
			continue // gone meanwhile, or not PostgreSQL
		}
		stat, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		if v, started, err := parseStatCPU(string(stat)); err == nil {
			s.postgres[filepath.Base(d)+"@"+started] = v
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return s, fmt.Errorf("getrusage: %w", err)
	}
	s.self = tvSeconds(ru.Utime) + tvSeconds(ru.Stime)
	return s, nil
}

func tvSeconds(tv syscall.Timeval) float64 {
	return float64(tv.Sec) + float64(tv.Usec)/1e6
}

// parseStatCPU reads fields 14 and 15 (utime, stime) of a /proc/<pid>/stat
// line, in seconds, and field 22 (the start time, which tells a reused pid
// apart). The command name, field 2, is in parentheses and may hold
// spaces, so fields are counted from its closing parenthesis.
func parseStatCPU(stat string) (float64, string, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, "", fmt.Errorf("stat line without a command: %.40q", stat)
	}
	f := strings.Fields(stat[i+1:])
	// f[0] is field 3 (state), so field n is f[n-3].
	if len(f) < 20 {
		return 0, "", fmt.Errorf("stat line too short: %.80q", stat)
	}
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, "", fmt.Errorf("stat times %q %q", f[11], f[12])
	}
	return (ut + st) / clockTicks, f[19], nil
}
