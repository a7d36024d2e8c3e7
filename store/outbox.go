package store

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// State is the delivery state of an outbox entry.
//
// The life of an entry is pending → sending → sent, with sending → pending
// again for a retry and sending → failed for a permanent error. An entry is
// marked sending, with a fresh token, in a committed transaction just before
// the Telegram call, and marked sent in the next transaction right after the
// call returns. So after a crash, an entry found in state sending is the only
// ambiguous one: the message may or may not have reached the chat, and the
// Bot API offers no way to ask. RecoverInflight decides what to do with it.
type State string

// Delivery states.
const (
	Pending   State = "pending"
	Sending   State = "sending"
	Sent      State = "sent"
	Failed    State = "failed"
	Cancelled State = "cancelled" // the chat unsubscribed or blocked the bot
)

// ErrStale is returned when an outbox entry is no longer in the state the
// caller expected: it was cancelled (the chat unsubscribed), already sent, or
// is held by another sender token.
var ErrStale = errors.New("store: outbox entry changed underneath")

// Delivery is one outbox entry: one report to announce in one chat.
type Delivery struct {
	ReportID string `json:"report_id"`
	ChatID   int64  `json:"chat_id"`
	State    State  `json:"state"`
	// Attempts counts BeginSend calls.
	Attempts int `json:"attempts"`
	// NextAttempt is when a pending entry becomes due.
	NextAttempt time.Time `json:"next_attempt"`
	// LastError is the last send error, for /stats.
	LastError string `json:"last_error,omitempty"`
	// Token identifies the current send attempt (state sending).
	Token string `json:"token,omitempty"`
	// MessageID is the Telegram message ID once sent.
	MessageID int       `json:"message_id,omitempty"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	SentAt    time.Time `json:"sent_at,omitempty"`
}

func outKey(reportID string, chatID int64) []byte {
	return []byte(reportID + "\x00" + strconv.FormatInt(chatID, 10))
}

// dueKey orders pending entries by due time: 8 bytes of big-endian Unix
// nanoseconds, then the outbox key.
func dueKey(at time.Time, ok []byte) []byte {
	k := make([]byte, 8, 8+len(ok))
	n := at.UnixNano()
	if n < 0 {
		n = 0
	}
	binary.BigEndian.PutUint64(k, uint64(n))
	return append(k, ok...)
}

func getDelivery(tx *bolt.Tx, key []byte) (Delivery, bool, error) {
	var d Delivery
	ok, err := getJSON(tx.Bucket(bOutbox), key, &d)
	return d, ok, err
}

// setDelivery writes d and keeps the due and in-flight indexes in step with
// its state; old is the entry's previous value (nil if new).
func setDelivery(tx *bolt.Tx, old *Delivery, d Delivery) error {
	key := outKey(d.ReportID, d.ChatID)
	if old != nil {
		switch old.State {
		case Pending:
			if err := tx.Bucket(bDue).Delete(dueKey(old.NextAttempt, key)); err != nil {
				return err
			}
		case Sending:
			if err := tx.Bucket(bInflight).Delete(key); err != nil {
				return err
			}
		}
	}
	switch d.State {
	case Pending:
		if err := tx.Bucket(bDue).Put(dueKey(d.NextAttempt, key), []byte{1}); err != nil {
			return err
		}
	case Sending:
		if err := tx.Bucket(bInflight).Put(key, []byte(d.Token)); err != nil {
			return err
		}
	}
	return putJSON(tx.Bucket(bOutbox), key, d)
}

// enqueue adds a pending entry for (reportID, chatID). An existing entry is
// left alone unless reset is set, in which case a finished entry (sent,
// failed, cancelled) becomes pending again; one pending or in flight is never
// doubled.
func enqueue(tx *bolt.Tx, reportID string, chatID int64, now time.Time, reset bool) (bool, error) {
	key := outKey(reportID, chatID)
	old, had, err := getDelivery(tx, key)
	if err != nil {
		return false, err
	}
	if had && (!reset || old.State == Pending || old.State == Sending) {
		return false, nil
	}
	d := Delivery{ReportID: reportID, ChatID: chatID, State: Pending, NextAttempt: now, Created: now, Updated: now}
	if had {
		d.Created = old.Created
		return true, setDelivery(tx, &old, d)
	}
	return true, setDelivery(tx, nil, d)
}

// Enqueue queues report reportID for each chat that has no entry for it yet.
// It returns how many entries it added.
func (s *Store) Enqueue(reportID string, chatIDs ...int64) (int, error) {
	return s.enqueueAll(reportID, chatIDs, false)
}

// Requeue queues report reportID again for the given chats even if it was
// sent before (the admin's explicit re-send); entries pending or in flight
// are left as they are. It returns how many entries it (re)queued.
func (s *Store) Requeue(reportID string, chatIDs ...int64) (int, error) {
	return s.enqueueAll(reportID, chatIDs, true)
}

func (s *Store) enqueueAll(reportID string, chatIDs []int64, reset bool) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bReports).Get([]byte(reportID)) == nil {
			return fmt.Errorf("report not recorded: %w", ErrNotFound)
		}
		now := s.now().UTC()
		for _, id := range chatIDs {
			added, err := enqueue(tx, reportID, id, now, reset)
			if err != nil {
				return err
			}
			if added {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: enqueue report %q: %w", reportID, err)
	}
	return n, nil
}

// Due returns up to limit pending entries whose NextAttempt is not after
// now, earliest first.
func (s *Store) Due(now time.Time, limit int) ([]Delivery, error) {
	var out []Delivery
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bDue).Cursor()
		end := dueKey(now, nil)
		for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
			if bytes.Compare(k[:8], end) > 0 {
				break
			}
			d, ok, err := getDelivery(tx, k[8:])
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("due index points at missing entry %q", k[8:])
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: due deliveries: %w", err)
	}
	return out, nil
}

// NextDue returns when the earliest pending entry is due; ok is false when
// nothing is pending.
func (s *Store) NextDue() (at time.Time, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bDue).Cursor().First()
		if k != nil {
			at, ok = time.Unix(0, int64(binary.BigEndian.Uint64(k[:8]))).UTC(), true
		}
		return nil
	})
	return at, ok, err
}

// NewToken returns a fresh random token for a send attempt (see
// Delivery.Token).
func NewToken() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// BeginSend moves a pending entry to sending with a new token and counts the
// attempt; the commit happens before the caller makes the Telegram call. It
// returns an error wrapping ErrStale if the entry is no longer pending (for
// example the chat unsubscribed meanwhile).
func (s *Store) BeginSend(reportID string, chatID int64) (Delivery, error) {
	var d Delivery
	err := s.db.Update(func(tx *bolt.Tx) error {
		old, ok, err := getDelivery(tx, outKey(reportID, chatID))
		if err != nil {
			return err
		}
		if !ok || old.State != Pending {
			return ErrStale
		}
		d = old
		d.State, d.Token, d.Attempts, d.Updated = Sending, NewToken(), old.Attempts+1, s.now().UTC()
		return setDelivery(tx, &old, d)
	})
	if err != nil {
		return Delivery{}, fmt.Errorf("store: begin send %s to %d: %w", reportID, chatID, err)
	}
	return d, nil
}

// finish moves an entry in flight under d.Token to its next state.
func (s *Store) finish(d Delivery, what string, change func(*Delivery)) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		old, ok, err := getDelivery(tx, outKey(d.ReportID, d.ChatID))
		if err != nil {
			return err
		}
		if !ok || old.State != Sending || old.Token != d.Token {
			return ErrStale
		}
		nd := old
		nd.Token, nd.Updated = "", s.now().UTC()
		change(&nd)
		return setDelivery(tx, &old, nd)
	})
	if err != nil {
		return fmt.Errorf("store: %s %s to %d: %w", what, d.ReportID, d.ChatID, err)
	}
	return nil
}

// MarkSent records that the attempt d (from BeginSend) delivered message
// messageID.
func (s *Store) MarkSent(d Delivery, messageID int) error {
	return s.finish(d, "mark sent", func(n *Delivery) {
		n.State, n.MessageID, n.SentAt, n.LastError = Sent, messageID, n.Updated, ""
	})
}

// MarkRetry records that the attempt d failed with a temporary error and
// should be tried again at at.
func (s *Store) MarkRetry(d Delivery, at time.Time, cause error) error {
	return s.finish(d, "mark retry", func(n *Delivery) {
		n.State, n.NextAttempt, n.LastError = Pending, at.UTC(), errString(cause)
	})
}

// MarkFailed records that the attempt d failed for good.
func (s *Store) MarkFailed(d Delivery, cause error) error {
	return s.finish(d, "mark failed", func(n *Delivery) {
		n.State, n.LastError = Failed, errString(cause)
	})
	// The error log is kept by the caller (LogError), which knows the context.
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// RecoverInflight resolves entries left in state sending by a process that
// stopped between BeginSend and MarkSent/MarkRetry. Such an entry is
// ambiguous: the Bot API may have delivered the message before the crash.
// With resend true (govbot's choice: at least once) they become pending
// again and will be sent, possibly a second time; with resend false they are
// marked failed with an explanatory error and never re-sent (at most once).
// It returns the entries it changed. Call it once at startup, before any
// sender runs: it does not distinguish a crashed sender from a live one.
func (s *Store) RecoverInflight(resend bool) ([]Delivery, error) {
	var out []Delivery
	err := s.db.Update(func(tx *bolt.Tx) error {
		var keys [][]byte
		if err := tx.Bucket(bInflight).ForEach(func(k, _ []byte) error {
			keys = append(keys, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		now := s.now().UTC()
		for _, k := range keys {
			old, ok, err := getDelivery(tx, k)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("in-flight index points at missing entry %q", k)
			}
			d := old
			d.Token, d.Updated = "", now
			if resend {
				d.State, d.NextAttempt, d.LastError = Pending, now, "interrupted while sending; re-sent (may duplicate)"
			} else {
				d.State, d.LastError = Failed, "interrupted while sending; not re-sent (may be lost)"
			}
			if err := setDelivery(tx, &old, d); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: recover in-flight deliveries: %w", err)
	}
	return out, nil
}

// Deliveries returns the outbox entries of report reportID ("" for all),
// ordered by report then chat.
func (s *Store) Deliveries(reportID string) ([]Delivery, error) {
	var out []Delivery
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bOutbox).Cursor()
		prefix := []byte(nil)
		if reportID != "" {
			prefix = []byte(reportID + "\x00")
		}
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			d, _, err := getDelivery(tx, k)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: list deliveries: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ReportID != out[j].ReportID {
			return out[i].ReportID < out[j].ReportID
		}
		return out[i].ChatID < out[j].ChatID
	})
	return out, nil
}

// cancelChatDeliveries cancels the chat's pending entries. Entries in flight
// are left to their sender, whose MarkSent or MarkRetry still applies.
func cancelChatDeliveries(tx *bolt.Tx, chatID int64, reason string, now time.Time) error {
	suffix := []byte("\x00" + strconv.FormatInt(chatID, 10))
	var keys [][]byte
	if err := tx.Bucket(bDue).ForEach(func(k, _ []byte) error {
		if bytes.HasSuffix(k, suffix) {
			keys = append(keys, append([]byte(nil), k[8:]...))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		old, ok, err := getDelivery(tx, k)
		if err != nil || !ok {
			return err
		}
		d := old
		d.State, d.LastError, d.Updated = Cancelled, reason, now
		if err := setDelivery(tx, &old, d); err != nil {
			return err
		}
	}
	return nil
}

// checkInvariants verifies the outbox indexes and report indexes agree with
// the records they index.
func checkInvariants(tx *bolt.Tx) []error {
	var errs []error
	pending, sending := 0, 0
	_ = tx.Bucket(bOutbox).ForEach(func(k, v []byte) error {
		d, _, err := getDelivery(tx, k)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if tx.Bucket(bReports).Get([]byte(d.ReportID)) == nil {
			errs = append(errs, fmt.Errorf("outbox entry %q: report not recorded", k))
		}
		switch d.State {
		case Pending:
			pending++
			if tx.Bucket(bDue).Get(dueKey(d.NextAttempt, k)) == nil {
				errs = append(errs, fmt.Errorf("pending entry %q missing from due index", k))
			}
		case Sending:
			sending++
			if string(tx.Bucket(bInflight).Get(k)) != d.Token {
				errs = append(errs, fmt.Errorf("sending entry %q missing from in-flight index", k))
			}
		}
		return nil
	})
	if n := tx.Bucket(bDue).Stats().KeyN; n != pending {
		errs = append(errs, fmt.Errorf("due index has %d keys, %d entries pending", n, pending))
	}
	if n := tx.Bucket(bInflight).Stats().KeyN; n != sending {
		errs = append(errs, fmt.Errorf("in-flight index has %d keys, %d entries sending", n, sending))
	}
	for _, ix := range [][]byte{bByHash, bByIndexNo, bByURL} {
		_ = tx.Bucket(ix).ForEach(func(k, v []byte) error {
			if tx.Bucket(bReports).Get(v) == nil {
				errs = append(errs, fmt.Errorf("%s %q points at unrecorded report %q", ix, k, v))
			}
			return nil
		})
	}
	return errs
}

// SentSince returns the entries sent at or after t, oldest first. The
// broadcaster seeds its rate limiter with them at startup, so that a
// restart does not let a new process send on top of what the old one sent
// in the same second or minute.
func (s *Store) SentSince(t time.Time) ([]Delivery, error) {
	var out []Delivery
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bOutbox).ForEach(func(k, _ []byte) error {
			d, _, err := getDelivery(tx, k)
			if err != nil {
				return err
			}
			if d.State == Sent && !d.SentAt.Before(t) {
				out = append(out, d)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: recent deliveries: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SentAt.Before(out[j].SentAt) })
	return out, nil
}
