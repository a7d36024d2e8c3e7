package bot

import (
	"container/list"
	"crypto/rand"
	"sync"
	"time"
)

// buttonState is a bounded map from short random IDs to values that expire: the
// server-side state behind buttons, whose callback data may hold only 64
// bytes. Least recently used entries go first when it is full.
type buttonState[V any] struct {
	mu  sync.Mutex
	cap int
	ttl time.Duration
	ll  *list.List // front: most recently used
	m   map[string]*list.Element
	now func() time.Time
}

type storeEntry[V any] struct {
	key string
	val V
	exp time.Time
}

func newButtonState[V any](capacity int, ttl time.Duration) *buttonState[V] {
	return &buttonState[V]{cap: max(capacity, 1), ttl: ttl, ll: list.New(), m: map[string]*list.Element{}, now: time.Now}
}

// put stores v under a new ID and returns the ID.
func (s *buttonState[V]) put(v V) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := newID()
	for s.m[key] != nil {
		key = newID()
	}
	s.m[key] = s.ll.PushFront(&storeEntry[V]{key: key, val: v, exp: s.now().Add(s.ttl)})
	for s.ll.Len() > s.cap {
		e := s.ll.Back()
		s.ll.Remove(e)
		delete(s.m, e.Value.(*storeEntry[V]).key)
	}
	return key
}

// get returns the value under key if it is there and not expired.
func (s *buttonState[V]) get(key string) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var zero V
	e := s.m[key]
	if e == nil {
		return zero, false
	}
	ent := e.Value.(*storeEntry[V])
	if s.now().After(ent.exp) {
		s.ll.Remove(e)
		delete(s.m, key)
		return zero, false
	}
	s.ll.MoveToFront(e)
	return ent.val, true
}

// getOrPut returns the value under the caller's key, storing mk() there
// first when the key is absent or expired. Each use renews the entry.
func (s *buttonState[V]) getOrPut(key string, mk func() V) V {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if e := s.m[key]; e != nil {
		ent := e.Value.(*storeEntry[V])
		if !now.After(ent.exp) {
			ent.exp = now.Add(s.ttl)
			s.ll.MoveToFront(e)
			return ent.val
		}
		s.ll.Remove(e)
		delete(s.m, key)
	}
	v := mk()
	s.m[key] = s.ll.PushFront(&storeEntry[V]{key: key, val: v, exp: now.Add(s.ttl)})
	for s.ll.Len() > s.cap {
		e := s.ll.Back()
		s.ll.Remove(e)
		delete(s.m, e.Value.(*storeEntry[V]).key)
	}
	return v
}

// newID returns 10 random base-62 characters (about 59 bits).
func newID() string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var b [10]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:])
}
