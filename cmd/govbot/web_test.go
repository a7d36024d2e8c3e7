package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/internal/sharedtest"
	"github.com/govbot/govbot/internal/syncbuf"
)

// startCommand runs a govbot command that serves HTTP until its context
// is cancelled, waits for the address it logs (addrRe's first group), and
// returns it with a stop func that returns the exit status.
func startCommand(t *testing.T, envs map[string]string, addrRe *regexp.Regexp, args ...string) (string, func() int) {
	t.Helper()
	return startCommandLogs(t, envs, &syncbuf.Buffer{}, addrRe, args...)
}

// startCommandLogs is startCommand with the command's output in logs.
func startCommandLogs(t *testing.T, envs map[string]string, logs *syncbuf.Buffer, addrRe *regexp.Regexp, args ...string) (string, func() int) {
	t.Helper()
	e := &env{stdin: strings.NewReader(""), stdout: logs, stderr: logs, getenv: func(k string) string { return envs[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, e, args) }()
	stop := func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(30 * time.Second):
			t.Fatalf("%s did not stop after cancel", args[0])
			return -1
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := addrRe.FindStringSubmatch(logs.String()); m != nil {
			return m[1], stop
		}
		select {
		case code := <-done:
			t.Fatalf("%s exited with %d:\n%s", args[0], code, logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	stop()
	t.Fatalf("%s logged no address:\n%s", args[0], logs.String())
	return "", nil
}

func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestWebAPIIsAskJSON runs `govbot ask --json` and `govbot web` on one
// data directory: /api/ask serves byte for byte the line ask prints.
func TestWebAPIIsAskJSON(t *testing.T) {
	shared := sharedtest.Reports(t)
	data := t.TempDir()
	var files []string
	for _, f := range []string{"2024-fangxian-fzzf.txt", "2024-state-council-gwr.txt", "2025-state-council-gwr.txt", "2025-hubei-gwr.txt", "2026-hubei-gwr.txt"} {
		files = append(files, filepath.Join(shared, f))
	}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if code := run(context.Background(), e, append([]string{"index", "--data", data}, files...)); code != 0 {
		t.Fatalf("index: %d\n%s", code, errb.String())
	}
	questions := []string{"2024年全国城镇新增就业多少人", "湖北2024年和2025年地区生产总值对比", "房县今年中小学招生政策是什么"}
	want := map[string]string{}
	for _, q := range questions {
		out.Reset()
		if code := run(context.Background(), e, []string{"ask", "--json", "--data", data, q}); code != 0 {
			t.Fatalf("ask %s: %d\n%s", q, code, errb.String())
		}
		want[q] = out.String()
	}

	addr, stop := startCommand(t, map[string]string{}, regexp.MustCompile(`url=http://(\S+)/`), "web", "--data", data, "--listen", "127.0.0.1:0")
	for _, q := range questions {
		code, body := httpGet(t, "http://"+addr+"/api/ask?q="+url.QueryEscape(q))
		if code != 200 || body != want[q] {
			t.Errorf("%s: status %d\n got %s\nwant %s", q, code, body, want[q])
		}
	}
	if code, body := httpGet(t, "http://"+addr+"/reports"); code != 200 || !strings.Contains(body, "2026年湖北省政府工作报告") {
		t.Errorf("/reports: %d", code)
	}
	if code := stop(); code != 0 {
		t.Errorf("web exit status %d", code)
	}
}

// TestServeWebPages checks that `govbot serve` serves the web pages and API
// next to /healthz on its listen address, and only those with --web=false.
func TestServeWebPages(t *testing.T) {
	for _, withWeb := range []bool{true, false} {
		api := bottest.New()
		envs := map[string]string{
			"TELEGRAM_BOT_TOKEN": serveToken,
			"TELEGRAM_API_URL":   api.URL,
			"GOVBOT_DATA":        t.TempDir(),
			"GOVBOT_LISTEN":      "127.0.0.1:0",
		}
		args := []string{"serve"}
		if !withWeb {
			args = append(args, "--web=false")
		}
		addr, stop := startCommand(t, envs, regexp.MustCompile(`msg="http listening" addr=(\S+)`), args...)
		base := "http://" + addr
		deadline := time.Now().Add(20 * time.Second)
		for {
			if code, _ := httpGet(t, base+"/healthz"); code == 200 || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		code, body := httpGet(t, base+"/?q="+url.QueryEscape("房县去年一共办了多少件行政复议案件?"))
		if withWeb && (code != 200 || !strings.Contains(body, `<h2 class="figure">45件`)) {
			t.Errorf("serve /: %d %.300s", code, body)
		}
		if !withWeb && code != 404 {
			t.Errorf("serve --web=false /: %d", code)
		}
		if code, _ := httpGet(t, base+"/healthz"); code != 200 {
			t.Errorf("healthz: %d", code)
		}
		if code, _ := httpGet(t, base+"/metrics"); code != 200 {
			t.Errorf("metrics: %d", code)
		}
		if c := stop(); c != 0 {
			t.Errorf("serve exit status %d", c)
		}
		api.Close()
	}
}

// TestWebCorpus starts `govbot web` on a data directory with no index: as
// ask and serve, on a fresh machine (no data directory named) it indexes
// the built-in collection and answers a national question; a directory
// named on purpose serves the sample, with a warning, unless --corpus
// builtin (or GOVBOT_CORPUS) says otherwise.
func TestWebCorpus(t *testing.T) {
	q := "/api/ask?q=" + url.QueryEscape("2024年全国城镇新增就业多少人?")
	for _, tt := range []struct {
		name    string
		envs    map[string]string
		args    []string
		builtin bool
	}{
		{"fresh machine", map[string]string{"XDG_DATA_HOME": t.TempDir()}, nil, true},
		{"named empty directory", map[string]string{"GOVBOT_DATA": t.TempDir()}, nil, false},
		{"--corpus builtin", map[string]string{}, []string{"--data", t.TempDir(), "--corpus", "builtin"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"web", "--listen", "127.0.0.1:0"}, tt.args...)
			logs := &syncbuf.Buffer{}
			addr, stop := startCommandLogs(t, tt.envs, logs, regexp.MustCompile(`url=http://(\S+)/`), args...)
			code, body := httpGet(t, "http://"+addr+q)
			if stop() != 0 {
				t.Errorf("web exit status not 0:\n%s", logs.String())
			}
			national := strings.Contains(body, "1256万人")
			warned := strings.Contains(logs.String(), "serving the embedded sample report only")
			if code != 200 || national != tt.builtin || warned == tt.builtin {
				t.Errorf("status %d, national answer %v, sample warning %v; want the built-in collection: %v\n%.300s\n%s",
					code, national, warned, tt.builtin, body, logs.String())
			}
		})
	}
}
