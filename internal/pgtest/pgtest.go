// Package pgtest starts a throwaway PostgreSQL server for tests: initdb
// into a temporary directory, postgres listening on a Unix socket in it
// only (no TCP port to collide with), trust authentication, fsync off.
// PostgreSQL refuses to run as root, so as root the server runs as the user
// "nobody". The server dies with the test binary (Pdeathsig on Linux), so
// a killed test leaves no server behind.
//
// A package's TestMain starts one server (Start) and each test takes a
// fresh database on it (DB).
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lib/pq"
)

// pgBinEnv names the directory of initdb and postgres, when they are not
// in Debian's place.
const pgBinEnv = "GOVBOT_PG_BIN"

// ErrNoBinaries is returned by Start when PostgreSQL is not installed: the
// one reason for a test to skip rather than fail.
var ErrNoBinaries = errors.New("PostgreSQL server binaries not found (install Debian's postgresql package, or set " + pgBinEnv + ")")

// Server is a running throwaway server.
type Server struct {
	dir  string // data directory, socket and log
	sock string
	cmd  *exec.Cmd

	mu  sync.Mutex
	dbs int // databases made by DB
}

// findPGBin returns the directory holding initdb and postgres: $GOVBOT_PG_BIN,
// else Debian's newest /usr/lib/postgresql/N/bin, else the PATH's.
func findPGBin() (string, error) {
	if d := os.Getenv(pgBinEnv); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", ErrNoBinaries
}

// versionOf is N of /usr/lib/postgresql/N/bin.
func versionOf(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// errUnsupported is returned by Start where the server cannot be run (not
// Linux): tests skip.
var errUnsupported = errors.New("pgtest: the throwaway PostgreSQL server is run on Linux only")

// Start initialises and starts a server in a new temporary directory.
func Start() (*Server, error) {
	bin, err := findPGBin()
	if err != nil {
		return nil, err
	}
	attr, as, err := runAs()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "govbot-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, sock: dir}
	if as != nil {
		uid, _ := strconv.Atoi(as.Uid)
		gid, _ := strconv.Atoi(as.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "govbot", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
	initdb.SysProcAttr = attr
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	log, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer log.Close()
	s.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", s.sock,
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	s.cmd.SysProcAttr = attr
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	if err := s.waitReady(30 * time.Second); err != nil {
		logText, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		s.Stop()
		return nil, fmt.Errorf("%w\n%s", err, logText)
	}
	return s, nil
}

// dsn is the connection string of database db.
func (s *Server) dsn(db string) string {
	return fmt.Sprintf("host=%s user=govbot dbname=%s", s.sock, db)
}

// waitReady polls until the server accepts connections.
func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		err := s.exec(time.Second, "SELECT 1")
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within %v: %w", limit, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// createDB makes a new empty database for one test.
func (s *Server) createDB(name string) error {
	return s.exec(30*time.Second, "CREATE DATABASE "+pq.QuoteIdentifier(name))
}

// exec runs query on a new connection to the server's postgres database,
// within limit.
func (s *Server) exec(limit time.Duration, query string) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	connector, err := pq.NewConnector(s.dsn("postgres"))
	if err != nil {
		return err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	_, err = db.ExecContext(ctx, query)
	return err
}

// Stop shuts the server down (fast shutdown) and removes its directory.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-done
		}
	}
	os.RemoveAll(s.dir)
}

// DB makes a fresh empty database on srv and returns its postgres:// URL.
// When srv is nil (Start failed with startErr) it skips the test if
// PostgreSQL is not installed, and fails it otherwise, or in CI (which
// installs PostgreSQL: a skip there would hide the tests).
func DB(t testing.TB, srv *Server, startErr error) string {
	t.Helper()
	if srv == nil {
		if os.Getenv("CI") == "" && (errors.Is(startErr, ErrNoBinaries) || errors.Is(startErr, errUnsupported)) {
			t.Skip(startErr)
		}
		t.Fatalf("no PostgreSQL server for the tests: %v", startErr)
	}
	srv.mu.Lock()
	srv.dbs++
	name := fmt.Sprintf("govbot_test_%d", srv.dbs)
	srv.mu.Unlock()
	if err := srv.createDB(name); err != nil {
		t.Fatal(err)
	}
	return srv.URL(name)
}

// URL is the postgres:// URL of database db.
func (s *Server) URL(db string) string {
	u := url.URL{Scheme: "postgres", User: url.User("govbot"), Path: "/" + db, RawQuery: url.Values{"host": {s.sock}}.Encode()}
	return u.String()
}
