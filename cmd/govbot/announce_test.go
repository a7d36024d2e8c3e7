package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/internal/syncbuf"
	"github.com/govbot/govbot/store"
)

// TestServeWatchesAndAnnounces runs govbot serve against the fake Bot API
// on a fresh data directory with a folder source: the report in the folder
// is ingested on the first poll (announce_existing), the engine answers
// about it, the subscribed chat gets one announcement, and the admin named
// by --admins gets /stats while others are refused. It runs with the state
// in the data directory's file and in PostgreSQL ($GOVBOT_STORE).
func TestServeWatchesAndAnnounces(t *testing.T) {
	t.Run("bbolt", func(t *testing.T) { testServeWatchesAndAnnounces(t, "") })
	t.Run("postgres", func(t *testing.T) { testServeWatchesAndAnnounces(t, pgDB(t)) })
}

func testServeWatchesAndAnnounces(t *testing.T, storeURL string) {
	dir, inbox := t.TempDir(), t.TempDir()
	report := "2026年湖南省政府工作报告\n\n各位代表：\n\n一、2025年工作回顾\n\n全省地区生产总值达到5.4万亿元，城镇新增就业75.6万人，粮食产量达到614.8亿斤。\n"
	if err := os.WriteFile(filepath.Join(inbox, "2026-hunan.txt"), []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "sources.json")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(`{"sources": [{"name": "inbox", "folder": %q, "announce_existing": true}]}`, inbox)), 0o644); err != nil {
		t.Fatal(err)
	}
	const subscriber, admin = 4242, 777
	open := func() store.Backend {
		if storeURL != "" {
			return pgOpener(t, storeURL)()
		}
		st, err := store.OpenDir(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open()
	if _, err := st.Subscribe(store.Subscription{ChatID: subscriber, Kind: store.KindPrivate}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	api := bottest.New()
	defer api.Close()
	api.SetMaxPoll(time.Second)
	logs := &syncbuf.Buffer{}
	e := &env{stdin: strings.NewReader(""), stdout: logs, stderr: logs, getenv: func(k string) string {
		switch k {
		case "GOVBOT_DATA":
			return dir
		case "TELEGRAM_BOT_TOKEN":
			return "123456:TESTtoken"
		case storeEnv:
			return storeURL
		}
		return ""
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, e, []string{"serve", "--api-url", api.URL, "--listen", "-", "--admins", fmt.Sprint(admin)})
	}()
	defer func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d", code)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
		if t.Failed() {
			t.Logf("serve output:\n%s", logs)
		}
		// The outbox is in the store named, and only there.
		st := open()
		defer st.Close()
		if ds, err := st.Deliveries(""); err != nil || len(ds) != 1 || ds[0].State != store.Sent {
			t.Errorf("outbox after serve = %+v, %v; want one entry, sent", ds, err)
		}
		if _, err := os.Stat(filepath.Join(dir, store.FileName)); storeURL != "" && err == nil {
			t.Errorf("serve with --store made %s too", store.FileName)
		}
	}()
	wait := func(what string, pred func(bottest.Call) bool) bottest.Call {
		t.Helper()
		var got bottest.Call
		wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer wcancel()
		err := api.WaitFor(wctx, func(calls []bottest.Call) bool {
			for _, c := range calls {
				if c.Method == "sendMessage" && c.OK() && pred(c) {
					got = c
					return true
				}
			}
			return false
		})
		if err != nil {
			t.Fatalf("no %s: %v", what, err)
		}
		return got
	}
	ann := wait("announcement", func(c bottest.Call) bool { return c.Int("chat_id") == subscriber })
	for _, want := range []string{"2026年湖南省政府工作报告", "5.4万亿元", "75.6万人"} {
		if !strings.Contains(ann.Params["text"], want) {
			t.Errorf("announcement lacks %q:\n%s", want, ann.Params["text"])
		}
	}
	// Telegram answered before the outbox recorded it: ask until it has.
	var stats string
	for try := 0; try < 50 && !strings.Contains(stats, "已送达 1，"); try++ {
		_, id := api.SendText(bottest.PrivateChat(bottest.User(admin)), bottest.User(admin), "/stats")
		stats = wait("/stats reply", func(c bottest.Call) bool { return c.ReplyTo() == id }).Params["text"]
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(stats, "已送达 1，") || !strings.Contains(stats, "订阅：1 个聊天") {
		t.Errorf("/stats:\n%s", stats)
	}
	_, id := api.SendText(bottest.PrivateChat(bottest.User(99)), bottest.User(99), "/stats")
	if r := wait("refusal", func(c bottest.Call) bool { return c.ReplyTo() == id }); !strings.Contains(r.Params["text"], "仅限管理员") {
		t.Errorf("non-admin /stats: %q", r.Params["text"])
	}
	// The engine sees the ingested report.
	_, id = api.SendText(bottest.PrivateChat(bottest.User(5)), bottest.User(5), "湖南省城镇新增就业多少")
	if r := wait("answer", func(c bottest.Call) bool { return c.ReplyTo() == id }); !strings.Contains(r.Params["text"], "75.6万人") {
		t.Errorf("answer about the ingested report: %q", r.Params["text"])
	}
	n := 0
	for _, c := range api.Delivered("sendMessage") {
		if c.Int("chat_id") == subscriber {
			n++
		}
	}
	if n != 1 {
		t.Errorf("subscriber got %d messages, want 1", n)
	}
}
