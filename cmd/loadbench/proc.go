package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// process is a server loadbench started.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string // where its output goes
	done chan error
	// stopped makes stop idempotent: a deferred stop after an explicit
	// one returns the first result.
	stopped sync.Once
	stopErr error
}

// startProcess runs bin with args and env added to ours, its output into
// a log file in dir.
func startProcess(name, dir, bin string, env []string, args ...string) (*process, error) {
	logPath := filepath.Join(dir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("%s log: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: logPath, done: make(chan error, 1)}
	go func() {
		p.done <- cmd.Wait()
		f.Close()
	}()
	return p, nil
}

// waitHTTP polls url until it answers 200, the process exits or timeout
// passes.
func (p *process) waitHTTP(ctx context.Context, url string, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			p.done <- err
			return fmt.Errorf("%s exited before it was ready (%v); its log:\n%s", p.name, err, p.tail())
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s: %s not ready within %s; its log:\n%s", p.name, url, timeout, p.tail())
}

// stop asks the process to shut down (SIGINT, as Ctrl-C), and kills it if
// it has not within 30 seconds.
func (p *process) stop() error {
	p.stopped.Do(func() { p.stopErr = p.interrupt() })
	return p.stopErr
}

func (p *process) interrupt() error {
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop %s: %w", p.name, err)
	}
	select {
	case err := <-p.done:
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() {
			return nil // a process without a handler for SIGINT
		}
		return err
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		return fmt.Errorf("%s did not stop within 30 s of SIGINT; killed", p.name)
	}
}

// tail is the end of the process's log, for error messages.
func (p *process) tail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

// memory is a process's resident memory from /proc/<pid>/status: its peak
// (VmHWM) and current (VmRSS) resident set, in KiB.
type memory struct{ HWM, RSS int64 }

func (p *process) memory() (memory, error) {
	return readMemory(p.cmd.Process.Pid)
}

func readMemory(pid int) (memory, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return memory{}, fmt.Errorf("memory of %d: %w", pid, err)
	}
	defer f.Close()
	return parseStatus(bufio.NewScanner(f))
}

// parseStatus reads VmHWM and VmRSS ("VmHWM:   123456 kB") from
// /proc/<pid>/status.
func parseStatus(sc *bufio.Scanner) (memory, error) {
	var m memory
	var found int
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[2] != "kB" {
			continue
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			continue
		}
		switch f[0] {
		case "VmHWM:":
			m.HWM, found = n, found+1
		case "VmRSS:":
			m.RSS, found = n, found+1
		}
	}
	if found != 2 {
		return m, errors.New("no VmHWM and VmRSS in /proc status")
	}
	return m, nil
}

// freeAddr is a loopback address with a port nobody listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
