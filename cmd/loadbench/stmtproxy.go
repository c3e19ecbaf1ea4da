package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"
)

// stmtProxy sits between a server and PostgreSQL and counts the statements
// the server sends: each simple Query message and each Execute of the
// extended protocol is one (BEGIN and COMMIT included). Without
// pg_stat_statements loaded this is the cheap exact count; it costs a hop,
// so it is used only for a short calibration, never under load.
type stmtProxy struct {
	ln     net.Listener
	target string
	count  atomic.Int64
}

// startStmtProxy listens on a free loopback port and forwards to target
// (host:port).
func startStmtProxy(target string) (*stmtProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("statement proxy: %w", err)
	}
	p := &stmtProxy{ln: ln, target: target}
	go p.accept()
	return p, nil
}

func (p *stmtProxy) addr() string { return p.ln.Addr().String() }

func (p *stmtProxy) close() {
	p.ln.Close()
}

func (p *stmtProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.serve(c)
	}
}

func (p *stmtProxy) serve(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	go func() {
		io.Copy(client, server) //nolint:errcheck // the connection ends either way
		client.Close()
	}()
	p.forward(bufio.NewReader(client), server) //nolint:errcheck // the connection ends either way
}

// Startup request codes that come before the startup message proper.
const (
	sslRequest    = 80877103
	gssEncRequest = 80877104
)

// forward copies the client's messages to the server, counting statements.
func (p *stmtProxy) forward(r *bufio.Reader, w io.Writer) error {
	// Untyped startup packets first: an SSL or GSS request (answered "N"
	// with sslmode=disable), then the startup message.
	for {
		msg, err := readPacket(r, false)
		if err != nil {
			return err
		}
		if _, err := w.Write(msg); err != nil {
			return err
		}
		if len(msg) < 8 {
			return errors.New("short startup packet")
		}
		if code := binary.BigEndian.Uint32(msg[4:8]); code != sslRequest && code != gssEncRequest {
			break
		}
	}
	for {
		msg, err := readPacket(r, true)
		if err != nil {
			return err
		}
		if isStatement(msg) {
			p.count.Add(1)
		}
		if _, err := w.Write(msg); err != nil {
			return err
		}
	}
}

// isStatement tells a statement's message: a simple Query or an Execute,
// but not the "-- ping" pgx sends to check a pooled connection.
func isStatement(msg []byte) bool {
	switch msg[0] {
	case 'E':
		return true
	case 'Q':
		return !bytes.HasPrefix(msg[5:], []byte("-- ping"))
	}
	return false
}

// readPacket reads one protocol message: an optional type byte, then a
// big-endian length that counts itself.
func readPacket(r *bufio.Reader, typed bool) ([]byte, error) {
	head := 4
	if typed {
		head = 5
	}
	h := make([]byte, head)
	if _, err := io.ReadFull(r, h); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint32(h[head-4:]))
	if n < 4 || n > 1<<30 {
		return nil, fmt.Errorf("bad message length %d", n)
	}
	msg := make([]byte, head+n-4)
	copy(msg, h)
	if _, err := io.ReadFull(r, msg[head:]); err != nil {
		return nil, err
	}
	return msg, nil
}
