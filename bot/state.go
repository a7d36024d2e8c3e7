package bot

import (
	"crypto/rand"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// buttonState is a bounded map from short random IDs to values that expire: the
// server-side state behind buttons, whose callback data may hold only 64
// bytes. Least recently used entries go first when it is full. It is an
// expirable LRU cache with the IDs made here; the cache sweeps expired
// entries in a goroutine that lives as long as the process (golang-lru
// v2.0.7 cannot stop it), which is fine for the two a Server makes.
type buttonState[V any] struct {
	mu    sync.Mutex // makes getOrPut's look-up and store one step
	cache *expirable.LRU[string, V]
}

// newButtonState keeps at most capacity values, each for ttl after it was
// stored (after its last getOrPut for those).
func newButtonState[V any](capacity int, ttl time.Duration) *buttonState[V] {
	return &buttonState[V]{cache: expirable.NewLRU[string, V](max(capacity, 1), nil, ttl)}
}

// put stores v under a new ID and returns the ID.
func (s *buttonState[V]) put(v V) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := newID()
	for s.cache.Contains(key) {
		key = newID()
	}
	s.cache.Add(key, v)
	return key
}

// get returns the value under key if it is there and not expired.
func (s *buttonState[V]) get(key string) (V, bool) {
	return s.cache.Get(key)
}

// getOrPut returns the value under the caller's key, storing mk() there
// first when the key is absent or expired. Each use renews the entry.
func (s *buttonState[V]) getOrPut(key string, mk func() V) V {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.cache.Get(key)
	if !ok {
		v = mk()
	}
	s.cache.Add(key, v) // renews the entry's time to live
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
