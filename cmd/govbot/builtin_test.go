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
	"github.com/govbot/govbot/internal/syncbuf"
)

// TestBuiltinCollection runs ask as on a fresh machine: no ../shared, no
// data directory named. The first run indexes the embedded collection into
// the default data directory and answers a national question from it; the
// second answers at once. A data directory named on purpose keeps the
// sample, and --corpus builtin fills it too.
func TestBuiltinCollection(t *testing.T) {
	xdg := t.TempDir()
	run1 := func(vars map[string]string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
		code := run(context.Background(), e, args)
		return code, out.String(), errb.String()
	}
	fresh := map[string]string{"XDG_DATA_HOME": xdg}
	q := "2024年全国城镇新增就业多少人?"
	code, out, errOut := run1(fresh, "ask", q)
	if code != 0 || !strings.Contains(out, "1256万人") || !strings.Contains(out, "国务院") {
		t.Fatalf("first ask: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "indexing the built-in collection") || !strings.Contains(errOut, "built-in collection indexed") {
		t.Errorf("first ask: no progress on stderr: %q", errOut)
	}
	code, out2, errOut := run1(fresh, "ask", q)
	if code != 0 || out2 != out || errOut != "" {
		t.Errorf("second ask: exit %d, same answer %v, stderr %q", code, out2 == out, errOut)
	}
	code, out, errOut = run1(fresh, "reports", "--issuer", "全国")
	if code != 0 || !strings.Contains(out, "2025年中华人民共和国国务院政府工作报告") {
		t.Errorf("reports: exit %d\n%s\n%s", code, out, errOut)
	}

	// A data directory named on purpose and empty: the sample, as before.
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	named := map[string]string{"GOVBOT_DATA": empty}
	code, out, errOut = run1(named, "ask", q)
	if code != 0 || strings.Contains(out, "1256万人") || errOut != "" {
		t.Errorf("named empty data directory: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut = run1(named, "ask", "--corpus", "nonsense", q); code != 2 || !strings.Contains(errOut, "builtin or sample") {
		t.Errorf("bad --corpus: exit %d %q", code, errOut)
	}
}

// TestServeBuiltin starts "govbot serve" as the container does
// (GOVBOT_CORPUS=builtin, an empty data volume, no reports mounted): it
// indexes the built-in collection and answers a national question from it.
func TestServeBuiltin(t *testing.T) {
	api := bottest.New()
	defer api.Close()
	envs := map[string]string{
		"TELEGRAM_BOT_TOKEN": serveToken,
		"TELEGRAM_API_URL":   api.URL,
		"GOVBOT_DATA":        t.TempDir(),
		"GOVBOT_LISTEN":      "127.0.0.1:0",
		"GOVBOT_CORPUS":      "builtin",
	}
	logs := &syncbuf.Buffer{}
	e := &env{stdin: strings.NewReader(""), stdout: logs, stderr: logs, getenv: func(k string) string { return envs[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- run(ctx, e, []string{"serve"}) }()

	u := bottest.User(7)
	_, id := api.SendText(bottest.PrivateChat(u), u, "2024年全国城镇新增就业多少人?")
	// The first start indexes 117 reports before it answers.
	wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer wcancel()
	reply, err := waitReply(wctx, api, id)
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
	if err != nil || !strings.Contains(reply, "1256万人") {
		t.Fatalf("no answer from the built-in collection (%v): %q\nlogs:\n%s", err, reply, logs.String())
	}
	if !strings.Contains(logs.String(), "indexing the built-in collection") || strings.Contains(logs.String(), "embedded sample") {
		t.Errorf("logs:\n%s", logs.String())
	}
}
