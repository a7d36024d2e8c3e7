package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/corpus/sample"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/sharedtest"
	"github.com/govbot/govbot/internal/syncbuf"
	"github.com/govbot/govbot/store"
)

// testToken looks like a real token; its secret half must never show up
// in logs or errors.
const (
	testToken  = "1234567890:AAH-secretTOKENpart_zYx987"
	testSecret = "AAH-secretTOKENpart_zYx987"
)

// engine is the real answer engine over the embedded corpus (the Fang
// County report), indexed in memory once per test binary.
var engine = sync.OnceValues(func() (*answer.Engine, error) { return answer.OpenDefault() })

// tempStore opens a bbolt store in a temporary directory, closed when the
// test ends.
func tempStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// httpStatus sends req and returns the response's status code, its body
// read and closed.
func httpStatus(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// realEngine returns the shared engine.
func realEngine(t *testing.T) *answer.Engine {
	t.Helper()
	e, err := engine()
	if err != nil {
		t.Fatalf("answer.OpenDefault: %v", err)
	}
	return e
}

// testLinkURL is the source link the linked engine gives the embedded report,
// which has none of its own; its & must come out escaped.
const testLinkURL = "https://example.org/fangxian/2024-fzzf.html?a=1&b=2"

// linked is the real engine over the embedded report with a source link,
// for the 原文 button.
var linked = sync.OnceValues(func() (*answer.Engine, error) {
	r, err := corpus.Parse(sample.FileName, sample.Fangxian, corpus.Meta{URL: testLinkURL})
	if err != nil {
		return nil, err
	}
	ix, err := index.OpenMemory([]*corpus.Report{r})
	if err != nil {
		return nil, err
	}
	return answer.New(ix), nil
})

func linkedEngine(t *testing.T) *answer.Engine {
	t.Helper()
	e, err := linked()
	if err != nil {
		t.Fatalf("linked engine: %v", err)
	}
	return e
}

// catalogReports are the shared reports the catalog engine adds to the
// embedded one: two issuers, three years, so /reports has something to
// filter and sort.
var catalogReports = []string{"2025-hubei-gwr.txt", "2026-hubei-gwr.txt", "2025-state-council-gwr.txt"}

var (
	catalogOnce sync.Once
	catalog     *answer.Engine
	catalogErr  error
)

// catalogEngine is the real engine over the embedded report and
// catalogReports from ../shared, with their manifest metadata.
func catalogEngine(t *testing.T) *answer.Engine {
	t.Helper()
	dir := sharedtest.Reports(t)
	catalogOnce.Do(func() {
		catalogErr = func() error {
			meta, err := corpus.LoadManifest(filepath.Join(dir, "MANIFEST.tsv"))
			if err != nil {
				return err
			}
			def, err := answer.DefaultReport()
			if err != nil {
				return err
			}
			reps := []*corpus.Report{def}
			for _, name := range catalogReports {
				data, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					return err
				}
				r, err := corpus.Parse(name, data, meta[name])
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				reps = append(reps, r)
			}
			ix, err := index.OpenMemory(reps)
			if err != nil {
				return err
			}
			catalog = answer.New(ix)
			return nil
		}()
	})
	if catalogErr != nil {
		t.Fatalf("catalog engine: %v", catalogErr)
	}
	return catalog
}

// faultyAsker is the real engine with a fault injected: fn sees each
// question first and may fail, panic or stall; when it returns (nil, nil)
// the real engine answers.
type faultyAsker struct {
	real *answer.Engine
	fn   func(ctx context.Context, q string) (*answer.Answer, error)
}

func (f *faultyAsker) Ask(ctx context.Context, q string) (*answer.Answer, error) {
	if a, err := f.fn(ctx, q); a != nil || err != nil {
		return a, err
	}
	return f.real.Ask(ctx, q)
}

func (f *faultyAsker) Reports() []answer.ReportSummary { return f.real.Reports() }

// harness runs a Server against a fake Bot API until the test ends.
type harness struct {
	t    *testing.T
	api  *bottest.Server
	srv  *Server
	logs *syncbuf.Buffer
	stop context.CancelFunc
	done chan error
	once sync.Once
}

// testConfig is a Config with short timeouts and fast retries so tests run
// in seconds.
func testConfig() Config {
	return Config{
		PollTimeout:   2 * time.Second,
		ShutdownGrace: 5 * time.Second,
		Sender: SenderConfig{
			PerChat:  Rate{1, 20 * time.Millisecond},
			PerGroup: Rate{20, time.Second},
			Global:   Rate{30, 100 * time.Millisecond},
			// A generous attempt timeout: an attempt that times out after
			// the server carried it out is retried and delivered twice, as
			// with Telegram, and a loaded machine (-race, other builds) can
			// stall a request for seconds.
			Retry: RetryPolicy{BaseBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, AttemptTimeout: 15 * time.Second},
		},
	}
}

// start runs a Server for cfg against a new fake Bot API; setup, if any,
// runs on the Server before Run (e.g. UseJournal).
func start(t *testing.T, cfg Config, ask Asker, setup ...func(*Server)) *harness {
	t.Helper()
	return startWith(t, cfg, ask, setup...)
}

// startWith is start with setup run on the Server before Run (to enable
// feedback, register commands).
func startWith(t *testing.T, cfg Config, ask Asker, setup ...func(*Server)) *harness {
	t.Helper()
	api := bottest.New()
	api.SetMaxPoll(time.Second)
	logs := &syncbuf.Buffer{}
	cfg.Token = testToken
	cfg.APIURL = api.URL
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(cfg, ask)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for _, f := range setup {
		f(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, api: api, srv: s, logs: logs, stop: cancel, done: make(chan error, 1)}
	go func() { h.done <- s.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for !s.ready.Load() {
		if time.Now().After(deadline) {
			t.Fatalf("bot did not start; logs:\n%s", logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Cleanup(func() {
		h.shutdown()
		api.Close()
		assertFormatted(t, api)
		assertNoToken(t, "logs", logs.String())
		if t.Failed() {
			t.Logf("bot logs:\n%s", logs)
		}
	})
	return h
}

// shutdown stops the bot and waits for Run to return.
func (h *harness) shutdown() error {
	var err error
	h.once.Do(func() {
		h.stop()
		select {
		case err = <-h.done:
		case <-time.After(15 * time.Second):
			h.t.Error("Run did not return after cancel")
		}
	})
	return err
}

// assertFormatted fails t when the fake refused a request for breaking
// Telegram's HTML subset or limits (bottest.CheckHTML).
func assertFormatted(t *testing.T, api *bottest.Server) {
	t.Helper()
	for _, v := range api.Violations() {
		t.Errorf("Telegram would refuse: %s", v)
	}
}

func assertNoToken(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, testSecret) {
		t.Errorf("%s contain the bot token:\n%s", what, s)
	}
}

// waitCtx is a context for waiting on the fake API.
func waitCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// replyTo waits for the delivered sendMessage replying to message id.
func (h *harness) replyTo(id int) bottest.Call {
	h.t.Helper()
	var got bottest.Call
	err := h.api.WaitFor(waitCtx(h.t, 10*time.Second), func(calls []bottest.Call) bool {
		for _, c := range calls {
			if c.Method == "sendMessage" && c.OK() && c.ReplyTo() == id {
				got = c
				return true
			}
		}
		return false
	})
	if err != nil {
		h.t.Fatalf("no reply to message %d: %v; calls: %s", id, err, summarize(h.api.Calls("")))
	}
	return got
}

func summarize(calls []bottest.Call) string {
	var sb strings.Builder
	for _, c := range calls {
		fmt.Fprintf(&sb, "\n  %s %s %d chat=%s reply_to=%d text=%.60q", c.Time.Format("15:04:05.000"), c.Method, c.Status, c.Params["chat_id"], c.ReplyTo(), c.Params["text"])
	}
	return sb.String()
}

func testBotClient(t *testing.T) *tgbot.Bot {
	t.Helper()
	b, err := tgbot.New(testToken, tgbot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	return b
}
