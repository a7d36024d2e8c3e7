package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// startSession begins a conversation in st and returns a request that
// carries its cookie.
func startSession(t *testing.T, st *sessionStore) (*conversation, *http.Request) {
	t.Helper()
	w := httptest.NewRecorder()
	c := st.start(w, httptest.NewRequest(http.MethodGet, "/", nil))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, ck := range w.Result().Cookies() {
		r.AddCookie(ck)
	}
	return c, r
}

func TestSessionStoreEviction(t *testing.T) {
	st := newSessionStore(2, time.Hour)
	if c := st.get(httptest.NewRequest(http.MethodGet, "/", nil)); c != nil {
		t.Fatalf("a request without a cookie has conversation %s", c.id)
	}
	a, ra := startSession(t, st)
	b, rb := startSession(t, st)
	if st.get(ra) != a || st.get(rb) != b {
		t.Fatal("a cookie does not lead back to its conversation")
	}
	st.get(ra)                   // b is now the least recently used
	c, rc := startSession(t, st) // evicts b
	if st.get(rb) != nil {
		t.Error("b survived eviction")
	}
	if st.get(ra) != a || st.get(rc) != c {
		t.Error("a recently used conversation was evicted")
	}
	if n := st.len(); n != 2 {
		t.Errorf("%d conversations kept, want 2", n)
	}
}

// TestSessionStoreExpiry checks that a conversation left alone longer than
// its time to live is gone. time.Sleep waits at least as long as asked, so
// the check does not depend on the machine's speed.
func TestSessionStoreExpiry(t *testing.T) {
	const ttl = 50 * time.Millisecond
	st := newSessionStore(10, ttl)
	_, r := startSession(t, st)
	time.Sleep(2 * ttl)
	if c := st.get(r); c != nil {
		t.Errorf("conversation %s still there %v after its last use (TTL %v)", c.id, 2*ttl, ttl)
	}
}

// TestSessionStoreRenewal checks that a conversation used more often than
// its time to live stays, however long that goes on.
func TestSessionStoreRenewal(t *testing.T) {
	const ttl = time.Second
	st := newSessionStore(10, ttl)
	start := time.Now()
	first, r := startSession(t, st)
	last := start // when the last use began
	for time.Since(start) < 5*ttl/2 {
		time.Sleep(ttl / 10)
		began := time.Now()
		got := st.get(r)
		if gap := time.Since(last); gap >= ttl {
			t.Skipf("the machine stalled %v between two uses, longer than the TTL", gap)
		}
		last = began
		if got != first {
			t.Fatalf("conversation lost %v after it began, though used every %v", time.Since(start), ttl/10)
		}
	}
}
