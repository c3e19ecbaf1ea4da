package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"groupbook/booking"
	"groupbook/handlers"
)

// Server timeouts that do not depend on the request deadline.
// ReadHeaderTimeout stops slowloris clients holding connections open;
// IdleTimeout ends an idle keep-alive.
const (
	readHeaderTimeout = 5 * time.Second
	idleTimeout       = 120 * time.Second
	// writeMargin is the time a response gets after its request's
	// deadline: rendering the "try again" page and sending it to a slow
	// client.
	writeMargin = 10 * time.Second
	// shutdownTimeout is how long requests in flight get to finish at
	// least; it stays under the 30 s most orchestrators wait before
	// SIGKILL, unless the request deadline is longer.
	shutdownTimeout = 20 * time.Second
)

// timeouts are the HTTP server's and the database's limits, all derived
// from the request deadline so they fit together: a statement gets half of
// it (a request whose statement hangs still has time to answer), reading
// the request its headers' time plus the deadline (bodies are a few KB, see
// handlers.MaxAdminBody), writing the response the deadline plus a margin
// (the clock starts when the headers are read, so the handler's time is in
// it), and a graceful shutdown at least the deadline, so requests in
// flight end on their own.
type timeouts struct {
	request, statement, readHeader, read, write, idle, shutdown time.Duration
}

func serverTimeouts(request time.Duration) timeouts {
	if request <= 0 {
		request = handlers.DefaultRequestTimeout
	}
	return timeouts{
		request:    request,
		statement:  request / 2,
		readHeader: readHeaderTimeout,
		read:       readHeaderTimeout + request,
		write:      request + writeMargin,
		idle:       idleTimeout,
		shutdown:   max(shutdownTimeout, request+2*time.Second),
	}
}

// serve runs the server until ctx is cancelled (SIGINT or SIGTERM).
func (c *cli) serve(ctx context.Context, args []string) error {
	fs := newFlagSet("serve", c.stderr)
	src := bindConfig(fs, c.env, nil)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := src.Config()
	if err != nil {
		return err
	}
	log := newLogger(c.stderr, cfg.LogLevel)
	db, applied, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database ready", "database", redactDSN(cfg.DatabaseURL), "migrations_applied", applied)
	return serveStore(ctx, cfg, booking.NewStore(db), log, serveOptions{})
}

// newLogger writes JSON lines to w, one per event, for log collectors.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// serveOptions are what the commands serving a store differ in.
type serveOptions struct {
	// announce, if set, is called once the port is open.
	announce func()
	// demo shows the development verification codes in the widget.
	demo bool
}

// serveStore resolves the secret, builds the router, starts the SMS worker
// and serves on cfg.Addr until ctx ends, then shuts down gracefully.
func serveStore(ctx context.Context, cfg Config, store *booking.Store, log *slog.Logger, opts serveOptions) error {
	secret, err := resolveSecret(ctx, store, cfg.Secret, log)
	if err != nil {
		return err
	}
	deps, err := buildDeps(store, log, cfg, secret, opts.demo)
	if err != nil {
		return err
	}
	mail, err := buildMailer(cfg.Mail, log)
	if err != nil {
		return err
	}
	to := serverTimeouts(cfg.RequestTimeout)
	router := handlers.NewRouter(deps)
	srv := &http.Server{
		Handler:           router,
		ReadHeaderTimeout: to.readHeader,
		ReadTimeout:       to.read,
		WriteTimeout:      to.write,
		IdleTimeout:       to.idle,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// Listen before announcing, so a busy port fails here, not after we
	// said we were up.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	// The worker stops after the HTTP server (requests in flight may still
	// queue messages) and before the caller closes the database; a defer
	// keeps that order on every return.
	stopWorker := startSMSWorker(cfg, store, deps, mail, log)
	defer stopWorker()
	stopJobs := startJobWorker(cfg, store, deps.Payments, log)
	defer stopJobs()
	stopStats := keepStatsCurrent(ctx, store, log, statsEvery)
	defer stopStats()
	// The change listener (PostgreSQL) tells this process's widget caches
	// of other processes' writes; without it they stay off. It holds one
	// pooled connection until shutdown, and ends before the database closes.
	stopListener := startChangeListener(store, log)
	defer stopListener()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL)
	if opts.announce != nil {
		opts.announce()
	}

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", to.shutdown.String())
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), to.shutdown)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	stopWorker()
	stopJobs()
	log.Info("stopped")
	return nil
}
