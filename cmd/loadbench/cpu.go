package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// cpuTimes are the CPU seconds (user + system) used so far by the
// server, by PostgreSQL's processes and by loadbench itself (the booking
// visitors). Over a booking round their differences say where a booking's
// machine time goes, which the rate alone does not: the three share the
// same cores.
type cpuTimes struct{ Server, Postgres, Visitors float64 }

func (a cpuTimes) minus(b cpuTimes) cpuTimes {
	return cpuTimes{a.Server - b.Server, a.Postgres - b.Postgres, a.Visitors - b.Visitors}
}

func (a cpuTimes) plus(b cpuTimes) cpuTimes {
	return cpuTimes{a.Server + b.Server, a.Postgres + b.Postgres, a.Visitors + b.Visitors}
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on
// every Linux architecture Go runs on.
const clockTicks = 100

// readCPU reads the server's and PostgreSQL's times from /proc and our
// own from getrusage. PostgreSQL's is the sum over its processes alive at
// the moment: the server's pooled connections live through a round, so
// their work is counted; a backend that exits within a round is lost,
// which can only make PostgreSQL's share look smaller.
func readCPU(serverPID int) (cpuTimes, error) {
	var t cpuTimes
	var err error
	if t.Server, err = procCPU(strconv.Itoa(serverPID)); err != nil {
		return t, err
	}
	dirs, err := filepath.Glob("/proc/[0-9]*")
	if err != nil {
		return t, fmt.Errorf("list processes: %w", err)
	}
	for _, d := range dirs {
		comm, err := os.ReadFile(filepath.Join(d, "comm"))
		if err != nil || !strings.HasPrefix(string(comm), "postgres") {
			continue // gone meanwhile, or not PostgreSQL
		}
		if s, err := procCPU(filepath.Base(d)); err == nil {
			t.Postgres += s
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return t, fmt.Errorf("getrusage: %w", err)
	}
	t.Visitors = tvSeconds(ru.Utime) + tvSeconds(ru.Stime)
	return t, nil
}

func tvSeconds(tv syscall.Timeval) float64 {
	return float64(tv.Sec) + float64(tv.Usec)/1e6
}

// procCPU is a process's utime + stime in seconds.
func procCPU(pid string) (float64, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, fmt.Errorf("cpu of %s: %w", pid, err)
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads fields 14 and 15 (utime, stime) of a /proc/<pid>/stat
// line. The command name, field 2, is in parentheses and may hold spaces,
// so fields are counted from its closing parenthesis.
func parseStatCPU(stat string) (float64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("stat line without a command: %.40q", stat)
	}
	f := strings.Fields(stat[i+1:])
	// f[0] is field 3 (state), so field n is f[n-3].
	if len(f) < 13 {
		return 0, fmt.Errorf("stat line too short: %.80q", stat)
	}
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("stat times %q %q", f[11], f[12])
	}
	return (ut + st) / clockTicks, nil
}
