package bot

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/store"
)

// The fault suite: many users asking while the fake Bot API answers with
// 429s, 5xx, dropped connections and slow answers. Every question must get
// exactly one reply. The kill -9 tests against the real binary are in
// cmd/govbot (crash_test.go).

// faultQuestions are varied questions on the embedded report.
var faultQuestions = []string{fangxianQ, "房县去年开展了多少次普法活动?", "房县法治政府建设有哪些举措?"}

// faultMix is the share of each injected fault among sendMessage calls;
// the rest are answered normally.
var faultMix = []struct {
	name  string
	share float64
	fault bottest.Fault
}{
	{"429", 0.15, bottest.Fault{Code: 429, RetryAfter: 1}},
	{"500", 0.10, bottest.Fault{Code: 500}},
	{"502", 0.10, bottest.Fault{Code: 502, Delay: 50 * time.Millisecond}},
	{"dropped", 0.05, bottest.Fault{Drop: true}},
	{"slow", 0.05, bottest.Fault{Delay: 300 * time.Millisecond}},
}

// injectMix queues n outcomes for method, drawn from faultMix with a fixed
// seed (a pass-through Fault answers normally), and returns how many of
// each fault kind were queued.
func injectMix(api *bottest.Server, method string, n int, seed uint64) map[string]int {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	counts := map[string]int{}
	for range n {
		x := rng.Float64()
		f := bottest.Fault{Method: method} // passes: answered normally
		for _, m := range faultMix {
			if x < m.share {
				f = m.fault
				f.Method = method
				counts[m.name]++
				break
			}
			x -= m.share
		}
		api.Inject(f)
	}
	return counts
}

// asked is a question pushed to the fake API.
type asked struct {
	user int64
	msg  int
}

// repliesPerQuestion waits until every question has a delivered reply (or
// the time is up), lets stragglers arrive, and counts the replies each got.
func repliesPerQuestion(t *testing.T, h *harness, qs []asked, d time.Duration) map[int]int {
	t.Helper()
	want := map[int]bool{}
	for _, q := range qs {
		want[q.msg] = true
	}
	count := func(calls []bottest.Call) map[int]int {
		got := map[int]int{}
		for _, c := range calls {
			if c.Method == "sendMessage" && c.OK() && want[c.ReplyTo()] {
				got[c.ReplyTo()]++
			}
		}
		return got
	}
	_ = h.api.WaitFor(waitCtx(t, d), func(calls []bottest.Call) bool { return len(count(calls)) == len(want) })
	time.Sleep(500 * time.Millisecond) // a duplicate would show by now
	return count(h.api.Calls(""))
}

// lostAndDup counts the questions without a reply and the extra replies.
func lostAndDup(qs []asked, got map[int]int) (lost, dup int) {
	for _, q := range qs {
		switch n := got[q.msg]; {
		case n == 0:
			lost++
		case n > 1:
			dup += n - 1
		}
	}
	return lost, dup
}

// waitJournalEmpty waits until every journalled update is finished.
func waitJournalEmpty(t *testing.T, st UpdateJournal) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		p, err := st.PendingUpdates()
		if err != nil {
			t.Fatal(err)
		}
		if len(p) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%d updates still pending in the journal after their replies", len(p))
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFaultSuite: 50 users ask 3 questions each at once while a third of
// the sendMessage calls fail (429 with retry_after, 500, 502, dropped
// connections) or are slow. Every question gets exactly one reply.
func TestFaultSuite(t *testing.T) {
	cfg := testConfig()
	cfg.Sender.Retry.MaxAttempts = 12 // 5xx streaks are chance; 429s do not count
	cfg.Sender.Retry.AttemptTimeout = 2 * time.Second
	st := tempStore(t)
	h := start(t, cfg, realEngine(t), func(s *Server) { s.UseJournal(st) })
	const users, each = 50, 3
	injected := injectMix(h.api, "sendMessage", 250, 13)
	began := time.Now()
	var qs []asked
	for i := range each {
		for u := range users {
			user := bottest.User(int64(2000 + u))
			_, id := h.api.SendText(bottest.PrivateChat(user), user, faultQuestions[i])
			qs = append(qs, asked{user.ID, id})
		}
	}
	got := repliesPerQuestion(t, h, qs, 90*time.Second)
	took := time.Since(began)
	lost, dup := lostAndDup(qs, got)
	if lost != 0 || dup != 0 {
		t.Errorf("%d of %d questions lost, %d duplicate replies", lost, len(qs), dup)
	}
	if n := h.srv.metrics.dropped.Load(); n != 0 {
		t.Errorf("%d replies dropped", n)
	}
	waitJournalEmpty(t, st)
	failed := map[int]int{}
	for _, c := range h.api.Calls("sendMessage") {
		if !c.OK() {
			failed[c.Status]++ // 0: dropped connection
		}
	}
	t.Logf("fault suite: %d users × %d questions, faults queued %v, failed sendMessage calls by status %v, %d replies in %v, lost %d, duplicated %d",
		users, each, injected, failed, len(qs)-lost, took.Round(time.Millisecond), lost, dup)
}

// TestStorm429: 40 users ask while Telegram answers the next 200
// sendMessage calls with 429 retry_after 1: five 429s per reply on
// average, so a sender that counts 429s as failed attempts (5) loses
// them. A 429 is a wait, not a failure: every question is answered, once.
// It runs with the journal in each state store.
func TestStorm429(t *testing.T) {
	for _, b := range stateBackends {
		t.Run(b.name, func(t *testing.T) { testStorm429(t, b.open(t)) })
	}
}

func testStorm429(t *testing.T, st store.Backend) {
	cfg := testConfig()
	h := start(t, cfg, realEngine(t), func(s *Server) { s.UseJournal(st) })
	h.api.Inject(bottest.Fault{Method: "sendMessage", Code: 429, RetryAfter: 1, Times: 200})
	began := time.Now()
	var qs []asked
	for u := range 40 {
		user := bottest.User(int64(3000 + u))
		_, id := h.api.SendText(bottest.PrivateChat(user), user, faultQuestions[u%len(faultQuestions)])
		qs = append(qs, asked{user.ID, id})
	}
	got := repliesPerQuestion(t, h, qs, 90*time.Second)
	lost, dup := lostAndDup(qs, got)
	n429 := 0
	for _, c := range h.api.Calls("sendMessage") {
		if c.Status == 429 {
			n429++
		}
	}
	if lost != 0 || dup != 0 || n429 != 200 {
		t.Errorf("429 storm: %d of %d lost, %d duplicated, %d 429s answered (want 200)", lost, len(qs), dup, n429)
	}
	waitJournalEmpty(t, st)
	t.Logf("429 storm: 200 × 429, %d questions, lost %d, duplicated %d, in %v", len(qs), lost, dup, time.Since(began).Round(time.Millisecond))
}

// TestDroppedReplyIsNoticed: a reply whose 429s outlast the wait cap is
// dropped, and the user is told so instead of hearing nothing.
func TestDroppedReplyIsNoticed(t *testing.T) {
	cfg := testConfig()
	cfg.Sender.Retry.MaxWait = 1500 * time.Millisecond
	h := start(t, cfg, realEngine(t))
	// retry_after 1 twice: the second wait would pass the 1.5s cap.
	h.api.Inject(bottest.Fault{Method: "sendMessage", Code: 429, RetryAfter: 1, Times: 2})
	u := bottest.User(4001)
	h.api.SendText(bottest.PrivateChat(u), u, fangxianQ)
	calls, err := h.api.WaitDelivered(waitCtx(t, 10*time.Second), "sendMessage", 1)
	if err != nil {
		t.Fatalf("nothing delivered: %v", err)
	}
	if len(calls) != 1 || calls[0].Params["text"] != noticeDropped {
		t.Errorf("delivered %s; want the notice alone", summarize(calls))
	}
	if n := h.srv.metrics.dropped.Load(); n != 1 {
		t.Errorf("dropped metric = %d, want 1", n)
	}
}

// TestGroupFairShare: in a group (limit scaled to 5 per 500 ms), member A
// floods 15 questions at once and member B then asks 9, one every 100 ms.
// B's questions take turns with A's instead of queueing behind them: all
// 9 are answered; every question of A is answered or A is named in a
// notice; nothing is dropped silently.
func TestGroupFairShare(t *testing.T) {
	cfg := testConfig()
	cfg.UserBurst = -1 // the group's budget is what is tested
	cfg.Sender.PerGroup = Rate{5, 500 * time.Millisecond}
	cfg.Sender.MaxQueue = 10
	h := start(t, cfg, realEngine(t))
	g := bottest.GroupChat(-5005, "政务群")
	a, b := bottest.User(5001), bottest.User(5002)
	var qa, qb []asked
	for range 15 {
		_, id := h.api.SendText(g, a, "/ask "+fangxianQ)
		qa = append(qa, asked{a.ID, id})
	}
	time.Sleep(100 * time.Millisecond)
	for range 9 {
		_, id := h.api.SendText(g, b, "/ask "+fangxianQ)
		qb = append(qb, asked{b.ID, id})
		time.Sleep(100 * time.Millisecond)
	}
	repliesPerQuestion(t, h, qb, 20*time.Second)
	// Then until the group's queue has drained (no send for a second).
	for n := -1; n != len(h.api.Calls("sendMessage")); {
		n = len(h.api.Calls("sendMessage"))
		time.Sleep(time.Second)
	}
	got := map[int]int{}
	for _, c := range h.api.Delivered("sendMessage") {
		got[c.ReplyTo()]++
	}
	lostB, dupB := lostAndDup(qb, got)
	if lostB != 0 || dupB != 0 {
		t.Errorf("member B: %d of 9 lost, %d duplicated", lostB, dupB)
	}
	lostA, dupA := lostAndDup(qa, got)
	noticedA := false
	for _, c := range h.api.Delivered("sendMessage") {
		if strings.Contains(c.Params["text"], noticeDropped) && strings.Contains(c.Params["text"], "@"+a.Username) {
			noticedA = true
		}
		if strings.Contains(c.Params["text"], noticeDropped) && strings.Contains(c.Params["text"], "@"+b.Username) {
			t.Errorf("B was told a reply was dropped: %q", c.Params["text"])
		}
	}
	if dupA != 0 || (lostA > 0 && !noticedA) {
		t.Errorf("member A: %d of 15 without a reply (named in a notice: %v), %d duplicated", lostA, noticedA, dupA)
	}
	all := h.api.Calls("sendMessage")
	if n := maxInWindow(all, cfg.Sender.PerGroup.Per); n > cfg.Sender.PerGroup.N {
		t.Errorf("%d group sends within %v; limit %d", n, cfg.Sender.PerGroup.Per, cfg.Sender.PerGroup.N)
	}
	t.Logf("group: A 15 at once: %d answered, %d dropped with a notice; B 9 spaced: %d answered; busy %d", 15-lostA, lostA, 9-lostB, h.srv.metrics.chatBusy.Load())
}

// TestCommandsCountAgainstUserLimit: commands cost a worker and a reply
// like questions do: a user sending eight /reports at once gets the burst
// answered and one notice.
func TestCommandsCountAgainstUserLimit(t *testing.T) {
	cfg := testConfig()
	cfg.UserBurst, cfg.UserEvery = 3, 10*time.Second
	h := start(t, cfg, realEngine(t))
	u := bottest.User(6001)
	for range 8 {
		h.api.SendText(bottest.PrivateChat(u), u, "/reports")
	}
	_, _ = h.api.WaitDelivered(waitCtx(t, 10*time.Second), "sendMessage", 4)
	time.Sleep(500 * time.Millisecond)
	reports, notices := 0, 0
	for _, c := range h.api.Delivered("sendMessage") {
		switch {
		case strings.Contains(c.Params["text"], "稍等"):
			notices++
		default:
			reports++
		}
	}
	if reports != 3 || notices != 1 {
		t.Errorf("8 × /reports: %d answered, %d notices; want 3 and 1", reports, notices)
	}
}

// TestWebhookListenerHardening: in webhook mode the public listener does
// not serve /metrics (a separate listener or a token does), and posts
// with a wrong secret are logged once a minute, not once each.
func TestWebhookListenerHardening(t *testing.T) {
	get := func(url, auth string) int {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		return httpStatus(t, req)
	}
	cfg := testConfig()
	cfg.WebhookURL = "https://bot.example.org/tg/hook"
	cfg.WebhookSecret = "s3cret-hook"
	cfg.Listen = "127.0.0.1:0"
	cfg.MetricsListen = "127.0.0.1:0"
	h := start(t, cfg, realEngine(t))
	if code := get("http://"+h.srv.Addr()+"/metrics", ""); code != http.StatusNotFound {
		t.Errorf("/metrics on the webhook listener: %d, want 404", code)
	}
	if code := get("http://"+h.srv.MetricsAddr()+"/metrics", ""); code != http.StatusOK {
		t.Errorf("/metrics on the metrics listener: %d, want 200", code)
	}
	for range 50 {
		req, _ := http.NewRequest(http.MethodPost, "http://"+h.srv.Addr()+"/tg/hook", strings.NewReader(`{"update_id":1}`))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "guess")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong secret: %d", resp.StatusCode)
		}
	}
	if n := strings.Count(h.logs.String(), "wrong secret"); n != 1 {
		t.Errorf("50 wrong-secret posts logged %d times, want 1", n)
	}

	cfg.MetricsListen, cfg.MetricsToken = "", "m-token"
	h2 := start(t, cfg, realEngine(t))
	base := "http://" + h2.srv.Addr() + "/metrics"
	if a, b := get(base, ""), get(base, "Bearer m-token"); a != http.StatusUnauthorized || b != http.StatusOK {
		t.Errorf("/metrics with a token: %d without it, %d with it; want 401, 200", a, b)
	}
}
