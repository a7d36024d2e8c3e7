package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The update journal keeps every Telegram update the bot has received
// until its reply is sent, so that a crash loses no question:
//
//   - ReceiveUpdates records a batch in one fsynced transaction before the
//     bot acknowledges it to Telegram (the next getUpdates offset, or the
//     webhook's 200);
//   - MarkUpdateSending records that the reply is about to be sent;
//   - FinishUpdate removes the update once its reply is sent (or refused
//     for good), and remembers its ID for a while so that Telegram
//     delivering it again (a crash before the acknowledgement) is ignored;
//   - PendingUpdates lists what a crash left, for the next start to answer.
//
// An update left marked "sending" by a hard crash may have been answered
// already (Telegram accepted the message, the crash came before
// FinishUpdate): answering it again is the only duplicate a crash can cause.

// PendingUpdate is a received update that has not been answered yet.
type PendingUpdate struct {
	// ID is Telegram's update_id.
	ID int64 `json:"id"`
	// Raw is the update as Telegram sent it (JSON).
	Raw json.RawMessage `json:"raw"`
	// Received is when it was first recorded.
	Received time.Time `json:"received"`
	// Sending is true once its reply was handed to Telegram: after a crash
	// the reply may or may not have arrived.
	Sending bool `json:"sending,omitempty"`
}

// doneKept is how many answered update IDs are remembered to recognise
// Telegram delivering one again: far more than a getUpdates batch (100)
// or the webhook's concurrent posts.
const doneKept = 4096

func updateKey(id int64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(id))
	return k[:]
}

// doneTTL is how long an answered update ID counts as "seen": Telegram
// delivers an update again within minutes of a crash, and after a week
// without updates it may start numbering them anew, at random.
const doneTTL = 24 * time.Hour

// recentlyDone reports whether a done entry (its finish time) is recent.
func recentlyDone(v []byte, now time.Time) bool {
	if len(v) != 8 {
		return false
	}
	at := time.Unix(int64(binary.BigEndian.Uint64(v)), 0)
	return now.Sub(at) < doneTTL
}

// ReceiveUpdates records the updates in one transaction and returns those
// not seen before: an update already pending or recently finished is one
// Telegram delivered again, and is left out.
func (s *Store) ReceiveUpdates(ups []PendingUpdate) ([]PendingUpdate, error) {
	var fresh []PendingUpdate
	now := s.now().UTC()
	err := s.db.Update(func(tx *bolt.Tx) error {
		fresh = fresh[:0]
		pend, done := tx.Bucket(bUpdPending), tx.Bucket(bUpdDone)
		for _, u := range ups {
			k := updateKey(u.ID)
			if pend.Get(k) != nil || recentlyDone(done.Get(k), now) {
				continue
			}
			if u.Received.IsZero() {
				u.Received = now
			}
			if err := putJSON(pend, k, u); err != nil {
				return err
			}
			fresh = append(fresh, u)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: record updates: %w", err)
	}
	return fresh, nil
}

// MarkUpdateSending records that the reply to update id is being sent.
// Concurrent calls share a transaction.
func (s *Store) MarkUpdateSending(id int64) error {
	err := s.db.Batch(func(tx *bolt.Tx) error {
		pend := tx.Bucket(bUpdPending)
		var u PendingUpdate
		ok, err := getJSON(pend, updateKey(id), &u)
		if err != nil || !ok || u.Sending {
			return err
		}
		u.Sending = true
		return putJSON(pend, updateKey(id), u)
	})
	if err != nil {
		return fmt.Errorf("store: mark update %d sending: %w", id, err)
	}
	return nil
}

// FinishUpdate removes update id from the journal: it was answered.
// Concurrent calls share a transaction.
func (s *Store) FinishUpdate(id int64) error {
	err := s.db.Batch(func(tx *bolt.Tx) error {
		k := updateKey(id)
		if err := tx.Bucket(bUpdPending).Delete(k); err != nil {
			return err
		}
		done := tx.Bucket(bUpdDone)
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], uint64(s.now().Unix()))
		if err := done.Put(k, v[:]); err != nil {
			return err
		}
		// Forget the oldest IDs beyond doneKept (keys sort by ID), now
		// and then: counting the keys walks the bucket.
		if id%128 != 0 {
			return nil
		}
		for extra := done.Stats().KeyN - doneKept; extra > 0; extra-- {
			c := done.Cursor()
			first, _ := c.First()
			if first == nil {
				break
			}
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: finish update %d: %w", id, err)
	}
	return nil
}

// PendingUpdates returns the updates received and not finished, oldest
// first.
func (s *Store) PendingUpdates() ([]PendingUpdate, error) {
	var out []PendingUpdate
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bUpdPending).ForEach(func(k, v []byte) error {
			var u PendingUpdate
			if err := json.Unmarshal(v, &u); err != nil {
				return fmt.Errorf("decode pending update %x: %w", k, err)
			}
			out = append(out, u)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: pending updates: %w", err)
	}
	return out, nil
}
