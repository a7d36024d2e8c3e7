package bot

import (
	"testing"
	"time"
)

// expiryDeadline bounds how long the tests below wait for an entry with a
// short time to live to go: far beyond the TTL, so a loaded machine does not
// fail them, while an entry that never expires does.
const expiryDeadline = 10 * time.Second

func TestButtonStateEviction(t *testing.T) {
	s := newButtonState[int](2, time.Hour)
	a, b := s.put(1), s.put(2)
	if len(a) > 20 || a == b {
		t.Fatalf("bad IDs %q %q", a, b)
	}
	if v, ok := s.get(a); !ok || v != 1 {
		t.Fatalf("get(a) = %v, %v", v, ok)
	}
	c := s.put(3) // evicts b, the least recently used
	if _, ok := s.get(b); ok {
		t.Error("b survived eviction")
	}
	if _, ok := s.get(a); !ok {
		t.Error("a was evicted though recently used")
	}
	if v, ok := s.get(c); !ok || v != 3 {
		t.Errorf("get(c) = %v, %v", v, ok)
	}
	if len("m:"+c+":12") > 64 {
		t.Error("callback data over 64 bytes")
	}
}

// TestButtonStateExpiry checks that an entry read all the time still goes
// when its time to live is over: get does not renew it.
func TestButtonStateExpiry(t *testing.T) {
	s := newButtonState[int](10, 50*time.Millisecond)
	key := s.put(1)
	for deadline := time.Now().Add(expiryDeadline); ; time.Sleep(5 * time.Millisecond) {
		if _, ok := s.get(key); !ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("entry still there %v after it was stored", expiryDeadline)
		}
	}
}

// TestButtonStateRenewal checks that getOrPut keeps returning the same value
// while it is used more often than its time to live, however long that goes
// on, and that the value goes once it is no longer used.
func TestButtonStateRenewal(t *testing.T) {
	const ttl = time.Second
	s := newButtonState[*int](10, ttl)
	fresh := func() *int { return new(int) }
	start := time.Now()
	first, last := s.getOrPut("k", fresh), start // last: when the last use began
	for time.Since(start) < 5*ttl/2 {
		time.Sleep(ttl / 10)
		began := time.Now()
		got := s.getOrPut("k", fresh)
		if gap := time.Since(last); gap >= ttl {
			t.Skipf("the machine stalled %v between two uses, longer than the TTL", gap)
		}
		last = began
		if got != first {
			t.Fatalf("value replaced %v after it was stored, though used every %v", time.Since(start), ttl/10)
		}
	}
	for deadline := time.Now().Add(expiryDeadline); ; time.Sleep(ttl / 10) {
		if _, ok := s.get("k"); !ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("entry still there %v after its last use", expiryDeadline)
		}
	}
}
