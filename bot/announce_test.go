package bot

import (
	"encoding/json"
	"errors"
	"html"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/store"
)

func markupJSON(t *testing.T, m *models.InlineKeyboardMarkup) string {
	t.Helper()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// hubeiPage is the Hubei disclosure page fixture, parsed as ingest does.
func hubeiPage(t *testing.T) *corpus.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "corpus", "testdata", "html", "hubei-xxgk-utf8.html"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := corpus.ParseHTML("hubei.shtml", data, "text/html; charset=utf-8", corpus.Meta{ID: "hubei-2025", URL: "https://www.hubei.gov.cn/zwgk/t20250123_5512345.shtml"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// checkMessage checks what Telegram would check of an HTML message.
func checkMessage(t *testing.T, text string) {
	t.Helper()
	if n := tgLen(text); n > MaxMessageLen {
		t.Errorf("message is %d UTF-16 units, limit %d", n, MaxMessageLen)
	}
	// Only the tags we write may appear; everything else must be escaped.
	for _, tag := range tagRE.FindAllString(text, -1) {
		switch {
		case tag == "<b>", tag == "</b>", tag == "</a>", strings.HasPrefix(tag, `<a href="`):
		default:
			t.Errorf("unexpected tag %q in %q", tag, text)
		}
	}
}

func TestRenderAnnouncementGolden(t *testing.T) {
	tests := []struct {
		name string
		r    *corpus.Report
		kind store.ChatKind
	}{
		{"fangxian_private", sampleReport(t), store.KindPrivate},
		{"hubei_channel", hubeiPage(t), store.KindChannel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, markup := RenderAnnouncement(tt.r, tt.kind)
			checkMessage(t, text)
			for _, row := range markup.InlineKeyboard {
				for _, b := range row {
					if len(b.CallbackData) > 64 {
						t.Errorf("callback data %q over 64 bytes", b.CallbackData)
					}
				}
			}
			golden(t, "announce_"+tt.name, text+"\n--- markup ---\n"+markupJSON(t, markup)+"\n")
		})
	}
}

// TestAnnouncementWithoutHeadlines renders a report without figures: no
// empty 要点 section.
func TestAnnouncementWithoutHeadlines(t *testing.T) {
	r := &corpus.Report{Paragraphs: []corpus.Paragraph{{Text: "坚持依法行政。"}}}
	r.ID, r.Title = "x", "无数字的报告"
	text, _ := RenderAnnouncement(r, store.KindPrivate)
	if strings.Contains(text, "报告要点") {
		t.Errorf("empty 要点 section: %q", text)
	}
}

// TestRenderAnnouncementHostile feeds markup and oversized fields through
// the renderer: all of it must come out escaped and within the limit.
func TestRenderAnnouncementHostile(t *testing.T) {
	r := sampleReport(t)
	r.Title = strings.Repeat("<script>alert(1)</script>&amp;", 50)
	r.Issuer = `"><b>假冒</b>` + strings.Repeat("机构", 100)
	r.DocNumber = "<i>房政〔2024〕1号</i>"
	r.URL = "javascript:alert(1)"
	for i := range r.Paragraphs {
		r.Paragraphs[i].Text = strings.ReplaceAll(r.Paragraphs[i].Text, "，", "<u>，")
	}
	text, markup := RenderAnnouncement(r, store.KindGroup)
	checkMessage(t, text)
	if strings.Contains(text, "javascript:") {
		t.Error("unsafe URL rendered")
	}
	plain := html.UnescapeString(tagRE.ReplaceAllString(text, ""))
	if !strings.Contains(plain, "<script>") {
		t.Error("escaped title text lost")
	}
	for _, row := range markup.InlineKeyboard {
		for _, b := range row {
			if b.URL != "" {
				t.Errorf("button with unsafe URL %q", b.URL)
			}
			if len(b.SwitchInlineQueryCurrentChat) > 256 {
				t.Errorf("inline query text over 256 bytes")
			}
		}
	}
}

// TestAnnouncerOutcomes checks each kind of answer Telegram gives a send:
// success, 403 (blocked), 400 chat not found, a group that became a
// supergroup, 429 and 500 (retried later), and an entry a crashed process
// left in flight (sent again at startup). Rates are scaled down. It runs
// on each state store: the announcer does not know which it has.
func TestAnnouncerOutcomes(t *testing.T) {
	for _, b := range stateBackends {
		t.Run(b.name, func(t *testing.T) { testAnnouncerOutcomes(t, b.open(t)) })
	}
}

func testAnnouncerOutcomes(t *testing.T, st store.Backend) {
	api := newFlakyAPI(t, 1, 0, 0, 20)
	r := sampleReport(t)
	// 10: fine; 20: blocked (403); 30: chat not found; -40: migrated to
	// -1000040; 50: left in flight by a crash; 60: 429 then fine; 70: 500 then fine.
	broadcastSetup(t, st, r, []int64{10, 20, 30, -40, 50, 60, 70})
	if _, err := st.BeginSend(r.ID, 50); err != nil { // the crashed process's attempt
		t.Fatal(err)
	}
	once := map[int64]bool{}
	api.hook = func(w http.ResponseWriter, chat int64) int {
		first := !once[chat]
		once[chat] = true
		switch {
		case chat == 30:
			writeAPIError(w, 400, "Bad Request: chat not found", 0)
			return 400
		case chat == -40:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error_code": 400,
				"description": "Bad Request: group chat was upgraded to a supergroup chat", "parameters": map[string]any{"migrate_to_chat_id": -1000040}})
			return 400
		case chat == 60 && first:
			writeAPIError(w, 429, "Too Many Requests: retry after 1", 1)
			return 429
		case chat == 70 && first:
			writeAPIError(w, 500, "Internal Server Error", 0)
			return 500
		}
		return 0
	}
	cfg := AnnouncerConfig{
		Store:       st,
		Sender:      newTestSender(t, api.srv.URL, SenderConfig{PerChat: Rate{1, 10 * time.Millisecond}, PerGroup: Rate{20, time.Second}, Global: Rate{30, 100 * time.Millisecond}}),
		Report:      func(string) (*corpus.Report, error) { return r, nil },
		Global:      Rate{30, 100 * time.Millisecond},
		PerGroup:    Rate{20, time.Second},
		BaseBackoff: 50 * time.Millisecond,
		Logger:      slog.New(slog.DiscardHandler),
	}
	runAnnouncer(t, cfg, func() bool { return settled(t, st) })

	got := api.delivered()
	want := map[int64]int{10: 1, 20: 0, 30: 0, -40: 0, -1000040: 1, 50: 1, 60: 1, 70: 1}
	for chat, n := range want {
		if got[chat] != n {
			t.Errorf("chat %d got %d messages, want %d", chat, got[chat], n)
		}
	}
	for _, chat := range []int64{20, 30, -40} {
		if _, err := st.Subscription(chat); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("chat %d still subscribed: %v", chat, err)
		}
	}
	if sub, err := st.Subscription(-1000040); err != nil || sub.Kind != store.KindGroup {
		t.Errorf("migrated group not subscribed under its new ID: %+v %v", sub, err)
	}
	stats, _ := st.Stats(10)
	var msgs []string
	for _, e := range stats.LastErrors {
		msgs = append(msgs, e.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"chat 20 unsubscribed", "chat 30 unsubscribed", "in flight when govbot stopped"} {
		if !strings.Contains(all, want) {
			t.Errorf("error log lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, testSecret) {
		t.Error("token in the error log")
	}
	if err := st.Check(); err != nil {
		t.Error(err)
	}
}

// TestAnnouncerGroupRate queues twelve reports for one group with the
// group limit scaled down to 4 per 500ms: the fake server must see no more
// than 4 sends to the group in any 500ms, and all twelve arrive.
func TestAnnouncerGroupRate(t *testing.T) {
	api := newFlakyAPI(t, 7, 0, 0)
	st := tempStore(t)
	const group = -1000777
	if _, err := st.Subscribe(store.Subscription{ChatID: group, Kind: store.KindGroup}); err != nil {
		t.Fatal(err)
	}
	r := sampleReport(t)
	for i := range 12 {
		id := "report-" + strconv.Itoa(i)
		if _, n, err := st.AnnounceReport(store.ReportRecord{ID: id, TextHash: id}); err != nil || n != 1 {
			t.Fatalf("queue %s: %d %v", id, n, err)
		}
	}
	groupRate := Rate{4, 500 * time.Millisecond}
	cfg := AnnouncerConfig{
		Store:    st,
		Sender:   newTestSender(t, api.srv.URL, SenderConfig{PerChat: Rate{1, 10 * time.Millisecond}, PerGroup: groupRate, Global: Rate{30, time.Second}}),
		Report:   func(string) (*corpus.Report, error) { return r, nil },
		PerGroup: groupRate,
		Logger:   slog.New(slog.DiscardHandler),
	}
	start := time.Now()
	runAnnouncer(t, cfg, func() bool { return settled(t, st) })
	if got := api.delivered()[group]; got != 12 {
		t.Errorf("group got %d announcements, want 12", got)
	}
	if m := api.maxInWindow(group, groupRate.Per); m > groupRate.N {
		t.Errorf("%d sends to the group within %s, limit %d", m, groupRate.Per, groupRate.N)
	}
	// Twelve sends at four per window need at least two full windows.
	if el := time.Since(start); el < 2*groupRate.Per {
		t.Errorf("twelve sends took %s: the group limit was not applied", el)
	}
}
