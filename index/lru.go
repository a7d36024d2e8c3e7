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

// resize sets the size of the entry under key, if one is held.
func (c *sizedLRU[K, V]) resize(key K, size int64) bool {
	e, ok := c.byKey[key]
	if !ok {
		return false
	}
	le := e.Value.(*lruEntry[K, V])
	c.bytes += size - le.size
	le.size = size
	return true
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

// admits reports whether an entry of size bytes, whose key was used used
// times lately, should take the place of the least recently used entries
// it would evict beyond limit bytes: only when it was used more, byte for
// byte, than they were (usedOf gives their counts). This is TinyLFU's
// admission: over a working set larger than the limit (questions asked in
// turn), least recently used alone keeps nothing, each entry evicted before
// it is asked for again; with admission a share of the set stays, the
// most used first.
func (c *sizedLRU[K, V]) admits(size, limit int64, used int, usedOf func(K) int) bool {
	need := c.bytes + size - limit
	var weight, freed int64
	for e := c.order.Back(); e != nil && freed < need; e = e.Prev() {
		le := e.Value.(*lruEntry[K, V])
		freed += le.size
		weight += int64(usedOf(le.key)) * le.size
	}
	return need <= 0 || freed >= need && int64(used)*freed > weight
}

// useCounts counts the recent uses of keys, for an admission policy: a use
// adds one (up to maxUseCount), and all counts are halved every sample
// uses, so that what was asked for long ago weighs less (TinyLFU's reset).
// The zero value counts nothing yet.
type useCounts[K comparable] struct {
	n    map[K]uint8
	uses int
}

const maxUseCount = 15

// use counts a use of key; sample is how many uses pass between halvings.
func (u *useCounts[K]) use(key K, sample int) {
	if u.n == nil {
		u.n = make(map[K]uint8)
	}
	if u.n[key] < maxUseCount {
		u.n[key]++
	}
	if u.uses++; u.uses >= sample {
		u.uses = 0
		for k, v := range u.n {
			if v /= 2; v == 0 {
				delete(u.n, k)
			} else {
				u.n[k] = v
			}
		}
	}
}

// count returns key's recent uses.
func (u *useCounts[K]) count(key K) int { return int(u.n[key]) }
