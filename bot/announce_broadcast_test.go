package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/store"
)

// flakyAPI is the fake Bot API (package bottest) behind a front that
// makes sendMessage fail the way Telegram does: a random share of calls get
// 429 with retry_after or 500, chats in blocked get 403, and every
// sendMessage that arrives is timed, whatever its outcome, since Telegram
// counts requests on arrival.
type flakyAPI struct {
	api *bottest.Server
	srv *httptest.Server

	mu       sync.Mutex
	rng      *rand.Rand
	p429     float64
	p500     float64
	blocked  map[int64]bool
	arrivals []arrival
	n429     int
	n500     int
	n403     int
	// hook, when set, may answer a sendMessage to chat itself and
	// return the status it answered (0: not handled).
	hook func(w http.ResponseWriter, chat int64) int
}

type arrival struct {
	at   time.Time
	chat int64
	code int
}

func newFlakyAPI(t *testing.T, seed uint64, p429, p500 float64, blocked ...int64) *flakyAPI {
	t.Helper()
	f := &flakyAPI{api: bottest.New(), rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b9)), p429: p429, p500: p500, blocked: map[int64]bool{}}
	for _, id := range blocked {
		f.blocked[id] = true
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() { f.srv.Close(); f.api.Close() })
	return f
}

// formValue reads one field of a multipart, JSON or form request without
// consuming the body for the next handler.
func formValue(r *http.Request, name string) string {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	ct, ps, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		form, err := multipart.NewReader(bytes.NewReader(body), ps["boundary"]).ReadForm(1 << 20)
		if err == nil && len(form.Value[name]) > 0 {
			return form.Value[name][0]
		}
	case "application/json":
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			return fmt.Sprint(m[name])
		}
	}
	return r.URL.Query().Get(name)
}

func (f *flakyAPI) serve(w http.ResponseWriter, r *http.Request) {
	if filepath.Base(r.URL.Path) != "sendMessage" {
		f.api.ServeHTTP(w, r)
		return
	}
	now := time.Now()
	chat, _ := strconv.ParseInt(formValue(r, "chat_id"), 10, 64)
	f.mu.Lock()
	code, retry := 200, 0
	x := f.rng.Float64()
	if f.hook != nil {
		if c := f.hook(w, chat); c != 0 {
			f.arrivals = append(f.arrivals, arrival{now, chat, c})
			f.mu.Unlock()
			return
		}
	}
	switch {
	case f.blocked[chat]:
		code = 403
		f.n403++
	case x < f.p429:
		code, retry = 429, 1
		f.n429++
	case x < f.p429+f.p500:
		code = 500
		f.n500++
	}
	f.arrivals = append(f.arrivals, arrival{now, chat, code})
	f.mu.Unlock()
	switch code {
	case 200:
		f.api.ServeHTTP(w, r) // records the call and answers a real-looking Message
	case 403:
		writeAPIError(w, 403, "Forbidden: bot was blocked by the user", 0)
	case 429:
		writeAPIError(w, 429, "Too Many Requests: retry after 1", retry)
	default:
		writeAPIError(w, 500, "Internal Server Error", 0)
	}
}

func writeAPIError(w http.ResponseWriter, code int, desc string, retryAfter int) {
	resp := map[string]any{"ok": false, "error_code": code, "description": desc}
	if retryAfter > 0 {
		resp["parameters"] = map[string]any{"retry_after": retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(resp)
}

// delivered counts successful sendMessage calls per chat.
func (f *flakyAPI) delivered() map[int64]int {
	out := map[int64]int{}
	for _, c := range f.api.Delivered("sendMessage") {
		out[c.Int("chat_id")]++
	}
	return out
}

// maxInWindow is the largest number of arrivals (of chat, or all when
// chat is 0) within any window of length per.
func (f *flakyAPI) maxInWindow(chat int64, per time.Duration) int {
	f.mu.Lock()
	var ts []time.Time
	for _, a := range f.arrivals {
		if chat == 0 || a.chat == chat {
			ts = append(ts, a.at)
		}
	}
	f.mu.Unlock()
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	best, lo := 0, 0
	for hi := range ts {
		for ts[hi].Sub(ts[lo]) >= per {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// newTestSender is a Sender with the real go-telegram/bot client against
// url; a zero cfg has Telegram's real limits.
func newTestSender(t *testing.T, url string, cfg SenderConfig) *Sender {
	t.Helper()
	b, err := tgbot.New(testToken, tgbot.WithSkipGetMe(), tgbot.WithServerURL(url), tgbot.WithHTTPClient(5*time.Second, &client{hc: &http.Client{Timeout: 10 * time.Second}}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return NewSender(b, cfg)
}

// sampleReport is the embedded Fang County report, as the index has it.
func sampleReport(t *testing.T) *corpus.Report {
	t.Helper()
	r, err := answer.DefaultReport()
	if err != nil {
		t.Fatal(err)
	}
	r.URL = "https://www.fangxian.gov.cn/zwgk/fzzf/t20240228_1.shtml"
	return r
}

// broadcastSetup subscribes chats and queues report r for all of them.
func broadcastSetup(t *testing.T, st store.Backend, r *corpus.Report, chats []int64) {
	t.Helper()
	for _, id := range chats {
		kind := store.KindPrivate
		switch {
		case id <= -2000000:
			kind = store.KindChannel
		case id < 0:
			kind = store.KindGroup
		}
		if _, err := st.Subscribe(store.Subscription{ChatID: id, Kind: kind}); err != nil {
			t.Fatal(err)
		}
	}
	if _, n, err := st.AnnounceReport(store.ReportRecord{ID: r.ID, TextHash: "h", Title: r.Title, Issuer: r.Issuer}); err != nil || n != len(chats) {
		t.Fatalf("queued %d of %d: %v", n, len(chats), err)
	}
}

// runAnnouncer runs an Announcer on st until stop returns true, then
// cancels it and waits for Run to return.
func runAnnouncer(t *testing.T, cfg AnnouncerConfig, stop func() bool) *Announcer {
	t.Helper()
	a, err := NewAnnouncer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	deadline := time.Now().Add(3 * time.Minute)
	for !stop() {
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("broadcast did not get there in 3 minutes")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	return a
}

// settled reports whether no outbox entry is pending or in flight.
func settled(t *testing.T, st store.Backend) bool {
	s, err := st.Stats(0)
	if err != nil {
		t.Fatal(err)
	}
	return s.Deliveries[store.Pending] == 0 && s.Deliveries[store.Sending] == 0
}

// TestBroadcastAcceptance announces one report to 500 subscribers (private
// chats, groups, channels; five of them blocked the bot) through the real
// client against the fake Bot API, which answers a random 3% of sends with
// 429 (retry_after 1) and 3% with 500. Halfway, the process is stopped:
// the context is cancelled, Run returns, the store is closed; then the same
// bbolt file is reopened with a new client, Sender and Announcer, as a new
// process would. Every subscriber must get exactly one announcement, the
// blocked ones none and be unsubscribed, and the rates measured at the fake
// server on arrival must stay within Telegram's: 30 in any second overall,
// 20 in any minute per group. It runs with Telegram's real limits, so it
// takes about 20 seconds.
func TestBroadcastAcceptance(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 500 messages at Telegram's real rate (~20s)")
	}
	var chats []int64
	for i := int64(1); i <= 470; i++ {
		chats = append(chats, 100000+i)
	}
	for i := int64(1); i <= 20; i++ {
		chats = append(chats, -1000000-i)
	}
	for i := int64(1); i <= 10; i++ {
		chats = append(chats, -2000000-i)
	}
	blocked := []int64{100007, 100123, 100250, 100401, -1000005}
	api := newFlakyAPI(t, 42, 0.03, 0.03, blocked...)
	r := sampleReport(t)
	path := filepath.Join(t.TempDir(), store.FileName)

	st, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	broadcastSetup(t, st, r, chats)
	start := time.Now()
	cfg := func(st *store.Store) AnnouncerConfig {
		return AnnouncerConfig{
			Store:  st,
			Sender: newTestSender(t, api.srv.URL, SenderConfig{}), // Telegram's real limits
			Report: func(id string) (*corpus.Report, error) {
				if id != r.ID {
					return nil, errors.New("no such report")
				}
				return r, nil
			},
			Logger: slog.New(slog.DiscardHandler),
		}
	}
	// First process: stop it halfway.
	runAnnouncer(t, cfg(st), func() bool { return len(api.delivered()) >= len(chats)/2 })
	atStop := len(api.delivered())
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if atStop >= len(chats)-len(blocked) {
		t.Fatalf("the first process delivered everything (%d) before it was stopped", atStop)
	}

	// Second process, same file.
	st, err = store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runAnnouncer(t, cfg(st), func() bool { return settled(t, st) })
	wall := time.Since(start)

	got := api.delivered()
	dup, lost := 0, 0
	isBlocked := map[int64]bool{}
	for _, id := range blocked {
		isBlocked[id] = true
	}
	for _, id := range chats {
		n := got[id]
		switch {
		case isBlocked[id] && n != 0:
			t.Errorf("blocked chat %d got %d messages", id, n)
		case isBlocked[id]:
		case n == 0:
			lost++
		case n > 1:
			dup += n - 1
		}
	}
	if dup != 0 || lost != 0 {
		t.Errorf("%d duplicates, %d subscribers without the announcement", dup, lost)
	}
	for _, id := range blocked {
		if _, err := st.Subscription(id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("chat %d blocked the bot but is still subscribed (%v)", id, err)
		}
	}
	if err := st.Check(); err != nil {
		t.Errorf("store inconsistent: %v", err)
	}
	perSec := api.maxInWindow(0, time.Second)
	perGroup := 0
	for _, id := range chats {
		if id < 0 {
			perGroup = max(perGroup, api.maxInWindow(id, time.Minute))
		}
	}
	if perSec > 30 {
		t.Errorf("%d sendMessage calls arrived within one second, limit 30", perSec)
	}
	if perGroup > 20 {
		t.Errorf("%d sendMessage calls to one group within a minute, limit 20", perGroup)
	}
	ds, _ := st.Deliveries(r.ID)
	states := map[store.State]int{}
	for _, d := range ds {
		states[d.State]++
	}
	if states[store.Sent] != len(chats)-len(blocked) {
		t.Errorf("outbox states %v, want %d sent", states, len(chats)-len(blocked))
	}
	t.Logf("subscribers %d (blocked %d), delivered at stop %d, duplicates %d, lost %d; max sends in any 1s window %d (limit 30), per group per minute %d (limit 20); injected 429s %d, 500s %d, 403s %d; attempts %d; wall %s; outbox %v",
		len(chats), len(blocked), atStop, dup, lost, perSec, perGroup, api.n429, api.n500, api.n403, len(api.arrivals), wall.Round(time.Millisecond), states)
}

// Environment of the broadcaster child process of TestBroadcastHardKill.
const (
	childStoreEnv = "GOVBOT_ANNOUNCE_CHILD_STORE"
	childAPIEnv   = "GOVBOT_ANNOUNCE_CHILD_API"
)

// TestBroadcastChild is the broadcaster process TestBroadcastHardKill
// kills; run alone it does nothing.
func TestBroadcastChild(t *testing.T) {
	path, url := os.Getenv(childStoreEnv), os.Getenv(childAPIEnv)
	if path == "" {
		t.Skip("child process of TestBroadcastHardKill")
	}
	st, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := sampleReport(t)
	a, err := NewAnnouncer(AnnouncerConfig{Store: st, Sender: newTestSender(t, url, SenderConfig{}),
		Report: func(string) (*corpus.Report, error) { return r, nil }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	_ = a.Run(context.Background()) // until killed
}

// TestBroadcastHardKill is the crash the outbox cannot make exactly-once:
// the broadcaster runs in a child process that is killed with SIGKILL in
// the middle of a broadcast (calls in flight, commits pending), and a new
// broadcaster finishes from the same file. Nobody may be left out; a chat
// whose message Telegram accepted just before the kill, with the "sent"
// commit lost, may get it twice, and there can be no more of those than
// sends in flight at the kill (the 4 workers). The measured count is logged.
func TestBroadcastHardKill(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process; sends 200 messages at Telegram's real rate")
	}
	var chats []int64
	for i := int64(1); i <= 200; i++ {
		chats = append(chats, 300000+i)
	}
	api := newFlakyAPI(t, 9, 0.02, 0.02)
	r := sampleReport(t)
	path := filepath.Join(t.TempDir(), store.FileName)
	st, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	broadcastSetup(t, st, r, chats)
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestBroadcastChild$")
	cmd.Env = append(os.Environ(), childStoreEnv+"="+path, childAPIEnv+"="+api.srv.URL)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for len(api.delivered()) < len(chats)/2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	atKill := len(api.delivered())

	st, err = store.Open(path, nil)
	if err != nil {
		t.Fatalf("open after kill: %v", err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatalf("inconsistent after kill: %v", err)
	}
	inflight, _ := st.Stats(0)
	cfg := AnnouncerConfig{Store: st, Sender: newTestSender(t, api.srv.URL, SenderConfig{}),
		Report: func(string) (*corpus.Report, error) { return r, nil }, Logger: slog.New(slog.DiscardHandler)}
	runAnnouncer(t, cfg, func() bool { return settled(t, st) })

	got := api.delivered()
	dup, lost := 0, 0
	for _, id := range chats {
		switch n := got[id]; {
		case n == 0:
			lost++
		case n > 1:
			dup += n - 1
		}
	}
	if lost != 0 {
		t.Errorf("%d subscribers never got the announcement", lost)
	}
	if max := inflight.Deliveries[store.Sending]; dup > max {
		t.Errorf("%d duplicates, but only %d entries were in flight at the kill", dup, max)
	}
	if perSec := api.maxInWindow(0, time.Second); perSec > 30 {
		t.Errorf("%d sends arrived within one second, limit 30", perSec)
	}
	t.Logf("SIGKILL after %d of %d delivered; %d entries in flight at the kill; after restart: %d duplicates, %d lost; max %d sends in any 1s window",
		atKill, len(chats), inflight.Deliveries[store.Sending], dup, lost, api.maxInWindow(0, time.Second))
}
