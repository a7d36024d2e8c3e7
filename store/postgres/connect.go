package postgres

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
)

// The connection pool's bounds when the connection string does not set
// them: the defaults of pgxpool, which the store used before.
const (
	// minPoolConns is the least number of connections a pool may open; a
	// machine with more CPUs allows one per CPU.
	minPoolConns = 4
	// defaultConnLifetime is how long a connection is used before it is
	// replaced.
	defaultConnLifetime = time.Hour
	// defaultConnIdleTime is how long an idle connection is kept open.
	defaultConnIdleTime = 30 * time.Minute
)

// poolConfig bounds the connection pool of a Store.
type poolConfig struct {
	maxConns    int
	maxLifetime time.Duration
	maxIdleTime time.Duration
}

// connect parses connString and returns a pool of connections to its
// database (none opened yet) and the database's name for logs. Besides
// libpq's parameters the string may set the pool's bounds, as pgxpool's
// did: pool_max_conns (default max(4, CPUs)), pool_max_conn_lifetime (1h)
// and pool_max_conn_idle_time (30m), as Go durations. Without an sslmode,
// TLS is preferred (libpq's default) rather than required (pq's).
func connect(connString string) (*sql.DB, string, error) {
	cfg, err := pq.NewConfig(connString)
	if err != nil {
		return nil, "", fmt.Errorf("parse connection string: %w", redact(err, connString))
	}
	pc, err := takePoolConfig(cfg.Runtime)
	if err != nil {
		return nil, "", fmt.Errorf("parse connection string: %w", err)
	}
	if cfg.SSLMode == "" {
		cfg.SSLMode = pq.SSLModePrefer
	}
	connector, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, "", fmt.Errorf("connect: %w", err)
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(pc.maxConns)
	db.SetMaxIdleConns(pc.maxConns)
	db.SetConnMaxLifetime(pc.maxLifetime)
	db.SetConnMaxIdleTime(pc.maxIdleTime)
	return db, describe(cfg), nil
}

// takePoolConfig removes the pool_* parameters from params (the run-time
// parameters pq would send the server, which knows none of them) and
// returns the pool's bounds they set.
func takePoolConfig(params map[string]string) (poolConfig, error) {
	pc := poolConfig{
		maxConns:    max(minPoolConns, runtime.NumCPU()),
		maxLifetime: defaultConnLifetime,
		maxIdleTime: defaultConnIdleTime,
	}
	for k, v := range params {
		if !strings.HasPrefix(k, "pool_") {
			continue
		}
		delete(params, k)
		var err error
		switch k {
		case "pool_max_conns":
			pc.maxConns, err = strconv.Atoi(v)
			if err == nil && pc.maxConns < 1 {
				err = errors.New("want at least 1")
			}
		case "pool_max_conn_lifetime":
			pc.maxLifetime, err = time.ParseDuration(v)
		case "pool_max_conn_idle_time":
			pc.maxIdleTime, err = time.ParseDuration(v)
		default:
			err = errors.New("not supported (pool_max_conns, pool_max_conn_lifetime and pool_max_conn_idle_time are)")
		}
		if err != nil {
			return poolConfig{}, fmt.Errorf("%s=%q: %w", k, v, err)
		}
	}
	return pc, nil
}

// describe names the database without its password, for logs.
func describe(cfg pq.Config) string {
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// quoted matches the quoted parts of pq's parse errors: keys and values
// of the connection string.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// redact keeps the password of connString out of err, an error parsing
// it: net/url's errors quote the whole URL, so only their cause is kept;
// and when the string holds a password= parameter, which a misplaced
// space or quote splits into pieces the parser may quote, every quoted
// part of the message is masked.
func redact(err error, connString string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = fmt.Errorf("invalid URL: %w", ue.Err)
	}
	if strings.Contains(connString, "password") {
		return errors.New(quoted.ReplaceAllString(err.Error(), `"…"`))
	}
	return err
}
