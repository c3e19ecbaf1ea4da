package handlers

import (
	"bytes"
	"net"
	"net/url"
	"sync"
	"testing"
)

// pgProxy is a TCP proxy between the server and PostgreSQL that a test can
// make misbehave the way a network or a frozen database does: stop
// forwarding anything (freeze), freeze right after a COMMIT has gone
// through to the server, or lose the server's answer to a COMMIT and drop
// that connection.
type pgProxy struct {
	t      *testing.T
	ln     net.Listener
	target string

	mu     sync.Mutex
	cond   *sync.Cond
	frozen bool
	// afterCommit is what happens once a COMMIT has been forwarded.
	afterCommit proxyCommitAction
	commits     int // COMMITs seen
	conns       []net.Conn
}

type proxyCommitAction int

const (
	commitPass       proxyCommitAction = iota
	commitThenFreeze                   // forward the COMMIT, then stop forwarding everything
	commitLoseAnswer                   // forward the COMMIT, drop its answer and the connection
)

// newPGProxy listens on a local port and forwards to the host of the
// PostgreSQL URL dsn.
func newPGProxy(t *testing.T, dsn string) *pgProxy {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgProxy{t: t, ln: ln, target: u.Host}
	p.cond = sync.NewCond(&p.mu)
	t.Cleanup(p.close)
	go p.accept()
	return p
}

// url is dsn with the proxy in place of the server.
func (p *pgProxy) url(dsn string) string {
	u, _ := url.Parse(dsn)
	u.Host = p.ln.Addr().String()
	return u.String()
}

func (p *pgProxy) freeze(on bool) {
	p.mu.Lock()
	p.frozen = on
	p.mu.Unlock()
	p.cond.Broadcast()
}

func (p *pgProxy) onCommit(a proxyCommitAction) {
	p.mu.Lock()
	p.afterCommit = a
	p.mu.Unlock()
}

func (p *pgProxy) commitsSeen() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.commits
}

// waitThawed blocks while the proxy is frozen.
func (p *pgProxy) waitThawed() {
	p.mu.Lock()
	for p.frozen {
		p.cond.Wait()
	}
	p.mu.Unlock()
}

func (p *pgProxy) close() {
	p.ln.Close()
	p.freeze(false)
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
}

func (p *pgProxy) accept() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, client, server)
		p.mu.Unlock()
		pc := &proxyConn{p: p, client: client, server: server}
		go pc.up()
		go pc.down()
	}
}

// proxyConn is one client connection and its server connection.
type proxyConn struct {
	p              *pgProxy
	client, server net.Conn
	mu             sync.Mutex
	loseNext       bool // the next answer from the server is dropped, and the connection with it
}

// up forwards client to server, watching for COMMIT.
func (c *proxyConn) up() {
	defer c.server.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.client.Read(buf)
		if n > 0 {
			c.p.waitThawed()
			chunk := buf[:n]
			if _, werr := c.server.Write(chunk); werr != nil {
				return
			}
			// pgx sends COMMIT as a simple query; no other statement of
			// ours contains the word.
			if bytes.Contains(bytes.ToLower(chunk), []byte("commit")) {
				c.p.mu.Lock()
				c.p.commits++
				action := c.p.afterCommit
				c.p.afterCommit = commitPass // once: the retry must get through
				c.p.mu.Unlock()
				switch action {
				case commitThenFreeze:
					c.p.freeze(true)
				case commitLoseAnswer:
					c.mu.Lock()
					c.loseNext = true
					c.mu.Unlock()
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// down forwards server to client.
func (c *proxyConn) down() {
	defer c.client.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.server.Read(buf)
		if n > 0 {
			c.p.waitThawed()
			c.mu.Lock()
			lose := c.loseNext
			c.mu.Unlock()
			if lose {
				// The server committed and answered; the client never
				// hears it: its connection breaks.
				c.server.Close()
				return
			}
			if _, werr := c.client.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
