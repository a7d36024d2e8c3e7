package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"
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
	changed chan struct{}        // closed and replaced when a slot's request ends or a waiter leaves
	queues  map[int64]*fairQueue // sends waiting for their turn, per chat
}

func newOutLimiter(perChat, perGroup, global Rate) *outLimiter {
	return &outLimiter{perChat: perChat, perGroup: perGroup, global: global,
		chats: map[int64]*window{}, groups: map[int64]*window{}, changed: make(chan struct{}), queues: map[int64]*fairQueue{}}
}

// fairQueue orders the sends waiting for one chat so that its members take
// turns: each waiting send gets a tag one past its member's previous one,
// and never below the tag of the last send let through, and the smallest
// tag goes first (start-time fair queueing). A member with ten replies
// waiting and one who just asked alternate instead of the second waiting
// behind all ten: a group's 20 messages a minute are shared fairly.
type fairQueue struct {
	waiters []*waiter
	last    map[int64]uint64 // member -> tag of their latest waiting send
	count   map[int64]int    // member -> sends waiting (exempt ones not counted)
	total   int              // sends waiting, exempt ones not counted
	vtime   uint64           // tag of the last send let through
	seq     uint64
}

// waiter is one send waiting for its turn in a chat.
type waiter struct {
	member    int64
	tag, seq  uint64
	exempt    bool // a notice: not counted against the bound
	evicted   bool // gave its place to another member's send: fails with ErrChatBusy
	uncounted bool
}

// enter queues one more send to chatID on behalf of member. When limit
// (> 0) sends wait for the chat already, the member with the most of them
// gives up its latest one (it fails with ErrChatBusy, and its user is
// told) if that still leaves it more than the newcomer's member; otherwise
// the newcomer is refused (nil). Exempt sends (notices) are not counted.
func (l *outLimiter) enter(chatID, member int64, limit int, exempt bool) *waiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.queues[chatID]
	if q == nil {
		q = &fairQueue{last: map[int64]uint64{}, count: map[int64]int{}}
		l.queues[chatID] = q
	}
	if !exempt && limit > 0 && q.total >= limit {
		var victim *waiter
		for _, x := range q.waiters {
			if x.exempt || x.evicted || x.member == member {
				continue
			}
			if victim == nil || q.count[x.member] > q.count[victim.member] ||
				(x.member == victim.member && x.tag > victim.tag) {
				victim = x
			}
		}
		if victim == nil || q.count[victim.member] <= q.count[member]+1 {
			return nil
		}
		victim.evicted = true
		q.uncount(victim)
		l.notify()
	}
	q.seq++
	w := &waiter{member: member, tag: max(q.last[member], q.vtime) + 1, seq: q.seq, exempt: exempt}
	q.last[member] = w.tag
	if !exempt {
		q.count[member]++
		q.total++
	}
	q.waiters = append(q.waiters, w)
	return w
}

// uncount takes w out of the counts of waiting sends.
func (q *fairQueue) uncount(w *waiter) {
	if w.exempt || w.uncounted {
		return
	}
	w.uncounted = true
	q.total--
	if q.count[w.member]--; q.count[w.member] <= 0 {
		delete(q.count, w.member)
	}
}

// leave takes w out of chatID's queue, after its send was booked or given up.
func (l *outLimiter) leave(chatID int64, w *waiter) {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.queues[chatID]
	if q == nil {
		return
	}
	for i, x := range q.waiters {
		if x == w {
			q.waiters = append(q.waiters[:i], q.waiters[i+1:]...)
			break
		}
	}
	q.uncount(w)
	if len(q.waiters) == 0 {
		delete(l.queues, chatID)
	} else if q.last[w.member] == w.tag {
		delete(q.last, w.member) // the member has nothing else waiting
	}
	l.notify()
}

// head reports whether w is the next send of its chat; l.mu must be held.
func (l *outLimiter) head(chatID int64, w *waiter) bool {
	q := l.queues[chatID]
	if q == nil || w == nil {
		return true
	}
	for _, x := range q.waiters {
		if !x.evicted && (x.tag < w.tag || (x.tag == w.tag && x.seq < w.seq)) {
			return false
		}
	}
	return true
}

// evicted reports whether w gave its place away; l.mu must not be held.
func (l *outLimiter) evicted(w *waiter) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return w.evicted
}

// notify wakes the sends waiting on l.changed; l.mu must be held.
func (l *outLimiter) notify() {
	close(l.changed)
	l.changed = make(chan struct{})
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
	t.l.notify()
	t.l.mu.Unlock()
}

// reserve books an event for chatID at now, counted from now only, if every
// rate allows it, and otherwise returns how long to wait before trying
// again. It paces work that sends through a Sender (which keeps the real
// limits) and never returns inFlight.
func (l *outLimiter) reserve(chatID int64, now time.Time) time.Duration {
	t, d, _ := l.book(chatID, nil, now)
	t.release(now)
	return d
}

// book books a send to chatID at now if it is w's turn (w may be nil) and
// every rate allows it. Otherwise it returns no ticket and how long to wait
// before trying again, or inFlight and a channel closed when a request in
// flight ends or a waiter leaves.
func (l *outLimiter) book(chatID int64, w *waiter, now time.Time) (*ticket, time.Duration, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w != nil && w.evicted {
		return nil, 0, nil
	}
	if !l.head(chatID, w) {
		return nil, inFlight, l.changed
	}
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
	if q := l.queues[chatID]; q != nil && w != nil {
		q.vtime = max(q.vtime, w.tag)
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
// questions refilled at one per Every (golang.org/x/time/rate). It adds
// what rate.Limiter does not do: it remembers whether the user was told
// about the limit during the current streak of refusals, so the notice is
// sent once per streak, not once per message, and it forgets a user only
// once their bucket is full again, which loses nothing (an LRU of limiters
// would forget by count and hand a busy user a fresh bucket).
type userLimiter struct {
	burst int
	every time.Duration

	mu    sync.Mutex
	users map[int64]*userBucket
	sweep time.Time
}

type userBucket struct {
	lim      *rate.Limiter
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
		b = &userBucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.users[user] = b
	}
	if b.lim.AllowN(now, 1) {
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
	for id, b := range l.users {
		if b.lim.TokensAt(now) >= float64(l.burst) {
			delete(l.users, id)
		}
	}
}

// rateLimitNotice is the one notice a user gets per streak of refusals.
func (s *Server) rateLimitNotice() string {
	return fmt.Sprintf("您问得有点快了，请稍等几秒再问。（每人可连续问 %d 个问题，之后每 %s 一个）", s.cfg.UserBurst, humanDuration(s.cfg.UserEvery))
}

// allowUser takes a token of the per-user limit for user, unless the
// update being handled was admitted already (a command such as /ask that
// goes on to ask a question is one request, not two).
func (s *Server) allowUser(ctx context.Context, user int64, now time.Time) (ok, notify bool) {
	if u := updateFrom(ctx); u != nil && u.admitted {
		return true, false
	}
	return s.users.allow(user, now)
}

// admit puts a command message through the per-user limit, as questions
// are: every command costs a worker and a reply, so a few chats sending
// commands must not tie up the bot. It returns the context to handle the
// command in, or nil when the command is refused (the first refusal of a
// streak gets the notice).
func (s *Server) admit(ctx context.Context, m *models.Message) context.Context {
	ok, notify := s.allowUser(ctx, m.From.ID, time.Now())
	if !ok {
		s.metrics.rateLimited.Add(1)
		if notify {
			s.reply(ctx, m, s.rateLimitNotice(), nil)
		}
		return nil
	}
	u := updateFrom(ctx)
	if u == nil {
		u = &updateState{s: s, member: m.From.ID}
		ctx = context.WithValue(ctx, updateKey{}, u)
	}
	u.admitted = true
	return ctx
}
