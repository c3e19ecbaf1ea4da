// Command loadbench measures groupbook from outside, against baselines
// run in the same session on the same machine, and prints a markdown
// report:
//
//   - the widget's pages under wrk, each alternated with a Gin
//     hello-world, on SQLite and PostgreSQL, with the demo data and with
//     many future events (groupbook demo -events);
//   - bookings over HTTP on PostgreSQL (16 visitors: contact step, then
//     the booking form), alternated with pgbench's single-row UPDATE;
//   - the server's resident memory after each.
//
// It needs wrk, and for PostgreSQL a local server and pgbench. Usage:
//
//	go run ./cmd/loadbench -out bench.md
//	go run ./cmd/loadbench -quick -db sqlite
//
// "loadbench hello -addr host:port" is the baseline server it starts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "hello" {
		err = hello(ctx, os.Args[2:])
	} else {
		err = bench(ctx, os.Args[1:])
	}
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}
