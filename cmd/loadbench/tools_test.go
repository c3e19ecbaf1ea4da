package main

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"groupbook/booking/booktest"
)

// These run the real tools briefly, when they are installed; the parsers'
// tests above cover their output without them.

func TestWrkAgainstHello(t *testing.T) {
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk is not installed (apt-get install -y wrk); its parser is tested on captured output")
	}
	addr, err := freeAddr()
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hello(ctx, []string{"-addr", addr}) }()
	t.Cleanup(func() { cancel(); <-done })
	p := &process{name: "hello", done: make(chan error, 1)}
	must(t, p.waitHTTP(ctx, "http://"+addr+"/", 10*time.Second))

	r, err := runWrk(ctx, wrkOptions{Threads: 1, Connections: 4, Duration: time.Second}, "http://"+addr+"/", hxRequest)
	must(t, err)
	if r.ReqPerSec <= 0 || r.Requests <= 0 || r.P50 <= 0 || r.P99 < r.P50 || r.Non2xx != 0 || r.Errors != 0 {
		t.Errorf("wrk on hello: %+v", r)
	}
}

func TestPgbenchBaseline(t *testing.T) {
	if _, err := exec.LookPath("pgbench"); err != nil {
		t.Skip("pgbench is not installed; its parser is tested on captured output")
	}
	base := os.Getenv(booktest.EnvPostgres)
	if base == "" {
		t.Skipf("set %s to run pgbench against it", booktest.EnvPostgres)
	}
	pg, err := newPGServer(base)
	must(t, err)
	ctx := context.Background()
	name := "groupbook_bench_loadbench_test"
	t.Cleanup(func() { pg.drop(context.Background(), name) })
	pb, err := preparePgbench(ctx, pg, name, 1, 2, t.TempDir())
	must(t, err)
	tps, err := pb.run(ctx, time.Second)
	must(t, err)
	if tps <= 0 {
		t.Errorf("pgbench tps %v", tps)
	}
	if _, err := pg.recreate(ctx, "postgres"); err == nil {
		t.Error("recreate agreed to drop the database \"postgres\"")
	}
}
