package bot

import (
	"sync"
	"time"
)

// Rate is "at most N events in any window of length Per". Telegram states
// its limits this way (1 message per second in a chat, 20 per minute in a
// group, 30 per second overall), so a sliding-window log enforces them
// exactly, where a token bucket would allow a burst on top of the rate.
type Rate struct {
	N   int
	Per time.Duration
}

// Default outgoing limits, as Telegram documents them.
var (
	DefaultPerChat  = Rate{N: 1, Per: time.Second}
	DefaultPerGroup = Rate{N: 20, Per: time.Minute}
	DefaultGlobal   = Rate{N: 30, Per: time.Second}
)

func (r Rate) valid() bool { return r.N > 0 && r.Per > 0 }

// slot is one send booked in a window. Telegram counts a message when the
// request reaches it, which is somewhere between the booking and the
// answer: a window that counted from the booking would let the requests of
// two windows arrive close together whenever the first ones were slow to
// go out (a busy machine, a slow network). So a slot counts from its
// booking until Per after its answer came back; end is zero while the
// request is in flight. Then any N+1 sends reach Telegram at least Per
// apart, whatever the delays.
type slot struct{ end time.Time }

// window is the log of recent sends for one Rate.
type window struct {
	slots []*slot // booking order; at most rate.N kept
}

// wait returns how long to wait before one more send fits at now, after
// dropping the slots that no longer count. It returns inFlight when the
// window is full of requests still in flight: only an answer frees it.
func (w *window) wait(r Rate, now time.Time) time.Duration {
	k := 0
	for _, s := range w.slots {
		if s.end.IsZero() || now.Sub(s.end) < r.Per {
			w.slots[k] = s
			k++
		}
	}
	clear(w.slots[k:])
	w.slots = w.slots[:k]
	if len(w.slots) < r.N {
		return 0
	}
	d := inFlight
	for _, s := range w.slots {
		if !s.end.IsZero() {
			if e := s.end.Add(r.Per).Sub(now); d == inFlight || e < d {
				d = e
			}
		}
	}
	return d
}

func (w *window) idle(r Rate, now time.Time) bool {
	for _, s := range w.slots {
		if s.end.IsZero() || now.Sub(s.end) < r.Per {
			return false
		}
	}
	return true
}

// inFlight is the wait that means "until a request in flight is answered".
const inFlight time.Duration = -1

// outLimiter keeps sends within the per-chat, per-group and global rates.
type outLimiter struct {
	perChat, perGroup, global Rate

	mu      sync.Mutex
	all     window
	chats   map[int64]*window
	groups  map[int64]*window
	sweep   time.Time
	changed chan struct{} // closed and replaced when a slot's request ends
	waiting map[int64]int // sends waiting for their turn, per chat
}

func newOutLimiter(perChat, perGroup, global Rate) *outLimiter {
	return &outLimiter{perChat: perChat, perGroup: perGroup, global: global,
		chats: map[int64]*window{}, groups: map[int64]*window{}, changed: make(chan struct{}), waiting: map[int64]int{}}
}

// enter counts one more send waiting for chatID, unless limit (> 0) are
// waiting already.
func (l *outLimiter) enter(chatID int64, limit int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if limit > 0 && l.waiting[chatID] >= limit {
		return false
	}
	l.waiting[chatID]++
	return true
}

// leave undoes enter.
func (l *outLimiter) leave(chatID int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.waiting[chatID]--; l.waiting[chatID] <= 0 {
		delete(l.waiting, chatID)
	}
}

// isGroup reports whether chatID names a group or channel: Telegram gives
// those negative IDs and users positive ones.
func isGroup(chatID int64) bool { return chatID < 0 }

// ticket is a booked send; release it when the request has been answered
// (or has failed).
type ticket struct {
	l     *outLimiter
	slots []*slot
}

// release marks the ticket's request as finished at now.
func (t *ticket) release(now time.Time) {
	if t == nil {
		return
	}
	t.l.mu.Lock()
	for _, s := range t.slots {
		s.end = now
	}
	close(t.l.changed)
	t.l.changed = make(chan struct{})
	t.l.mu.Unlock()
}

// reserve books an event for chatID at now, counted from now only, if every
// rate allows it, and otherwise returns how long to wait before trying
// again. It paces work that sends through a Sender (which keeps the real
// limits) and never returns inFlight.
func (l *outLimiter) reserve(chatID int64, now time.Time) time.Duration {
	t, d, _ := l.book(chatID, now)
	t.release(now)
	return d
}

// book books a send to chatID at now if every rate allows it. Otherwise it
// returns no ticket and how long to wait before trying again, or inFlight
// and a channel closed when a request in flight ends.
func (l *outLimiter) book(chatID int64, now time.Time) (*ticket, time.Duration, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var d time.Duration
	blocked := false
	need := func(w time.Duration) {
		if w == inFlight {
			blocked = true
		} else {
			d = max(d, w)
		}
	}
	var cw, gw *window
	if l.global.valid() {
		need(l.all.wait(l.global, now))
	}
	if chatID != 0 && l.perChat.valid() {
		cw = l.chats[chatID]
		if cw == nil {
			cw = &window{}
			l.chats[chatID] = cw
		}
		need(cw.wait(l.perChat, now))
	}
	if isGroup(chatID) && l.perGroup.valid() {
		gw = l.groups[chatID]
		if gw == nil {
			gw = &window{}
			l.groups[chatID] = gw
		}
		need(gw.wait(l.perGroup, now))
	}
	if d > 0 {
		return nil, d, nil
	}
	if blocked {
		return nil, inFlight, l.changed
	}
	t := &ticket{l: l}
	book := func(w *window) {
		s := &slot{}
		w.slots = append(w.slots, s)
		t.slots = append(t.slots, s)
	}
	if l.global.valid() {
		book(&l.all)
	}
	if cw != nil {
		book(cw)
	}
	if gw != nil {
		book(gw)
	}
	l.gc(now)
	return t, 0, nil
}

// gc forgets chats whose windows are idle, so memory stays bounded by the
// chats active in the last minute.
func (l *outLimiter) gc(now time.Time) {
	if now.Sub(l.sweep) < time.Minute && len(l.chats) < 10000 {
		return
	}
	l.sweep = now
	for id, w := range l.chats {
		if w.idle(l.perChat, now) {
			delete(l.chats, id)
		}
	}
	for id, w := range l.groups {
		if w.idle(l.perGroup, now) {
			delete(l.groups, id)
		}
	}
}

// userLimiter is the per-user question limit: a token bucket of Burst
// questions refilled at one per Every. It remembers whether the user was
// told about the limit during the current streak of refusals, so the
// notice is sent once per streak, not once per message.
type userLimiter struct {
	burst int
	every time.Duration

	mu    sync.Mutex
	users map[int64]*userBucket
	sweep time.Time
}

type userBucket struct {
	tokens   float64
	last     time.Time
	notified bool
}

func newUserLimiter(burst int, every time.Duration) *userLimiter {
	return &userLimiter{burst: burst, every: every, users: map[int64]*userBucket{}}
}

// allow takes a token for user at now. When it refuses, notify is true for
// the first refusal of a streak.
func (l *userLimiter) allow(user int64, now time.Time) (ok, notify bool) {
	if l == nil || l.burst <= 0 || l.every <= 0 {
		return true, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.users[user]
	if b == nil {
		b = &userBucket{tokens: float64(l.burst), last: now}
		l.users[user] = b
	}
	b.tokens = min(float64(l.burst), b.tokens+float64(now.Sub(b.last))/float64(l.every))
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		b.notified = false
		l.gc(now)
		return true, false
	}
	notify = !b.notified
	b.notified = true
	return false, notify
}

// gc forgets users whose buckets are full again: they are as good as new.
func (l *userLimiter) gc(now time.Time) {
	if now.Sub(l.sweep) < time.Minute && len(l.users) < 100000 {
		return
	}
	l.sweep = now
	full := time.Duration(l.burst) * l.every
	for id, b := range l.users {
		if now.Sub(b.last) >= full {
			delete(l.users, id)
		}
	}
}
