package index

import "container/list"

// sizedLRU holds values under keys with a size each, in order of use, so
// that the least recently used can be dropped beyond a bound in bytes. It
// is the bookkeeping the report and postings caches share; each adds its own
// bound and policy, and its own lock: sizedLRU is not safe for concurrent
// use. The zero value is empty and ready.
type sizedLRU[K comparable, V any] struct {
	order list.List // of *lruEntry[K, V], most recently used first
	byKey map[K]*list.Element
	bytes int64 // the sum of the entries' sizes
}

type lruEntry[K comparable, V any] struct {
	key  K
	v    V
	size int64
}

// get returns the value under key and marks it the most recently used.
func (c *sizedLRU[K, V]) get(key K) (V, bool) {
	e, ok := c.byKey[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry[K, V]).v, true
}

// has reports whether a value is held under key, without marking it used.
func (c *sizedLRU[K, V]) has(key K) bool {
	_, ok := c.byKey[key]
	return ok
}

// add holds v under key (which holds nothing yet) as the most recently
// used, at size bytes.
func (c *sizedLRU[K, V]) add(key K, v V, size int64) {
	if c.byKey == nil {
		c.byKey = make(map[K]*list.Element)
	}
	c.byKey[key] = c.order.PushFront(&lruEntry[K, V]{key, v, size})
	c.bytes += size
}

// evict drops the least recently used entries while they take more than
// limit bytes and more than keep entries are held.
func (c *sizedLRU[K, V]) evict(limit int64, keep int) {
	for c.bytes > limit && c.order.Len() > keep {
		c.remove(c.order.Back())
	}
}

// removeIf drops every entry whose key drop returns true for.
func (c *sizedLRU[K, V]) removeIf(drop func(K) bool) {
	for key, e := range c.byKey {
		if drop(key) {
			c.remove(e)
		}
	}
}

func (c *sizedLRU[K, V]) remove(e *list.Element) {
	le := c.order.Remove(e).(*lruEntry[K, V])
	delete(c.byKey, le.key)
	c.bytes -= le.size
}

// reset drops every entry.
func (c *sizedLRU[K, V]) reset() {
	c.order.Init()
	c.byKey = nil
	c.bytes = 0
}

// len returns the number of entries held.
func (c *sizedLRU[K, V]) len() int { return c.order.Len() }
