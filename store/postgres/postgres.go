// Package postgres keeps govbot's durable state in PostgreSQL, so that
// several govbot replicas can share it: subscriptions, the reports already
// announced, the announcement outbox, admin user IDs, recent errors, the
// poll state of watched sources, feedback and the journal of received
// updates. It implements store.Backend with the semantics of the embedded
// bbolt store (package store documents each method): every method is one
// transaction, durable when it returns, and the outbox can be drained by
// several processes at once (Due reads with FOR UPDATE SKIP LOCKED, and
// BeginSend's conditional update lets exactly one of them claim an entry).
//
// Open creates the tables on first use and migrates them forward; the
// tables are named govbot_*, so the database can be shared with others.
// Times are kept to the microsecond (PostgreSQL's timestamptz).
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/govbot/govbot/store"
)

// Options tunes Open. The zero value is the production setting.
type Options struct {
	// Timeout bounds each method's transaction; 0 means 30 seconds.
	Timeout time.Duration
	// Now replaces time.Now, for tests.
	Now func() time.Time
}

// defaultTimeout bounds a method's transaction when Options.Timeout is 0.
const defaultTimeout = 30 * time.Second

// Store is an open connection pool to the state database. It is safe for
// concurrent use, also by several processes.
type Store struct {
	db      *sql.DB
	now     func() time.Time
	timeout time.Duration
	where   string
}

// The PostgreSQL store implements all of govbot's state.
var _ store.Backend = (*Store)(nil)

// IsURL reports whether spec names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a directory.
func IsURL(spec string) bool {
	u, err := url.Parse(spec)
	return err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql")
}

// Open connects to the database at connString (a postgres:// URL or a
// key=value DSN, as libpq takes; see connect for the pool_* settings),
// creates or migrates govbot's tables and returns the store.
func Open(ctx context.Context, connString string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	db, where, err := connect(connString)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	s := &Store{db: db, now: o.Now, timeout: o.Timeout, where: where}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres store: %s: %w", s.where, err)
	}
	return s, nil
}

// String names the database (user, host, port and name; never the
// password), for logs.
func (s *Store) String() string { return s.where }

// Close closes the pool's connections.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("postgres store: close %s: %w", s.where, err)
	}
	return nil
}

// tx runs fn in one transaction, bounded by the store's timeout.
func (s *Store) tx(fn func(ctx context.Context, tx *sql.Tx) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	return inTx(ctx, s.db, fn)
}

// inTx runs fn in one transaction on db, committed when fn returns nil and
// rolled back otherwise.
func inTx(ctx context.Context, db *sql.DB, fn func(ctx context.Context, tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	// After a commit this does nothing; after a failure (or a panic in fn)
	// its own error adds nothing: the transaction is void either way.
	defer func() { _ = tx.Rollback() }()
	if err := fn(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// clock returns the current time as the store keeps it: UTC, to the
// microsecond.
func (s *Store) clock() time.Time { return stamp(s.now()) }

// stamp is t as a timestamptz holds it, so that what a method returns
// equals what a later read returns.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// orZero maps NULL back to the zero time.
func orZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Check verifies govbot's invariants between tables: every pending entry
// has a due time, every entry in flight a token, every report key points at
// a recorded report. (Entries of unrecorded reports are ruled out by a
// foreign key.) It returns all problems found, joined.
func (s *Store) Check() error {
	checks := []struct{ what, query string }{
		{"pending entries without a due time", `SELECT count(*) FROM govbot_outbox WHERE state = 'pending' AND next_attempt IS NULL`},
		{"entries in flight without a token", `SELECT count(*) FROM govbot_outbox WHERE state = 'sending' AND token = ''`},
		{"report keys pointing at unrecorded reports", `SELECT count(*) FROM govbot_report_keys k WHERE NOT EXISTS (SELECT 1 FROM govbot_reports r WHERE r.id = k.report_id)`},
	}
	var errs []error
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		for _, c := range checks {
			var n int
			if err := tx.QueryRowContext(ctx, c.query).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				errs = append(errs, fmt.Errorf("%d %s", n, c.what))
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres store: check: %w", err)
	}
	return errors.Join(errs...)
}

// collect reads every row of the query tx runs with scan, in order, and
// closes the rows, so that the transaction's connection is free for the
// next statement.
func collect[T any](ctx context.Context, tx *sql.Tx, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, rows.Close()
}

// scanOne reads a row of one column.
func scanOne[T any](rows *sql.Rows) (T, error) {
	var v T
	err := rows.Scan(&v)
	return v, err
}

// affected reports whether the statement that returned res changed a row.
func affected(res sql.Result) (bool, error) {
	n, err := res.RowsAffected()
	return n > 0, err
}
