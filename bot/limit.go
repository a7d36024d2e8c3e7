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

// window is the log of recent event times for one Rate.
type window struct {
	times []time.Time // ascending; at most rate.N kept
}

// wait returns how long to wait before one more event fits at now.
func (w *window) wait(r Rate, now time.Time) time.Duration {
	if len(w.times) < r.N {
		return 0
	}
	oldest := w.times[len(w.times)-r.N]
	if d := oldest.Add(r.Per).Sub(now); d > 0 {
		return d
	}
	return 0
}

func (w *window) add(r Rate, now time.Time) {
	w.times = append(w.times, now)
	if len(w.times) > r.N {
		w.times = append(w.times[:0], w.times[len(w.times)-r.N:]...)
	}
}

func (w *window) idle(r Rate, now time.Time) bool {
	return len(w.times) == 0 || now.Sub(w.times[len(w.times)-1]) >= r.Per
}

// outLimiter keeps sends within the per-chat, per-group and global rates.
type outLimiter struct {
	perChat, perGroup, global Rate

	mu     sync.Mutex
	all    window
	chats  map[int64]*window
	groups map[int64]*window
	sweep  time.Time
}

func newOutLimiter(perChat, perGroup, global Rate) *outLimiter {
	return &outLimiter{perChat: perChat, perGroup: perGroup, global: global, chats: map[int64]*window{}, groups: map[int64]*window{}}
}

// isGroup reports whether chatID names a group or channel: Telegram gives
// those negative IDs and users positive ones.
func isGroup(chatID int64) bool { return chatID < 0 }

// reserve books a send to chatID at now if every rate allows it, and
// otherwise returns how long to wait before trying again.
func (l *outLimiter) reserve(chatID int64, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var d time.Duration
	var cw, gw *window
	if l.global.valid() {
		d = max(d, l.all.wait(l.global, now))
	}
	if chatID != 0 && l.perChat.valid() {
		cw = l.chats[chatID]
		if cw == nil {
			cw = &window{}
			l.chats[chatID] = cw
		}
		d = max(d, cw.wait(l.perChat, now))
	}
	if isGroup(chatID) && l.perGroup.valid() {
		gw = l.groups[chatID]
		if gw == nil {
			gw = &window{}
			l.groups[chatID] = gw
		}
		d = max(d, gw.wait(l.perGroup, now))
	}
	if d > 0 {
		return d
	}
	if l.global.valid() {
		l.all.add(l.global, now)
	}
	if cw != nil {
		cw.add(l.perChat, now)
	}
	if gw != nil {
		gw.add(l.perGroup, now)
	}
	l.gc(now)
	return 0
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
