package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/corpus/sample"
	"github.com/govbot/govbot/internal/sharedtest"
	"github.com/govbot/govbot/internal/syncbuf"
)

const serveToken = "4242:serve-TEST-secret-part"

// waitReply waits until api has seen a reply sent to message id and
// returns its text.
func waitReply(ctx context.Context, api *bottest.Server, id int) (string, error) {
	var reply string
	err := api.WaitFor(ctx, func(calls []bottest.Call) bool {
		for _, c := range calls {
			if c.Method == "sendMessage" && c.OK() && c.ReplyTo() == id {
				reply = c.Params["text"]
				return true
			}
		}
		return false
	})
	return reply, err
}

// TestServe runs "govbot serve" as the container does: settings from the
// environment, an empty data directory, reports to index on first start,
// against the fake Bot API. It answers, stops on cancel and never logs the
// token.
func TestServe(t *testing.T) {
	shared := sharedtest.Reports(t)
	reports := t.TempDir()
	if err := os.WriteFile(filepath.Join(reports, sample.FileName), sample.Fangxian, 0o644); err != nil {
		t.Fatal(err)
	}
	hubei, err := os.ReadFile(filepath.Join(shared, "2025-hubei-gwr.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(reports, "2025-hubei-gwr.txt"), hubei, 0o644); err != nil {
		t.Fatal(err)
	}
	// Each case starts serve twice on one data directory; the second start
	// finds it as the first left it.
	type start struct {
		reports   string // GOVBOT_REPORTS
		want, not string // in the logs, not in the logs
	}
	tests := []struct {
		name   string
		starts [2]start
	}{
		{"index built on first start", [2]start{
			{reports, "no index yet: building it", "embedded sample"},
			{reports, "reports=2", "no index yet"},
		}},
		{"no reports: embedded sample", [2]start{
			{"", "serving the embedded sample report only", "building"},
			{"", "serving the embedded sample report only", "building"},
		}},
		{"reports added after a start without", [2]start{
			{"", "serving the embedded sample report only", "building"},
			{reports, "no index yet: building it", "embedded sample"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := t.TempDir()
			// Both starts talk to the same Telegram: update IDs go on
			// increasing, and the bot recognises none as seen before.
			api := bottest.New()
			defer api.Close()
			for i, st := range tt.starts {
				envs := map[string]string{
					"TELEGRAM_BOT_TOKEN": serveToken,
					"TELEGRAM_API_URL":   api.URL,
					"GOVBOT_DATA":        data,
					"GOVBOT_LISTEN":      "127.0.0.1:0",
					"GOVBOT_REPORTS":     st.reports,
				}
				stderr := &syncbuf.Buffer{}
				e := &env{stdin: strings.NewReader(""), stdout: stderr, stderr: stderr, getenv: func(k string) string { return envs[k] }}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan int, 1)
				go func() { done <- run(ctx, e, []string{"serve"}) }()

				u := bottest.User(5)
				_, id := api.SendText(bottest.PrivateChat(u), u, "房县去年一共办了多少件行政复议案件?")
				wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
				reply, err := waitReply(wctx, api, id)
				wcancel()
				cancel()
				var code int
				select {
				case code = <-done:
				case <-time.After(30 * time.Second):
					t.Fatal("serve did not stop after cancel")
				}
				logs := stderr.String()
				if err != nil || !strings.HasPrefix(reply, "<b>45件</b>") {
					t.Fatalf("start %d: no cited reply (%v): %q\nlogs:\n%s", i+1, err, reply, logs)
				}
				if code != 0 {
					t.Errorf("start %d: exit status %d\n%s", i+1, code, logs)
				}
				if strings.Contains(logs, "TEST-secret") {
					t.Errorf("start %d: the token is in the logs:\n%s", i+1, logs)
				}
				if !strings.Contains(logs, st.want) || strings.Contains(logs, st.not) {
					t.Errorf("start %d: want %q and not %q in the logs:\n%s", i+1, st.want, st.not, logs)
				}
			}
		})
	}
}

func TestServeNeedsToken(t *testing.T) {
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, getenv: func(string) string { return "" }}
	if code := run(context.Background(), e, []string{"serve"}); code != 2 || !strings.Contains(out.String(), "TELEGRAM_BOT_TOKEN") {
		t.Errorf("serve without a token: exit %d, %q; want 2 and a hint at TELEGRAM_BOT_TOKEN", code, out.String())
	}
}
