package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/internal/bench"
)

// TestRun checks the command line: exit codes and what each answer says.
func TestRun(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{nil, 2, "Commands:", ""},
		{[]string{"help"}, 0, "fakeapi", ""},
		{[]string{"nope"}, 2, "", `unknown command "nope"`},
		{[]string{"bench", "-h"}, 0, "", "--replicate"},
		{[]string{"bench", "extra"}, 2, "", "unexpected arguments"},
		{[]string{"bench", "--spawn"}, 2, "", "needs a binary"},
		{[]string{"fakeapi", "--listen"}, 2, "", "flag needs an argument"},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}, tc.args)
		if code != tc.code || !strings.Contains(out.String(), tc.wantStdout) || !strings.Contains(errOut.String(), tc.wantStderr) {
			t.Errorf("govbot-dev %q: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
				tc.args, code, out.String(), errOut.String(), tc.code, tc.wantStdout, tc.wantStderr)
		}
	}
}

// TestSpawn runs a command through `bench --spawn` as the cold starts do
// and reads back its measurement.
func TestSpawn(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), &env{stdout: &out, stderr: &errOut}, []string{"bench", "--spawn", sh, "-c", "sleep 0.05"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var m bench.Measured
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("%v: %q", err, out.String())
	}
	if m.Wall < 50*time.Millisecond || m.MaxRSS <= 0 {
		t.Errorf("measured %+v, want a wall time of at least 50ms and a peak RSS", m)
	}
	if code := run(context.Background(), &env{stdout: &out, stderr: &errOut}, []string{"bench", "--spawn", sh, "-c", "exit 3"}); code != 1 {
		t.Errorf("a failing command measured with exit %d, want 1", code)
	}
}

// TestFakeAPIStops serves the fake Bot API with no terminal and stops it.
func TestFakeAPIStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}, []string{"fakeapi", "--listen", "127.0.0.1:0"})
	}()
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d: %s", code, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("fakeapi did not stop")
	}
}
