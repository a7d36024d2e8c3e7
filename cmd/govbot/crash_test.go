package main

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/internal/syncbuf"
)

// crashChildEnv makes the test binary run govbot's main with its
// arguments instead of the tests: the crash tests start it as a process
// of its own and kill -9 it, as an operator's crash would.
const crashChildEnv = "GOVBOT_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
		stop()
		os.Exit(code)
	}
	code := m.Run()
	stopPG() // the throwaway PostgreSQL server of state_test.go
	os.Exit(code)
}

// govbotProcess starts "govbot args..." as a child process logging to logs.
func govbotProcess(t *testing.T, logs *syncbuf.Buffer, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), crashChildEnv+"=1", "GOVBOT_DATA=", "TELEGRAM_BOT_TOKEN=")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// TestKill9WithRepliesInFlight: govbot serve is killed with SIGKILL while
// replies to 20 questions are waiting, being sent (Telegram is slow) or
// just sent, then started again on the same data directory.
// No question is lost; a question is answered twice only if its reply was
// in flight at the kill (Telegram may have taken it), and the restarted
// bot counts those.
func TestKill9WithRepliesInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("starts govbot serve twice")
	}
	api := bottest.New()
	defer api.Close()
	api.SetMaxPoll(time.Second)
	// Telegram is slow, more for each reply: at the kill some replies
	// are through, some in flight, some not sent yet.
	for i := range 20 {
		api.Inject(bottest.Fault{Method: "sendMessage", Delay: time.Duration(i+1) * 250 * time.Millisecond})
	}
	data := t.TempDir()
	args := []string{"serve", "--api-url", api.URL, "--token", serveToken, "--data", data, "--listen", "-", "--no-watch"}

	const users = 20
	msgs := map[int]bool{}
	for i := range users {
		u := bottest.User(int64(7000 + i))
		_, id := api.SendText(bottest.PrivateChat(u), u, "房县去年一共办了多少件行政复议案件?")
		msgs[id] = true
	}
	// repliesIn counts the replies to each question among calls.
	repliesIn := func(calls []bottest.Call) map[int]int {
		got := map[int]int{}
		for _, c := range calls {
			if c.Method == "sendMessage" && c.OK() && msgs[c.ReplyTo()] {
				got[c.ReplyTo()]++
			}
		}
		return got
	}
	replies := func() map[int]int { return repliesIn(api.Calls("")) }

	logs1 := &syncbuf.Buffer{}
	first := govbotProcess(t, logs1, args...)
	// Kill once a few replies are through and the others are waiting or
	// on their way.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := api.WaitFor(ctx, func(calls []bottest.Call) bool { return len(repliesIn(calls)) >= 8 }); err != nil {
		first.Process.Kill()
		first.Wait()
		t.Fatalf("no replies before the kill: %v\n%s", err, logs1)
	}
	atKill := len(replies())
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	time.Sleep(100 * time.Millisecond) // the fake notices the dead connections

	logs2 := &syncbuf.Buffer{}
	second := govbotProcess(t, logs2, args...)
	defer func() {
		second.Process.Signal(syscall.SIGTERM)
		second.Wait()
		if t.Failed() {
			t.Logf("first run:\n%s\nsecond run:\n%s", logs1, logs2)
		}
	}()
	if err := api.WaitFor(ctx, func(calls []bottest.Call) bool { return len(repliesIn(calls)) == users }); err != nil {
		t.Errorf("after the restart %d of %d questions answered: %v", len(replies()), users, err)
	}
	// Then until the restarted bot is done: no send for two seconds.
	for n := -1; n != len(api.Calls("sendMessage")); {
		n = len(api.Calls("sendMessage"))
		time.Sleep(2 * time.Second)
	}
	got := replies()
	lost, dup := 0, 0
	for id := range msgs {
		switch n := got[id]; {
		case n == 0:
			lost++
		case n > 1:
			dup += n - 1
		}
	}
	recovered, mayDup := recoveredCounts(logs2.String())
	if lost != 0 || dup > mayDup {
		t.Errorf("lost %d, duplicated %d (the restarted bot counted %d replies possibly sent before the kill)", lost, dup, mayDup)
	}
	if os.Getenv("GOVBOT_CRASH_LOGS") != "" {
		t.Logf("second run:\n%s", logs2)
		for _, c := range api.Calls("sendMessage") {
			t.Logf("%s %d reply_to=%d", c.Time.Format("05.000"), c.Status, c.ReplyTo())
		}
	}
	t.Logf("kill -9 with replies in flight: %d questions, %d answered before the kill, %d answered after the restart (journalled: %d, of which %d in flight at the kill), lost %d, duplicated %d",
		users, atKill, users-atKill, recovered, mayDup, lost, dup)
}

var recoveredLine = regexp.MustCompile(`answering updates received before the restart.* count=(\d+) possibly_sent_already=(\d+)`)

// recoveredCounts reads the restarted bot's log line about the updates it
// found in the journal.
func recoveredCounts(logs string) (count, mayDup int) {
	m := recoveredLine.FindStringSubmatch(logs)
	if m == nil {
		return 0, 0
	}
	count, _ = strconv.Atoi(m[1])
	mayDup, _ = strconv.Atoi(m[2])
	return count, mayDup
}
