package bot

import (
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

// admit books sends at instant now and counts how many the limiter lets through.
func admit(l *outLimiter, chat int64, now time.Time, n int) int {
	ok := 0
	for range n {
		if l.reserve(chat, now) == 0 {
			ok++
		}
	}
	return ok
}

func TestOutLimiterDefaults(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	t.Run("one per second per private chat", func(t *testing.T) {
		l := newOutLimiter(DefaultPerChat, DefaultPerGroup, DefaultGlobal)
		if got := admit(l, 42, t0, 5); got != 1 {
			t.Errorf("admitted %d at once, want 1", got)
		}
		if d := l.reserve(42, t0.Add(500*time.Millisecond)); d != 500*time.Millisecond {
			t.Errorf("wait after 0.5s = %v, want 0.5s", d)
		}
		if d := l.reserve(42, t0.Add(time.Second)); d != 0 {
			t.Errorf("wait after 1s = %v, want 0", d)
		}
	})
	t.Run("thirty per second overall", func(t *testing.T) {
		l := newOutLimiter(DefaultPerChat, DefaultPerGroup, DefaultGlobal)
		ok := 0
		for chat := int64(1); chat <= 40; chat++ {
			if l.reserve(chat, t0) == 0 {
				ok++
			}
		}
		if ok != 30 {
			t.Errorf("admitted %d distinct chats at once, want 30", ok)
		}
		if d := l.reserve(99, t0.Add(999*time.Millisecond)); d != time.Millisecond {
			t.Errorf("31st send waits %v, want 1ms", d)
		}
	})
	t.Run("twenty per minute per group", func(t *testing.T) {
		l := newOutLimiter(DefaultPerChat, DefaultPerGroup, DefaultGlobal)
		ok := 0
		for i := range 30 {
			if l.reserve(-100, t0.Add(time.Duration(i)*time.Second)) == 0 {
				ok++
			}
		}
		if ok != 20 {
			t.Errorf("admitted %d group sends in 30s, want 20", ok)
		}
		if d := l.reserve(-100, t0.Add(30*time.Second)); d != 30*time.Second {
			t.Errorf("21st group send waits %v, want 30s", d)
		}
	})
	t.Run("idle chats are forgotten", func(t *testing.T) {
		l := newOutLimiter(DefaultPerChat, DefaultPerGroup, DefaultGlobal)
		for chat := int64(1); chat <= 20; chat++ {
			l.reserve(chat, t0)
		}
		l.reserve(1000, t0.Add(2*time.Minute))
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
		{0, false, true},                     // first refusal: notice
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
	var nilLimiter *userLimiter
	if ok, _ := nilLimiter.allow(1, t0); !ok {
		t.Error("a nil limiter must allow everything")
	}
}

func TestStore(t *testing.T) {
	s := newStore[int](2, time.Minute)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
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
	now = now.Add(2 * time.Minute)
	if _, ok := s.get(c); ok {
		t.Error("c survived its TTL")
	}
	if len("m:"+c+":12") > 64 {
		t.Error("callback data over 64 bytes")
	}
}
