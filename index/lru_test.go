package index

import (
	"slices"
	"testing"
)

// TestSizedLRU checks the order entries are dropped in and the bytes they
// are counted at.
func TestSizedLRU(t *testing.T) {
	var c sizedLRU[string, int]
	for i, k := range []string{"a", "b", "c", "d"} {
		c.add(k, i, 10)
	}
	if v, ok := c.get("a"); !ok || v != 0 {
		t.Fatalf("get a = %d, %v; want 0, true", v, ok)
	}
	if !c.has("b") || c.has("x") {
		t.Fatal("has: want b held, x not")
	}
	c.evict(25, 0) // b and c are the least recently used: a was just read
	if got := heldKeys(&c); !slices.Equal(got, []string{"a", "d"}) || c.bytes != 20 {
		t.Fatalf("after evict(25, 0): %q at %d bytes; want [a d] at 20", got, c.bytes)
	}
	c.evict(0, 1)
	if got := heldKeys(&c); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("after evict(0, 1): %q; want [a] (the most recently used kept)", got)
	}
	c.add("ab", 5, 3)
	c.removeIf(func(k string) bool { return k[0] == 'a' })
	if c.len() != 0 || c.bytes != 0 {
		t.Fatalf("after removeIf: %d entries at %d bytes; want none", c.len(), c.bytes)
	}
	c.add("e", 1, 7)
	c.reset()
	if _, ok := c.get("e"); ok || c.bytes != 0 {
		t.Fatal("reset kept an entry")
	}
}

func heldKeys(c *sizedLRU[string, int]) []string {
	var keys []string
	for k := range c.byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestTinyLFUKeepsPartOfCycle asks for a set of keys in turn, round after
// round, a set twice the cache's size: least recently used alone hits
// nothing (each key is evicted before it comes round again); tinyLFU
// keeps most of what its main part holds and hits it every round. When
// some keys are asked for twice a round, those are the ones kept.
func TestTinyLFUKeepsPartOfCycle(t *testing.T) {
	const limit, size = 100, 5 // 20 keys fit
	type cache interface {
		get(int) (int, bool)
		add(k, v int)
		bytes() int64
	}
	cycle := func(c cache, order []int) (hits map[int]int) {
		hits = map[int]int{}
		for round := range 10 {
			for _, k := range order {
				if _, ok := c.get(k); ok {
					if round >= 2 {
						hits[k]++
					}
					continue
				}
				c.add(k, k)
			}
			if c.bytes() > limit {
				t.Fatalf("%d bytes held, limit %d", c.bytes(), limit)
			}
		}
		return hits
	}
	sum := func(hits map[int]int, keep func(int) bool) (n int) {
		for k, h := range hits {
			if keep(k) {
				n += h
			}
		}
		return n
	}
	all := func(int) bool { return true }
	var order []int
	for k := range 40 {
		order = append(order, k)
	}
	if n := sum(cycle(&lruCache{}, order), all); n != 0 {
		t.Errorf("least recently used alone: %d hits over a cycle twice its size, want 0", n)
	}
	if n := sum(cycle(&lfuCache{}, order), all) / 8; n < 12 {
		t.Errorf("tinyLFU: %d hits a round, want most of the 17 keys its main part holds", n)
	}
	// Keys 30 to 39 are asked for again at the end of each round.
	hot := func(k int) bool { return k >= 30 }
	order = append(order, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39)
	hits := cycle(&lfuCache{}, order)
	if n := sum(hits, hot) / 8; n < 15 {
		t.Errorf("tinyLFU: %d hits a round of the 10 keys asked for twice (of %d hits), want most of their 20", n, sum(hits, all)/8)
	}
}

// TestTinyLFUWindow checks that keys asked for again soon after they were
// added are found, though the main part is full of keys used more, and
// that those keys stay.
func TestTinyLFUWindow(t *testing.T) {
	c := &lfuCache{}
	for range 5 {
		for k := range 17 {
			if _, ok := c.get(k); !ok {
				c.add(k, k)
			}
		}
	}
	for k := 100; k < 110; k++ {
		c.get(k)
		c.add(k, k)
		if _, ok := c.get(k); !ok {
			t.Fatalf("key %d, just added, is not found", k)
		}
	}
	for _, k := range []int{108, 109} { // the window holds two
		if _, ok := c.get(k); !ok {
			t.Fatalf("key %d, among the last added, is not found", k)
		}
	}
	if _, ok := c.get(3); !ok {
		t.Error("a key used five times was dropped for keys used twice")
	}
}

// lruCache and lfuCache are a least recently used cache and a tinyLFU of
// 100 bytes, entries of 5.
type lruCache struct{ sizedLRU[int, int] }

func (c *lruCache) add(k, v int) { c.sizedLRU.add(k, v, 5); c.evict(100, 0) }
func (c *lruCache) bytes() int64 { return c.sizedLRU.bytes }

type lfuCache struct{ tinyLFU[int, int] }

func (c *lfuCache) add(k, v int) { c.tinyLFU.add(k, v, 5, 100) }

func TestAdmitsWithRoom(t *testing.T) {
	var c sizedLRU[string, int]
	c.add("a", 1, 40)
	count := func(string) int { return 9 }
	if !c.admits(60, 100, 0, count) {
		t.Error("an entry that fits in the room left was refused")
	}
	if c.admits(61, 100, 9, count) {
		t.Error("an entry used as much as the one it evicts was taken in")
	}
	if !c.admits(61, 100, 10, count) {
		t.Error("an entry used more than the one it evicts was refused")
	}
	if c.admits(200, 100, 15, count) {
		t.Error("an entry larger than the limit was taken in")
	}
}

func TestUseCountsHalve(t *testing.T) {
	var u useCounts[string]
	for range 40 {
		u.use("a", 1000)
	}
	if got := u.count("a"); got != maxUseCount {
		t.Fatalf("count after 40 uses: %d, want the cap %d", got, maxUseCount)
	}
	u.use("b", 1000)
	for range 1000 - 42 {
		u.use("c", 1000)
	}
	u.use("c", 1000) // the 1,000th use halves every count
	if a, b := u.count("a"), u.count("b"); a != maxUseCount/2 || b != 0 {
		t.Fatalf("after halving: a %d, b %d; want %d, 0", a, b, maxUseCount/2)
	}
	if _, ok := u.n["b"]; ok {
		t.Error("a count halved to 0 is still held")
	}
}
