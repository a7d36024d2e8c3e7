package bot

import (
	"maps"
	"slices"
	"testing"
	"time"
)

func TestDefaultLimitsAreTelegrams(t *testing.T) {
	tests := []struct {
		name string
		got  Rate
		want Rate
	}{
		{"per chat", DefaultPerChat, Rate{1, time.Second}},
		{"per group", DefaultPerGroup, Rate{20, time.Minute}},
		{"global", DefaultGlobal, Rate{30, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
		})
	}
	var cfg SenderConfig
	s := NewSender(testBotClient(t), cfg)
	if s.lim.perChat != DefaultPerChat || s.lim.perGroup != DefaultPerGroup || s.lim.global != DefaultGlobal {
		t.Errorf("zero SenderConfig gives %+v %+v %+v", s.lim.perChat, s.lim.perGroup, s.lim.global)
	}
}

// admit books sends at instant now, each answered at once, and counts
// how many the limiter lets through.
func admit(l *outLimiter, chat int64, now time.Time, n int) int {
	ok := 0
	for range n {
		if tk, _, _ := l.book(chat, nil, now); tk != nil {
			tk.release(now)
			ok++
		}
	}
	return ok
}

// waitAt is the wait reserve asks for at now; a send it admits is answered at once.
func waitAt(l *outLimiter, chat int64, now time.Time) time.Duration {
	return l.reserve(chat, now)
}

func TestOutLimiterDefaults(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	t.Run("one per second per private chat", func(t *testing.T) {
		l := newOutLimiter(DefaultPerChat, DefaultPerGroup, DefaultGlobal)
		if got := admit(l, 42, t0, 5); got != 1 {
			t.Errorf("admitted %d at once, want 1", got)
		}
		if d := waitAt(l, 42, t0.Add(500*time.Millisecond)); d != 500*time.Millisecond {
			t.Errorf("wait after 0.5s = %v, want 0.5s", d)
		}
		if d := waitAt(l, 42, t0.Add(time.Second)); d != 0 {
			t.Errorf("wait after 1s = %v, want 0", d)
		}
	})
	t.Run("thirty per second overall", func(t *testing.T) {
		l := newOutLimiter(DefaultPerChat, DefaultPerGroup, DefaultGlobal)
		ok := 0
		for chat := int64(1); chat <= 40; chat++ {
			ok += admit(l, chat, t0, 1)
		}
		if ok != 30 {
			t.Errorf("admitted %d distinct chats at once, want 30", ok)
		}
		if d := waitAt(l, 99, t0.Add(999*time.Millisecond)); d != time.Millisecond {
			t.Errorf("31st send waits %v, want 1ms", d)
		}
	})
	t.Run("twenty per minute per group", func(t *testing.T) {
		l := newOutLimiter(DefaultPerChat, DefaultPerGroup, DefaultGlobal)
		ok := 0
		for i := range 30 {
			ok += admit(l, -100, t0.Add(time.Duration(i)*time.Second), 1)
		}
		if ok != 20 {
			t.Errorf("admitted %d group sends in 30s, want 20", ok)
		}
		if d := waitAt(l, -100, t0.Add(30*time.Second)); d != 30*time.Second {
			t.Errorf("21st group send waits %v, want 30s", d)
		}
	})
	t.Run("a slow request holds its slot until Per after its answer", func(t *testing.T) {
		l := newOutLimiter(DefaultPerChat, DefaultPerGroup, DefaultGlobal)
		tk, _, _ := l.book(42, nil, t0)
		if tk == nil {
			t.Fatal("first send refused")
		}
		// Still in flight 3s later: Telegram may not have counted it yet.
		next, d, changed := l.book(42, nil, t0.Add(3*time.Second))
		if next != nil || d != inFlight || changed == nil {
			t.Fatalf("send while one is in flight: ticket %v, wait %v; want to wait for the answer", next, d)
		}
		tk.release(t0.Add(4 * time.Second))
		select {
		case <-changed:
		default:
			t.Error("release did not wake the waiter")
		}
		if d := waitAt(l, 42, t0.Add(4500*time.Millisecond)); d != 500*time.Millisecond {
			t.Errorf("wait 0.5s after the answer = %v, want 0.5s", d)
		}
		if d := waitAt(l, 42, t0.Add(5*time.Second)); d != 0 {
			t.Errorf("wait 1s after the answer = %v, want 0", d)
		}
	})
	t.Run("idle chats are forgotten", func(t *testing.T) {
		l := newOutLimiter(DefaultPerChat, DefaultPerGroup, DefaultGlobal)
		for chat := int64(1); chat <= 20; chat++ {
			admit(l, chat, t0, 1)
		}
		admit(l, 1000, t0.Add(2*time.Minute), 1)
		if len(l.chats) != 1 {
			t.Errorf("%d chats remembered after they went idle, want 1", len(l.chats))
		}
	})
}

func TestUserLimiter(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newUserLimiter(5, 2*time.Second)
	type step struct {
		at           time.Duration
		ok, notified bool
	}
	steps := []step{
		{0, true, false}, {0, true, false}, {0, true, false}, {0, true, false}, {0, true, false},
		{0, false, true},                       // first refusal: notice
		{100 * time.Millisecond, false, false}, // same streak: silent
		{time.Second, false, false},
		{2 * time.Second, true, false}, // one refilled
		{2 * time.Second, false, true}, // new streak: notice again
	}
	for i, s := range steps {
		ok, notify := l.allow(7, t0.Add(s.at))
		if ok != s.ok || notify != s.notified {
			t.Errorf("step %d at %v: allow = %v, %v; want %v, %v", i, s.at, ok, notify, s.ok, s.notified)
		}
	}
	if ok, _ := l.allow(8, t0); !ok {
		t.Error("another user is limited by user 7's questions")
	}
	// At the next sweep, buckets that are full again are forgotten and the
	// others kept.
	late := t0.Add(time.Hour)
	for range 5 {
		l.allow(10, late.Add(-time.Second))
	}
	l.allow(9, late)
	if len(l.users) != 2 || l.users[9] == nil || l.users[10] == nil {
		t.Errorf("users kept after the sweep: %v, want 9 and 10", slices.Sorted(maps.Keys(l.users)))
	}
	var nilLimiter *userLimiter
	if ok, _ := nilLimiter.allow(1, t0); !ok {
		t.Error("a nil limiter must allow everything")
	}
}
