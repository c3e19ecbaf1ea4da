package main

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// machine describes where a run happened, for the report's header.
type machine struct {
	CPUs     int
	CPU      string
	Go       string
	Date     string
	Wrk      string
	Pgbench  string
	Platform string
}

func describeMachine() machine {
	m := machine{
		CPUs: runtime.NumCPU(), CPU: cpuModel(), Go: runtime.Version(),
		Date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), Platform: runtime.GOOS + "/" + runtime.GOARCH,
	}
	m.Wrk = firstLine("wrk", "-v")
	m.Pgbench = firstLine("pgbench", "--version")
	return m
}

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// firstLine is the first line a tool prints about its version ("" if it
// is missing). wrk -v exits 1, so only the output counts.
func firstLine(name string, args ...string) string {
	out, _ := exec.Command(name, args...).CombinedOutput()
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}
