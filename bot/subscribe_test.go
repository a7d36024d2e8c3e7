package bot

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/syncbuf"
	"github.com/govbot/govbot/store"
)

// memberAPI is the fake Bot API with getChat and getChatMember answered
// from tables: who is an admin of which group or channel.
type memberAPI struct {
	api *bottest.Server
	srv *httptest.Server

	mu       sync.Mutex
	channels map[string]models.ChatFullInfo            // by @username
	members  map[int64]map[int64]models.ChatMemberType // chat → user → status
	canPost  map[int64]bool                            // channel → the bot may post
}

func newMemberAPI(t *testing.T) *memberAPI {
	m := &memberAPI{api: bottest.New(), channels: map[string]models.ChatFullInfo{}, members: map[int64]map[int64]models.ChatMemberType{}, canPost: map[int64]bool{}}
	m.api.SetMaxPoll(time.Second)
	m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(func() { m.srv.Close(); m.api.Close(); assertFormatted(t, m.api) })
	return m
}

func (m *memberAPI) setMember(chat, user int64, st models.ChatMemberType) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.members[chat] == nil {
		m.members[chat] = map[int64]models.ChatMemberType{}
	}
	m.members[chat][user] = st
}

func (m *memberAPI) serve(w http.ResponseWriter, r *http.Request) {
	switch filepath.Base(r.URL.Path) {
	case "getChat":
		m.mu.Lock()
		ch, ok := m.channels[formValue(r, "chat_id")]
		m.mu.Unlock()
		if !ok {
			writeAPIError(w, 400, "Bad Request: chat not found", 0)
			return
		}
		writeResult(w, ch)
	case "getChatMember":
		chat, _ := strconv.ParseInt(formValue(r, "chat_id"), 10, 64)
		user, _ := strconv.ParseInt(formValue(r, "user_id"), 10, 64)
		m.mu.Lock()
		st, ok := m.members[chat][user]
		post := m.canPost[chat]
		m.mu.Unlock()
		if !ok {
			st = models.ChatMemberTypeLeft
		}
		res := map[string]any{"status": st, "user": map[string]any{"id": user, "is_bot": user == bottest.BotUser.ID, "first_name": "U"}}
		if st == models.ChatMemberTypeAdministrator {
			res["can_post_messages"] = post
		}
		writeResult(w, res)
	default:
		m.api.ServeHTTP(w, r)
	}
}

func writeResult(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": v})
}

// subHarness runs a Server with announcements enabled against memberAPI.
type subHarness struct {
	t   *testing.T
	api *memberAPI
	st  *store.Store
	srv *Server
	ann *Announcer
}

func startSubs(t *testing.T) *subHarness {
	t.Helper()
	api := newMemberAPI(t)
	st := tempStore(t)
	logs := &syncbuf.Buffer{}
	cfg := Config{
		Token:         testToken,
		APIURL:        api.srv.URL,
		PollTimeout:   2 * time.Second,
		ShutdownGrace: 5 * time.Second,
		UserBurst:     100, // the tests send many commands as one user
		Logger:        slog.New(slog.NewTextHandler(logs, nil)),
		Sender: SenderConfig{
			PerChat: Rate{1, 10 * time.Millisecond}, PerGroup: Rate{20, time.Second}, Global: Rate{30, 100 * time.Millisecond},
			Retry: RetryPolicy{BaseBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, AttemptTimeout: 2 * time.Second},
		},
	}
	r := sampleReport(t)
	srv, err := New(cfg, realEngine(t))
	if err != nil {
		t.Fatal(err)
	}
	ann, err := NewAnnouncer(AnnouncerConfig{Store: st, Sender: srv.Sender(), Report: func(id string) (*corpus.Report, error) {
		if id != r.ID {
			return nil, errors.New("not indexed")
		}
		return r, nil
	}, Global: Rate{30, 100 * time.Millisecond}, PerGroup: Rate{20, time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	srv.EnableAnnouncements(ann)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 2)
	go func() { done <- srv.Run(ctx) }()
	go func() { done <- ann.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		<-done
		assertNoToken(t, "logs", logs.String())
		if t.Failed() {
			t.Logf("logs:\n%s", logs)
		}
	})
	return &subHarness{t: t, api: api, st: st, srv: srv, ann: ann}
}

// say sends text from user in chat and returns the bot's reply text.
func (h *subHarness) say(chat models.Chat, user models.User, text string) string {
	h.t.Helper()
	_, id := h.api.api.SendText(chat, user, text)
	var got string
	err := h.api.api.WaitFor(waitCtx(h.t, 10*time.Second), func(calls []bottest.Call) bool {
		for _, c := range calls {
			if c.Method == "sendMessage" && c.OK() && c.ReplyTo() == id {
				got = c.Params["text"]
				return true
			}
		}
		return false
	})
	if err != nil {
		h.t.Fatalf("no reply to %q: %v", text, err)
	}
	return got
}

func TestSubscribeCommands(t *testing.T) {
	h := startSubs(t)
	alice, bob, eve := bottest.User(501), bottest.User(502), bottest.User(503)
	group := bottest.GroupChat(-1001234, "法治学习群")
	h.api.setMember(group.ID, alice.ID, models.ChatMemberTypeOwner)
	h.api.setMember(group.ID, bob.ID, models.ChatMemberTypeAdministrator)
	h.api.setMember(group.ID, eve.ID, models.ChatMemberTypeMember)
	channel := models.ChatFullInfo{ID: -1009999, Type: models.ChatTypeChannel, Title: "政务公开", Username: "gov_news"}
	h.api.mu.Lock()
	h.api.channels["@gov_news"] = channel
	h.api.mu.Unlock()
	h.api.setMember(channel.ID, alice.ID, models.ChatMemberTypeAdministrator)
	h.api.setMember(channel.ID, eve.ID, models.ChatMemberTypeMember)

	steps := []struct {
		name    string
		chat    models.Chat
		from    models.User
		text    string
		want    string
		subbed  int64 // chat that must now be subscribed (0: none checked)
		filters []string
		unsub   int64 // chat that must now not be subscribed
	}{
		{"private", bottest.PrivateChat(eve), eve, "/subscribe", "已为本聊天订阅", eve.ID, nil, 0},
		{"private with filters", bottest.PrivateChat(eve), eve, "/subscribe 湖北，法治", "已更新本聊天的订阅", eve.ID, []string{"湖北", "法治"}, 0},
		{"group member refused", group, eve, "/subscribe", "只有群管理员", 0, nil, group.ID},
		{"group admin", group, bob, "/subscribe 湖北", "已为本聊天订阅", group.ID, []string{"湖北"}, 0},
		{"group owner unsubscribes", group, alice, "/unsubscribe", "已取消本聊天", 0, nil, group.ID},
		{"channel: bot cannot post", bottest.PrivateChat(alice), alice, "/subscribe @gov_news", "请先把我添加为频道管理员", 0, nil, channel.ID},
		{"unknown channel", bottest.PrivateChat(alice), alice, "/subscribe @nobody_here", "找不到频道", 0, nil, 0},
		{"channel: not its admin", bottest.PrivateChat(eve), eve, "/subscribe @gov_news", "只有频道 @gov_news 的管理员", 0, nil, channel.ID},
		{"too long filter", bottest.PrivateChat(eve), eve, "/subscribe " + strings.Repeat("长", 30), "太长", eve.ID, []string{"湖北", "法治"}, 0},
		{"html in filter is escaped", bottest.PrivateChat(bob), bob, "/subscribe <b>x</b>", "&lt;b&gt;x&lt;/b&gt;", bob.ID, []string{"<b>x</b>"}, 0},
	}
	for i, s := range steps {
		if s.name == "channel: not its admin" {
			// From here on the bot is a channel admin allowed to post.
			h.api.setMember(channel.ID, bottest.BotUser.ID, models.ChatMemberTypeAdministrator)
			h.api.mu.Lock()
			h.api.canPost[channel.ID] = true
			h.api.mu.Unlock()
		}
		t.Run(strconv.Itoa(i)+" "+s.name, func(t *testing.T) {
			got := h.say(s.chat, s.from, s.text)
			if !strings.Contains(got, s.want) {
				t.Errorf("reply %q, want it to contain %q", got, s.want)
			}
			if s.subbed != 0 {
				sub, err := h.st.Subscription(s.subbed)
				if err != nil {
					t.Fatalf("chat %d not subscribed: %v", s.subbed, err)
				}
				if strings.Join(sub.Filters, "|") != strings.Join(s.filters, "|") {
					t.Errorf("filters %q, want %q", sub.Filters, s.filters)
				}
			}
			if s.unsub != 0 {
				if _, err := h.st.Subscription(s.unsub); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("chat %d subscribed: %v", s.unsub, err)
				}
			}
		})
	}

	t.Run("channel admin subscribes the channel", func(t *testing.T) {
		got := h.say(bottest.PrivateChat(alice), alice, "/subscribe @gov_news 法治")
		if !strings.Contains(got, "已为频道 @gov_news 订阅") {
			t.Errorf("reply %q", got)
		}
		sub, err := h.st.Subscription(channel.ID)
		if err != nil || sub.Kind != store.KindChannel || sub.By != alice.ID || sub.Title != "@gov_news" {
			t.Fatalf("channel subscription %+v, %v", sub, err)
		}
		list := h.say(bottest.PrivateChat(alice), alice, "/subscriptions")
		if !strings.Contains(list, "@gov_news（筛选：法治）") || !strings.Contains(list, "本聊天没有订阅") {
			t.Errorf("/subscriptions = %q", list)
		}
	})

	t.Run("a new report reaches the matching subscribers once", func(t *testing.T) {
		r := sampleReport(t) // 房县 … 法治政府建设: matches 法治, not 湖北
		if _, n, err := h.st.AnnounceReport(store.ReportRecord{ID: r.ID, TextHash: "h1", Title: r.Title, Issuer: r.Issuer}, r.Issuer, r.Title, r.Topic); err != nil || n != 2 {
			t.Fatalf("queued %d, %v (want eve and the channel)", n, err)
		}
		h.ann.Wake()
		err := h.api.api.WaitFor(waitCtx(t, 10*time.Second), func(calls []bottest.Call) bool {
			n := 0
			for _, c := range calls {
				if c.Method == "sendMessage" && c.OK() && strings.Contains(c.Params["text"], "📢") {
					n++
				}
			}
			return n >= 2
		})
		if err != nil {
			t.Fatal(err)
		}
		to := map[int64]int{}
		for _, c := range h.api.api.Delivered("sendMessage") {
			if strings.Contains(c.Params["text"], "📢") {
				to[c.Int("chat_id")]++
				if len(c.Buttons()) == 0 {
					t.Error("announcement without its question button")
				}
			}
		}
		if to[eve.ID] != 1 || to[channel.ID] != 1 || len(to) != 2 {
			t.Errorf("announcements went to %v", to)
		}
	})

	t.Run("admin commands", func(t *testing.T) {
		if got := h.say(bottest.PrivateChat(eve), eve, "/stats"); !strings.Contains(got, "仅限管理员") {
			t.Errorf("non-admin /stats: %q", got)
		}
		if got := h.say(bottest.PrivateChat(eve), eve, "/announce 2024-fangxian-fzzf send"); !strings.Contains(got, "仅限管理员") {
			t.Errorf("non-admin /announce: %q", got)
		}
		if err := h.st.SetAdmins(alice.ID); err != nil {
			t.Fatal(err)
		}
		stats := h.say(bottest.PrivateChat(alice), alice, "/stats")
		for _, want := range []string{"订阅：3 个聊天", "已送达 2", "待发送 0"} {
			if !strings.Contains(stats, want) {
				t.Errorf("/stats lacks %q:\n%s", want, stats)
			}
		}
		before := len(h.api.api.Delivered("sendMessage"))
		preview := h.say(bottest.PrivateChat(alice), alice, "/announce 2024-fangxian-fzzf")
		if !strings.Contains(preview, "以上是预览") {
			t.Errorf("preview reply %q", preview)
		}
		if got := h.say(bottest.PrivateChat(alice), alice, "/announce 2024-fangxian-fzzf send"); !strings.Contains(got, "重新排队发给 2 个聊天") {
			t.Errorf("re-send reply %q", got)
		}
		// preview + its note + re-send reply + 2 re-sent announcements
		if _, err := h.api.api.WaitDelivered(waitCtx(t, 10*time.Second), "sendMessage", before+5); err != nil {
			t.Errorf("re-sent announcements not delivered: %v", err)
		}
		if got := h.say(bottest.PrivateChat(alice), alice, "/announce nosuch"); !strings.Contains(got, "没有这份报告") {
			t.Errorf("unknown report: %q", got)
		}
	})
}

// TestAnonymousAdminSubscribes: a group admin posting as the group
// (sender_chat is the group; from is GroupAnonymousBot) may subscribe the
// group, and a channel post forwarded into the group may not.
func TestAnonymousAdminSubscribes(t *testing.T) {
	h := startSubs(t)
	group := bottest.GroupChat(-1004242, "匿名管理员群")
	anon := models.User{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"}
	send := func(sender models.Chat, text string, wait time.Duration) string {
		m := h.api.api.NewMessage(group, anon, text)
		m.SenderChat = &sender
		h.api.api.Push(models.Update{Message: m})
		var got string
		err := h.api.api.WaitFor(waitCtx(t, wait), func(calls []bottest.Call) bool {
			for _, c := range calls {
				if c.Method == "sendMessage" && c.OK() && c.ReplyTo() == m.ID {
					got = c.Params["text"]
					return true
				}
			}
			return false
		})
		if err != nil {
			return ""
		}
		return got
	}
	if got := send(group, "/subscribe 法治", 10*time.Second); !strings.Contains(got, "已为本聊天订阅") {
		t.Errorf("anonymous admin's /subscribe: %q", got)
	}
	sub, err := h.st.Subscription(group.ID)
	if err != nil || strings.Join(sub.Filters, "|") != "法治" || sub.By != group.ID {
		t.Errorf("subscription %+v, %v", sub, err)
	}
	linked := models.Chat{ID: -1007777, Type: models.ChatTypeChannel, Title: "关联频道"}
	if got := send(linked, "/unsubscribe", time.Second); got != "" {
		t.Errorf("a linked channel's post was answered: %q", got)
	}
	if _, err := h.st.Subscription(group.ID); err != nil {
		t.Errorf("a linked channel's post unsubscribed the group: %v", err)
	}
}

// TestSubscribeRefusalEscapesFilter: the refusal of a too-long filter
// quotes it, and a filter of 30 "<" must come out as text, not as HTML
// that Telegram rejects (and the user never sees a reply).
func TestSubscribeRefusalEscapesFilter(t *testing.T) {
	h := startSubs(t)
	u := bottest.User(4242)
	got := h.say(bottest.PrivateChat(u), u, "/subscribe "+strings.Repeat("<", 30))
	if !strings.Contains(got, "太长") || strings.Contains(got, "<<") || !strings.Contains(got, "&lt;&lt;") {
		t.Errorf("refusal = %q; want the filter escaped", got)
	}
}
