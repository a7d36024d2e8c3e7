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
