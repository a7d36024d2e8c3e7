// Package store keeps govbot's durable state in one embedded bbolt file,
// DATA/state.db: chat subscriptions, the reports already announced, the
// announcement outbox, admin user IDs, recent errors and the poll state of
// watched sources.
//
// Every method runs in a single bbolt transaction, so each change is atomic
// and durable when the method returns (bbolt fsyncs on commit): a process
// killed at any point leaves the file either before or after the change,
// never in between. Values are JSON so that the file can be inspected with
// bbolt's own tools and old records survive added fields.
//
// Only one process may open the file at a time; a second Open waits for
// Options.LockTimeout and then fails with an error wrapping ErrLocked.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	boltErrors "go.etcd.io/bbolt/errors"
)

// FileName is the name of the state file inside the data directory.
const FileName = "state.db"

// ErrLocked is returned by Open when another process has the state file open.
var ErrLocked = errors.New("store: state file is in use by another govbot process")

// ErrNotFound is returned when a record asked for by key does not exist.
var ErrNotFound = errors.New("store: not found")

// Bucket names. They are part of the file format: renaming one loses data.
var (
	bSubs       = []byte("subscriptions")
	bReports    = []byte("reports")
	bByHash     = []byte("reports_by_hash")
	bByIndexNo  = []byte("reports_by_index_number")
	bByURL      = []byte("reports_by_url")
	bOutbox     = []byte("outbox")
	bDue        = []byte("outbox_due")
	bInflight   = []byte("outbox_inflight")
	bAdmins     = []byte("admins")
	bErrors     = []byte("errors")
	bPoll       = []byte("poll")
	bSeen       = []byte("poll_seen")
	bMeta       = []byte("meta")
	bFeedback   = []byte("feedback")
	bUpdPending = []byte("updates_pending")
	bUpdDone    = []byte("updates_done")
	allBuckets  = [][]byte{bSubs, bReports, bByHash, bByIndexNo, bByURL, bOutbox, bDue, bInflight, bAdmins, bErrors, bPoll, bSeen, bMeta, bFeedback, bUpdPending, bUpdDone}
	keyVersion  = []byte("format_version")
	formatValue = []byte("1")
)

// Options tunes Open. The zero value is the production setting.
type Options struct {
	// LockTimeout is how long Open waits for another process to release the
	// file; 0 means 2 seconds.
	LockTimeout time.Duration
	// Now replaces time.Now, for tests.
	Now func() time.Time
}

// Store is an open state file. It is safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string
	now  func() time.Time
}

// Open opens (creating if needed) the state file at path.
func Open(path string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.LockTimeout == 0 {
		o.LockTimeout = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("store: create directory: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: o.LockTimeout})
	if err != nil {
		if errors.Is(err, boltErrors.ErrTimeout) {
			return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		m := tx.Bucket(bMeta)
		if v := m.Get(keyVersion); v != nil && string(v) != string(formatValue) {
			return fmt.Errorf("unsupported state format version %q", v)
		}
		return m.Put(keyVersion, formatValue)
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: initialise %s: %w", path, err)
	}
	return &Store{db: db, path: path, now: o.Now}, nil
}

// OpenDir opens DIR/state.db.
func OpenDir(dataDir string, opts *Options) (*Store, error) {
	return Open(filepath.Join(dataDir, FileName), opts)
}

// Path returns the state file's path.
func (s *Store) Path() string { return s.path }

// Close closes the file. Pending transactions finish first.
func (s *Store) Close() error { return s.db.Close() }

// Check verifies the file's page structure (bbolt's consistency check) and
// govbot's own invariants between buckets: every outbox entry belongs to a
// recorded report, every due or in-flight index entry points at an outbox
// entry in the matching state, and every secondary report index points at a
// recorded report. It returns all problems found, joined.
func (s *Store) Check() error {
	return s.db.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		errs = append(errs, checkInvariants(tx)...)
		return errors.Join(errs...)
	})
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, fmt.Errorf("decode %s/%q: %w", "record", key, err)
	}
	return true, nil
}

func chatKey(id int64) []byte { return []byte(strconv.FormatInt(id, 10)) }
