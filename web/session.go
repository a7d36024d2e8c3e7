package web

import (
	"container/list"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/govbot/govbot/answer"
)

// sessionCookie names the cookie that holds a browser's conversation ID.
const sessionCookie = "govbot_session"

// maxTurns is how many earlier questions a conversation shows.
const maxTurns = 8

// conversation is one browser's conversation: the engine's session (which
// report "这份报告" means) and the questions asked so far.
type conversation struct {
	id   string
	conv answer.Session

	mu    sync.Mutex
	turns []turn // oldest first, at most maxTurns
	seen  time.Time
}

// turn is one earlier question with the first line of its reply.
type turn struct {
	Question, Summary string
}

func (c *conversation) add(t turn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.turns = append(c.turns, t)
	if len(c.turns) > maxTurns {
		c.turns = append(c.turns[:0], c.turns[len(c.turns)-maxTurns:]...)
	}
}

func (c *conversation) history() []turn {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]turn(nil), c.turns...)
}

// sessionStore keeps at most max conversations, each for ttl after its
// last use; the least recently used goes first when full.
type sessionStore struct {
	max int
	ttl time.Duration

	mu  sync.Mutex
	m   map[string]*list.Element // of *conversation
	lru *list.List               // most recently used first
}

func newSessionStore(max int, ttl time.Duration) *sessionStore {
	return &sessionStore{max: max, ttl: ttl, m: map[string]*list.Element{}, lru: list.New()}
}

// get returns the request's conversation, or nil when it has none (no
// cookie, an unknown or expired ID).
func (st *sessionStore) get(r *http.Request, now time.Time) *conversation {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	el, ok := st.m[ck.Value]
	if !ok {
		return nil
	}
	c := el.Value.(*conversation)
	if now.Sub(c.seen) > st.ttl {
		st.lru.Remove(el)
		delete(st.m, c.id)
		return nil
	}
	c.seen = now
	st.lru.MoveToFront(el)
	return c
}

// start begins a conversation and sets its cookie.
func (st *sessionStore) start(w http.ResponseWriter, r *http.Request, now time.Time) *conversation {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	c := &conversation{id: hex.EncodeToString(b[:]), seen: now}
	st.mu.Lock()
	for st.lru.Len() > 0 {
		old := st.lru.Back()
		oc := old.Value.(*conversation)
		if st.lru.Len() < st.max && now.Sub(oc.seen) <= st.ttl {
			break
		}
		st.lru.Remove(old)
		delete(st.m, oc.id)
	}
	st.m[c.id] = st.lru.PushFront(c)
	st.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    c.id,
		Path:     "/",
		MaxAge:   int(st.ttl.Seconds()),
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
	return c
}

// len returns the number of conversations kept.
func (st *sessionStore) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.lru.Len()
}
