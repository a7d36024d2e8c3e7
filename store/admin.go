package store

import (
	"encoding/binary"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// maxErrors is how many entries the error log keeps; older ones are dropped.
const maxErrors = 50

// SetAdmins replaces the set of admin user IDs (from the config file), so
// that the bot and the command line agree on who may use /stats and
// /announce.
func (s *Store) SetAdmins(userIDs ...int64) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bAdmins); err != nil {
			return err
		}
		b, err := tx.CreateBucket(bAdmins)
		if err != nil {
			return err
		}
		for _, id := range userIDs {
			if err := b.Put(chatKey(id), []byte{1}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: set admins: %w", err)
	}
	return nil
}

// IsAdmin reports whether userID is an admin.
func (s *Store) IsAdmin(userID int64) bool {
	ok := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bAdmins).Get(chatKey(userID)) != nil
		return nil
	})
	return ok
}

// ErrorEntry is one logged error.
type ErrorEntry struct {
	At      time.Time `json:"at"`
	Where   string    `json:"where"`
	Message string    `json:"message"`
}

// LogError appends an error to the log kept for /stats, dropping the oldest
// beyond the last 50.
func (s *Store) LogError(where string, cause error) error {
	e := ErrorEntry{At: s.now().UTC(), Where: where, Message: errString(cause)}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bErrors)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		var k [8]byte
		binary.BigEndian.PutUint64(k[:], seq)
		if err := putJSON(b, k[:], e); err != nil {
			return err
		}
		// Count with a cursor: Bucket.Stats does not see this transaction's
		// own writes.
		n := 0
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			n++
		}
		var old [][]byte
		for k, _ := c.First(); k != nil && n > maxErrors; k, _ = c.Next() {
			old = append(old, append([]byte(nil), k...))
			n--
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: log error: %w", err)
	}
	return nil
}

// Stats summarises the state for the /stats command.
type Stats struct {
	Reports, Subscribers int
	// Deliveries counts outbox entries by state.
	Deliveries map[State]int
	// LastErrors are the most recent logged errors, newest first.
	LastErrors []ErrorEntry
}

// Stats returns counts and the last n logged errors.
func (s *Store) Stats(n int) (Stats, error) {
	st := Stats{Deliveries: map[State]int{}}
	err := s.db.View(func(tx *bolt.Tx) error {
		st.Reports = tx.Bucket(bReports).Stats().KeyN
		st.Subscribers = tx.Bucket(bSubs).Stats().KeyN
		err := tx.Bucket(bOutbox).ForEach(func(k, _ []byte) error {
			d, _, err := getDelivery(tx, k)
			st.Deliveries[d.State]++
			return err
		})
		if err != nil {
			return err
		}
		c := tx.Bucket(bErrors).Cursor()
		for k, _ := c.Last(); k != nil && len(st.LastErrors) < n; k, _ = c.Prev() {
			var e ErrorEntry
			if _, err := getJSON(tx.Bucket(bErrors), k, &e); err != nil {
				return err
			}
			st.LastErrors = append(st.LastErrors, e)
		}
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	return st, nil
}

// PollState is what the watcher remembers of one source between rounds.
type PollState struct {
	// ETag and LastModified are the validators of the last 200 response,
	// sent back as If-None-Match and If-Modified-Since.
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	LastPoll     time.Time `json:"last_poll"`
	LastError    string    `json:"last_error,omitempty"`
}

// PollState returns the state of source (its name or URL); a zero state if
// it was never polled.
func (s *Store) PollState(source string) (PollState, error) {
	var ps PollState
	err := s.db.View(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bPoll), []byte(source), &ps)
		return err
	})
	if err != nil {
		return PollState{}, fmt.Errorf("store: poll state of %q: %w", source, err)
	}
	return ps, nil
}

// SetPollState records the state of source.
func (s *Store) SetPollState(source string, ps PollState) error {
	err := s.db.Update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bPoll), []byte(source), ps) })
	if err != nil {
		return fmt.Errorf("store: set poll state of %q: %w", source, err)
	}
	return nil
}

// Seen reports which of links the watcher already handled for source.
func (s *Store) Seen(source string, links ...string) (map[string]bool, error) {
	seen := map[string]bool{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSeen).Bucket([]byte(source))
		if b == nil {
			return nil
		}
		for _, l := range links {
			if b.Get([]byte(l)) != nil {
				seen[l] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: seen links of %q: %w", source, err)
	}
	return seen, nil
}

// MarkSeen records links as handled for source, with the report ID each
// became ("" for a link that was not a report).
func (s *Store) MarkSeen(source string, links map[string]string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bSeen).CreateBucketIfNotExists([]byte(source))
		if err != nil {
			return err
		}
		for l, id := range links {
			if id == "" {
				id = "-" // bbolt stores an empty value as absent for Get
			}
			if err := b.Put([]byte(l), []byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: mark links seen for %q: %w", source, err)
	}
	return nil
}

// SeenLinks returns every link recorded for source, sorted.
func (s *Store) SeenLinks(source string) ([]string, error) {
	var out []string
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSeen).Bucket([]byte(source))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error { out = append(out, string(k)); return nil })
	})
	sort.Strings(out)
	return out, err
}
