package web

import (
	lru "github.com/hashicorp/golang-lru/v2"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ipLimiter keeps a token bucket per client address, for at most max
// addresses: the least recently seen is forgotten first (it starts again
// with a full burst, which is all an attacker with that many addresses
// could get anyway).
type ipLimiter struct {
	burst int
	every time.Duration

	mu   sync.Mutex // makes get-or-add one step: one bucket per address
	seen *lru.Cache[string, *rate.Limiter]
}

func newIPLimiter(burst int, every time.Duration, size int) *ipLimiter {
	seen, _ := lru.New[string, *rate.Limiter](max(size, 1)) // errors only for a size < 1
	return &ipLimiter{burst: burst, every: every, seen: seen}
}

// reserve takes one request from ip's bucket; it returns 0 when the request
// may go ahead, else how long until it could.
func (l *ipLimiter) reserve(ip string, now time.Time) time.Duration {
	l.mu.Lock()
	lim, ok := l.seen.Get(ip)
	if !ok {
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.seen.Add(ip, lim)
	}
	l.mu.Unlock()
	if lim.AllowN(now, 1) {
		return 0
	}
	r := lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	return d
}

// clientIP is the address the request came from. A proxy's
// X-Forwarded-For is not trusted: anyone can write one.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limitRate answers 429 with Retry-After to a client over its rate.
func (s *Server) limitRate(next http.Handler) http.Handler {
	if s.limiter == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wait := s.limiter.reserve(clientIP(r), time.Now()); wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			s.fail(w, r, http.StatusTooManyRequests, "请求太频繁，请稍后再试。")
			return
		}
		next.ServeHTTP(w, r)
	})
}
