package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"groupbook/booking/booktest"
)

// kinds are the databases every test that touches one runs on.
var kinds = []string{booktest.SQLite, booktest.Postgres}

// envOf turns a map into the env lookup run takes.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// syncBuffer is a bytes.Buffer that a running server may write to while
// the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runCmd runs one command in-process and returns its error and output.
func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (err error, stdout, stderr string) {
	t.Helper()
	var out, errOut syncBuffer
	err = run(context.Background(), args, envOf(env), strings.NewReader(stdin), &out, &errOut)
	return err, out.String(), errOut.String()
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// server is a command running in the background.
type server struct {
	cancel         context.CancelFunc
	done           chan struct{} // closed when run has returned err
	err            error
	stdout, stderr *syncBuffer
}

// startCmd runs a serving command in the background until stop.
func startCmd(t *testing.T, env map[string]string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{cancel: cancel, done: make(chan struct{}), stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	go func() {
		defer close(s.done)
		s.err = run(ctx, args, envOf(env), strings.NewReader(""), s.stdout, s.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
		}
	})
	return s
}

// waitReady polls /readyz until it answers 200, for at most 90 seconds: a
// demo start migrates and seeds first, which on two shared, busy cores
// took over 20 s (the server dying early still fails at once).
func (s *server) waitReady(t *testing.T, base string) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			t.Fatalf("server stopped before it was ready: %v\nstderr:\n%s", s.err, s.stderr)
		default:
		}
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s/readyz not 200 within 90s\nstderr:\n%s", base, s.stderr)
}

// stop cancels the command's context, as SIGTERM does, and returns what
// run returned.
func (s *server) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	select {
	case <-s.done:
		return s.err
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop within 30s of cancel")
		return nil
	}
}

func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
