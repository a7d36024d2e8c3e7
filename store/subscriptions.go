package store

import (
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ChatKind is the kind of chat a subscription delivers to.
type ChatKind string

// Chat kinds, as Telegram names them (supergroups count as groups).
const (
	KindPrivate ChatKind = "private"
	KindGroup   ChatKind = "group"
	KindChannel ChatKind = "channel"
)

// Subscription is one chat that receives announcements.
type Subscription struct {
	// ChatID is the Telegram chat ID (negative for groups and channels).
	ChatID int64 `json:"chat_id"`
	// Kind is the chat kind; the broadcaster applies the per-group rate
	// limit to groups and channels.
	Kind ChatKind `json:"kind"`
	// Title is the chat's title or @username, for listings.
	Title string `json:"title,omitempty"`
	// Filters restrict announcements to reports whose issuer, title or
	// headline text contains at least one of them; empty means every report.
	Filters []string `json:"filters,omitempty"`
	// By is the user ID of who subscribed the chat, At when.
	By int64     `json:"by"`
	At time.Time `json:"at"`
}

// Matches reports whether a report described by fields (issuer, title and
// any other text worth matching, such as its opening paragraphs) passes the
// subscription's filters: any filter found in any field matches.
func (s *Subscription) Matches(fields ...string) bool {
	if len(s.Filters) == 0 {
		return true
	}
	for _, f := range s.Filters {
		for _, field := range fields {
			if f != "" && strings.Contains(field, f) {
				return true
			}
		}
	}
	return false
}

// Valid reports why sub cannot be recorded: a zero chat ID or an unknown
// chat kind. Every Backend checks it in Subscribe.
func (sub *Subscription) Valid() error {
	if sub.ChatID == 0 {
		return fmt.Errorf("store: subscribe: chat ID is zero")
	}
	switch sub.Kind {
	case KindPrivate, KindGroup, KindChannel:
		return nil
	}
	return fmt.Errorf("store: subscribe chat %d: unknown chat kind %q", sub.ChatID, sub.Kind)
}

// Subscribe records sub, replacing the chat's earlier subscription (its
// filters are replaced, not merged). It reports whether the chat was new.
// A zero sub.At is set to the current time.
func (s *Store) Subscribe(sub Subscription) (created bool, err error) {
	if err := sub.Valid(); err != nil {
		return false, err
	}
	if sub.At.IsZero() {
		sub.At = s.now().UTC()
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSubs)
		created = b.Get(chatKey(sub.ChatID)) == nil
		return putJSON(b, chatKey(sub.ChatID), sub)
	})
	if err != nil {
		return false, fmt.Errorf("store: subscribe chat %d: %w", sub.ChatID, err)
	}
	return created, nil
}

// Unsubscribe removes the chat's subscription and drops its undelivered
// outbox entries (a chat that left must not hold up the queue). It reports
// whether the chat was subscribed.
func (s *Store) Unsubscribe(chatID int64) (removed bool, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSubs)
		removed = b.Get(chatKey(chatID)) != nil
		if err := b.Delete(chatKey(chatID)); err != nil {
			return err
		}
		return cancelChatDeliveries(tx, chatID, "unsubscribed", s.now())
	})
	if err != nil {
		return false, fmt.Errorf("store: unsubscribe chat %d: %w", chatID, err)
	}
	return removed, nil
}

// Subscription returns the chat's subscription, or an error wrapping
// ErrNotFound.
func (s *Store) Subscription(chatID int64) (Subscription, error) {
	var sub Subscription
	err := s.db.View(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bSubs), chatKey(chatID), &sub)
		if err == nil && !ok {
			err = ErrNotFound
		}
		return err
	})
	if err != nil {
		return Subscription{}, fmt.Errorf("store: subscription of chat %d: %w", chatID, err)
	}
	return sub, nil
}

// Subscriptions returns every subscription, ordered by chat ID.
func (s *Store) Subscriptions() ([]Subscription, error) {
	var subs []Subscription
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		subs, err = loadSubs(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list subscriptions: %w", err)
	}
	return subs, nil
}

func loadSubs(tx *bolt.Tx) ([]Subscription, error) {
	var subs []Subscription
	err := tx.Bucket(bSubs).ForEach(func(k, v []byte) error {
		var sub Subscription
		if _, err := getJSON(tx.Bucket(bSubs), k, &sub); err != nil {
			return err
		}
		subs = append(subs, sub)
		return nil
	})
	sort.Slice(subs, func(i, j int) bool { return subs[i].ChatID < subs[j].ChatID })
	return subs, err
}
