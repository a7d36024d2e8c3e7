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

// TestAdmissionKeepsPartOfCycle asks for a set of keys in turn, round after
// round, a set twice the cache's size: least recently used alone hits
// nothing (each key is evicted before it comes round again); with
// admission about half the set stays and is hit every round. When some
// keys are asked for twice a round, those are the ones kept.
func TestAdmissionKeepsPartOfCycle(t *testing.T) {
	const limit, size = 100, 5 // 20 keys fit
	cycle := func(admit bool, order []int) (hits map[int]int) {
		var c sizedLRU[int, int]
		var used useCounts[int]
		hits = map[int]int{}
		for round := range 10 {
			for _, k := range order {
				used.use(k, 10*max(c.len(), 20))
				if _, ok := c.get(k); ok {
					if round >= 2 {
						hits[k]++
					}
					continue
				}
				if !admit || c.admits(size, limit, used.count(k), used.count) {
					c.add(k, k, size)
					c.evict(limit, 0)
				}
			}
			if c.bytes > limit {
				t.Fatalf("%d bytes held, limit %d", c.bytes, limit)
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
	if n := sum(cycle(false, order), all); n != 0 {
		t.Errorf("least recently used alone: %d hits over a cycle twice its size, want 0", n)
	}
	if n := sum(cycle(true, order), all) / 8; n < 15 {
		t.Errorf("with admission: %d hits a round of the 20 keys the cache holds, want at least 15", n)
	}
	// Keys 30 to 39 are asked for again at the end of each round.
	hot := func(k int) bool { return k >= 30 }
	order = append(order, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39)
	hits := cycle(true, order)
	if n := sum(hits, hot) / 8; n < 15 {
		t.Errorf("with admission: %d hits a round of the 10 keys asked for twice (of %d hits), want most of their 20", n, sum(hits, all)/8)
	}
}

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
