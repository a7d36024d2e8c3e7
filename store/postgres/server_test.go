package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A throwaway PostgreSQL server for the tests: initdb into a temporary
// directory, postgres listening on a Unix socket in it only (no TCP port
// to collide with), trust authentication, fsync off. PostgreSQL refuses to
// run as root, so as root the server runs as the user "nobody". The server
// dies with the test binary (Pdeathsig), so a killed test leaves no server
// behind.

// pgBinEnv names the directory of initdb and postgres, when they are not
// in Debian's place.
const pgBinEnv = "GOVBOT_PG_BIN"

// testServer is the running server, nil when there is none (startErr
// says why).
var (
	testServer *pgServer
	startErr   error
)

// errNoBinaries is the one reason to skip rather than fail.
var errNoBinaries = errors.New("PostgreSQL server binaries not found (install Debian's postgresql package, or set " + pgBinEnv + ")")

// pgServer is a running throwaway server.
type pgServer struct {
	dir  string // data directory, socket and log
	sock string
	cmd  *exec.Cmd
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
	return "", errNoBinaries
}

// versionOf is N of /usr/lib/postgresql/N/bin.
func versionOf(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// runAs returns the process attributes that run a server binary as a user
// PostgreSQL accepts (nobody when we are root) and kill it with us.
func runAs() (*syscall.SysProcAttr, *user.User, error) {
	attr := &syscall.SysProcAttr{Pdeathsig: syscall.SIGQUIT}
	if os.Geteuid() != 0 {
		return attr, nil, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, nil, fmt.Errorf("running as root and no user nobody to run postgres as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	return attr, u, nil
}

// startServer initialises and starts a server in a new temporary directory.
func startServer() (*pgServer, error) {
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
	s := &pgServer{dir: dir, sock: dir}
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
		s.stop()
		return nil, fmt.Errorf("%w\n%s", err, logText)
	}
	return s, nil
}

// dsn is the connection string of database db.
func (s *pgServer) dsn(db string) string {
	return fmt.Sprintf("host=%s user=govbot dbname=%s", s.sock, db)
}

// waitReady polls until the server accepts connections.
func (s *pgServer) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := pgx.Connect(ctx, s.dsn("postgres"))
		cancel()
		if err == nil {
			return conn.Close(context.Background())
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within %v: %w", limit, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// createDB makes a new empty database for one test.
func (s *pgServer) createDB(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.dsn("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

// stop shuts the server down (fast shutdown) and removes its directory.
func (s *pgServer) stop() {
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

func TestMain(m *testing.M) {
	s, err := startServer()
	testServer, startErr = s, err
	code := m.Run()
	if s != nil {
		s.stop()
	}
	os.Exit(code)
}

// dbCount numbers the test databases.
var dbCount int

// newDB returns the connection string of a fresh database, skipping the
// test when no server could be started because PostgreSQL is not
// installed, and failing it when one could not be started otherwise or in
// CI (which installs PostgreSQL: a skip there would hide the suite).
func newDB(t *testing.T) string {
	t.Helper()
	if testServer == nil {
		if os.Getenv("CI") == "" && errors.Is(startErr, errNoBinaries) {
			t.Skip(startErr)
		}
		t.Fatalf("no PostgreSQL server for the tests: %v", startErr)
	}
	dbCount++
	name := fmt.Sprintf("govbot_test_%d", dbCount)
	if err := testServer.createDB(name); err != nil {
		t.Fatal(err)
	}
	return testServer.dsn(name)
}
