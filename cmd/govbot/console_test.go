package main

import (
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/internal/syncbuf"
)

// TestFakeAPIWithServe is the README's "try it without a token": the fake
// Bot API's console (`govbot-dev fakeapi`) in one place, govbot serve
// against it in another, a person typing at the fake's prompt and reading
// the bot's replies there.
func TestFakeAPIWithServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdin, typing := io.Pipe()
	defer typing.Close()
	screen := &syncbuf.Buffer{}
	fakeDone := make(chan int, 1)
	api, err := bottest.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	go func() {
		if err := api.Console(ctx, stdin, screen); err != nil {
			t.Error(err)
			fakeDone <- 1
			return
		}
		fakeDone <- 0
	}()
	waitScreen := func(re *regexp.Regexp) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if m := re.FindStringSubmatch(screen.String()); m != nil {
				return m[len(m)-1]
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("the fake's screen never showed %v:\n%s", re, screen.String())
		return ""
	}
	url := waitScreen(regexp.MustCompile(`Fake Telegram Bot API on (http://127\.0\.0\.1:\d+)`))

	logs := &syncbuf.Buffer{}
	serveDone := make(chan int, 1)
	go func() {
		envs := map[string]string{"GOVBOT_DATA": t.TempDir()}
		e := &env{stdin: strings.NewReader(""), stdout: logs, stderr: logs, getenv: func(k string) string { return envs[k] }}
		serveDone <- run(ctx, e, []string{"serve", "--api-url", url, "--token", "123:TEST", "--listen", "-"})
	}()
	waitScreen(regexp.MustCompile(`bot called deleteWebhook`))

	io.WriteString(typing, "房县去年一共办了多少件行政复议案件?\n")
	waitScreen(regexp.MustCompile(`── bot → chat 1001 ──\n45件`))
	io.WriteString(typing, "!press 1\n")
	waitScreen(regexp.MustCompile(`── bot ✎ chat 1001 ──`))
	io.WriteString(typing, "!group 房县去年开展了多少次普法活动?\n!group /ask 房县去年开展了多少次普法活动?\n")
	waitScreen(regexp.MustCompile(`── bot → chat -100123 ──\n230余场次`))
	io.WriteString(typing, "!inline 房县行政复议\n")
	waitScreen(regexp.MustCompile(`── inline results \(\d+, next_offset`))

	cancel()
	for name, ch := range map[string]chan int{"serve": serveDone, "fakeapi": fakeDone} {
		select {
		case code := <-ch:
			if code != 0 {
				t.Errorf("%s exited %d", name, code)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s did not stop", name)
		}
	}
	if n := strings.Count(screen.String(), "── bot → chat -100123 ──"); n != 1 {
		t.Errorf("%d group replies, want 1 (the plain group message is not for the bot):\n%s", n, screen.String())
	}
}
