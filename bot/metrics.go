package bot

import (
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// metrics are the bot's counters, exposed at /metrics in the Prometheus
// text format (written by hand: one small file beats a dependency).
type metrics struct {
	updates     atomic.Uint64 // updates received
	questions   atomic.Uint64 // questions passed to the engine
	answered    atomic.Uint64 // answers with Answered true
	abstained   atomic.Uint64 // answers with Answered false
	askErrors   atomic.Uint64 // engine errors
	rateLimited atomic.Uint64 // questions refused by the per-user limit
	tooLong     atomic.Uint64 // questions refused for length
	panics      atomic.Uint64 // handler panics recovered
	retries     atomic.Uint64 // Bot API calls retried
	chatBusy    atomic.Uint64 // sends refused: too many waiting for one chat
	malformed   atomic.Uint64 // updates that did not decode (set by client)
	recovered   atomic.Uint64 // journalled updates answered after a restart
	resent      atomic.Uint64 // of those, replies that may have been sent before the crash
	redelivered atomic.Uint64 // updates Telegram delivered again, ignored
	dropped     atomic.Uint64 // replies given up on (the user was told)
	journalErrs atomic.Uint64 // update journal writes that failed

	mu       sync.Mutex
	tgErrors map[tgErrKey]uint64 // failed Bot API calls by method and status
	latency  histogram           // question received → reply sent
}

type tgErrKey struct {
	method string
	code   int
}

func newMetrics() *metrics {
	return &metrics{tgErrors: map[tgErrKey]uint64{}, latency: histogram{bounds: []float64{0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30}}}
}

func (m *metrics) telegramError(method string, code int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.tgErrors[tgErrKey{method, code}]++
	m.mu.Unlock()
}

func (m *metrics) observe(d time.Duration) {
	m.mu.Lock()
	m.latency.observe(d.Seconds())
	m.mu.Unlock()
}

// histogram is a Prometheus histogram with fixed upper bounds.
type histogram struct {
	bounds []float64
	counts []uint64 // per bound, not cumulative; len(bounds)+1 with +Inf
	sum    float64
	n      uint64
}

func (h *histogram) observe(v float64) {
	if h.counts == nil {
		h.counts = make([]uint64, len(h.bounds)+1)
	}
	i := sort.SearchFloat64s(h.bounds, v)
	h.counts[i]++
	h.sum += v
	h.n++
}

// writeTo writes every metric in the Prometheus text exposition format.
func (m *metrics) writeTo(w io.Writer) {
	counter := func(name, help string, v uint64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	counter("govbot_updates_total", "Telegram updates received.", m.updates.Load())
	counter("govbot_questions_total", "Questions passed to the answer engine.", m.questions.Load())
	counter("govbot_answered_total", "Questions answered from the reports.", m.answered.Load())
	counter("govbot_abstained_total", "Questions the reports do not answer.", m.abstained.Load())
	counter("govbot_answer_errors_total", "Questions the engine failed on.", m.askErrors.Load())
	counter("govbot_rate_limited_total", "Questions refused by the per-user rate limit.", m.rateLimited.Load())
	counter("govbot_too_long_total", "Questions refused for length.", m.tooLong.Load())
	counter("govbot_panics_total", "Update handlers that panicked (recovered).", m.panics.Load())
	counter("govbot_telegram_retries_total", "Bot API calls retried after 429, 5xx or a network error.", m.retries.Load())
	counter("govbot_malformed_updates_total", "Updates that did not decode and were skipped.", m.malformed.Load())
	counter("govbot_chat_busy_total", "Replies refused: too many already waiting for the chat's rate limit (the user is told once per streak).", m.chatBusy.Load())
	counter("govbot_updates_recovered_total", "Updates received before a restart and answered after it.", m.recovered.Load())
	counter("govbot_updates_resent_total", "Recovered updates whose reply was in flight at the crash: possibly answered twice.", m.resent.Load())
	counter("govbot_updates_redelivered_total", "Updates Telegram delivered again, recognised and ignored.", m.redelivered.Load())
	counter("govbot_replies_dropped_total", "Replies given up on after the total wait cap (the user was told).", m.dropped.Load())
	counter("govbot_journal_errors_total", "Update journal writes that failed.", m.journalErrs.Load())

	ans, abs := m.answered.Load(), m.abstained.Load()
	ratio := math.NaN()
	if ans+abs > 0 {
		ratio = float64(ans) / float64(ans+abs)
	}
	fmt.Fprintf(w, "# HELP govbot_answered_ratio Share of questions answered (not abstained).\n# TYPE govbot_answered_ratio gauge\ngovbot_answered_ratio %s\n", promFloat(ratio))

	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintf(w, "# HELP govbot_telegram_errors_total Failed Bot API calls by method and HTTP status (0: network error or timeout).\n# TYPE govbot_telegram_errors_total counter\n")
	keys := make([]tgErrKey, 0, len(m.tgErrors))
	for k := range m.tgErrors {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].method != keys[j].method {
			return keys[i].method < keys[j].method
		}
		return keys[i].code < keys[j].code
	})
	for _, k := range keys {
		fmt.Fprintf(w, "govbot_telegram_errors_total{method=%q,code=\"%d\"} %d\n", k.method, k.code, m.tgErrors[k])
	}
	h := &m.latency
	fmt.Fprintf(w, "# HELP govbot_reply_seconds Time from receiving a question to the reply being sent.\n# TYPE govbot_reply_seconds histogram\n")
	var cum uint64
	for i, b := range h.bounds {
		if h.counts != nil {
			cum += h.counts[i]
		}
		fmt.Fprintf(w, "govbot_reply_seconds_bucket{le=\"%s\"} %d\n", promFloat(b), cum)
	}
	fmt.Fprintf(w, "govbot_reply_seconds_bucket{le=\"+Inf\"} %d\ngovbot_reply_seconds_sum %s\ngovbot_reply_seconds_count %d\n", h.n, promFloat(h.sum), h.n)
}

func promFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	}
	return fmt.Sprintf("%g", f)
}
