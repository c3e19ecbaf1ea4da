package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
)

// hello serves the baseline: Gin in release mode with no middleware and
// one route answering "hello", the least any Gin handler costs. Running it
// as a separate process, like the server, puts both behind the same
// loopback, scheduler and wrk.
func hello(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("hello", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "hello") })
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("hello: %w", err)
	}
	srv := &http.Server{Handler: r}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("hello: %w", err)
	}
	return nil
}
