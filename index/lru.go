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

// tinyLFU is a cache bounded in bytes that keeps what is used most, not
// only what was used last (W-TinyLFU): a new entry goes into a window of
// the most recently added (a windowShare-th of the bound), and when the
// window overflows, its least recently used entry moves on to the main
// part only if sizedLRU.admits it there. The window keeps what a few
// questions in a row share (the same question asked again in other words);
// the admission keeps a share of a working set larger than the cache (the
// bench's questions, asked in turn), where least recently used alone keeps
// nothing. Every get counts a use of its key, found or not. Not safe for
// concurrent use; the zero value is empty.
type tinyLFU[K comparable, V any] struct {
	window, main sizedLRU[K, V]
	used         useCounts[K]
}

// windowShare: the window is a windowShare-th of the cache's bound.
const windowShare = 8

// get counts a use of key and returns its value.
func (c *tinyLFU[K, V]) get(key K) (V, bool) {
	c.used.use(key, 10*max(c.len(), minUseSample/10))
	if v, ok := c.window.get(key); ok {
		return v, true
	}
	return c.main.get(key)
}

// minUseSample is the least number of uses between halvings of the counts:
// ten per entry held (TinyLFU's sample), and at least this many.
const minUseSample = 1000

func (c *tinyLFU[K, V]) has(key K) bool { return c.window.has(key) || c.main.has(key) }

// peek returns the value under key without counting a use or marking it
// used.
func (c *tinyLFU[K, V]) peek(key K) (V, bool) {
	for _, part := range []*sizedLRU[K, V]{&c.window, &c.main} {
		if e, ok := part.byKey[key]; ok {
			return e.Value.(*lruEntry[K, V]).v, true
		}
	}
	var zero V
	return zero, false
}

// add holds v under key (which holds nothing yet) at size bytes in the
// window, and makes room within limit bytes: the window's overflow goes
// to the main part when admitted, else is dropped, and the main part's
// least recently used make room for what it admits.
func (c *tinyLFU[K, V]) add(key K, v V, size, limit int64) {
	c.window.add(key, v, size)
	c.balance(limit)
}

// balance moves the window's overflow on (or drops it) and evicts the main
// part's least recently used beyond their shares of limit bytes.
func (c *tinyLFU[K, V]) balance(limit int64) {
	windowLimit := limit / windowShare
	mainLimit := limit - windowLimit
	for c.window.bytes > windowLimit {
		back := c.window.order.Back()
		e := back.Value.(*lruEntry[K, V])
		c.window.remove(back)
		if c.main.admits(e.size, mainLimit, c.used.count(e.key), c.used.count) {
			c.main.add(e.key, e.v, e.size)
			c.main.evict(mainLimit, 0)
		}
	}
	c.main.evict(mainLimit, 0)
}

// resize sets the size of key's entry, if held, and makes room within
// limit bytes.
func (c *tinyLFU[K, V]) resize(key K, size, limit int64) {
	if c.window.resize(key, size) || c.main.resize(key, size) {
		c.balance(limit)
	}
}

// reset drops every entry; the counts of uses stay.
func (c *tinyLFU[K, V]) reset() {
	c.window.reset()
	c.main.reset()
}

// len returns the number of entries held.
func (c *tinyLFU[K, V]) len() int { return c.window.len() + c.main.len() }

// bytes returns the bytes held.
func (c *tinyLFU[K, V]) bytes() int64 { return c.window.bytes + c.main.bytes }
