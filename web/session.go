package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/govbot/govbot/answer"
	"github.com/hashicorp/golang-lru/v2/expirable"
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
// last use; the least recently used goes first when full. It is an
// expirable LRU cache keyed by conversation ID; the cache sweeps expired
// conversations in a goroutine that lives as long as the process
// (golang-lru v2.0.7 cannot stop it), one per Server.
type sessionStore struct {
	ttl   time.Duration // also the cookie's lifetime
	cache *expirable.LRU[string, *conversation]
}

func newSessionStore(max int, ttl time.Duration) *sessionStore {
	return &sessionStore{ttl: ttl, cache: expirable.NewLRU[string, *conversation](max, nil, ttl)}
}

// get returns the request's conversation, or nil when it has none (no
// cookie, an unknown or expired ID). Each use renews the conversation.
func (st *sessionStore) get(r *http.Request) *conversation {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	c, ok := st.cache.Get(ck.Value)
	if !ok {
		return nil
	}
	st.cache.Add(c.id, c) // renews its time to live
	return c
}

// start begins a conversation and sets its cookie.
func (st *sessionStore) start(w http.ResponseWriter, r *http.Request) *conversation {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	c := &conversation{id: hex.EncodeToString(b[:])}
	st.cache.Add(c.id, c)
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
	return st.cache.Len()
}
