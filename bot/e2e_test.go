package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/internal/syncbuf"
)

const fangxianQ = "房县去年一共办了多少件行政复议案件?"

func TestPrivateQuestionGetsCitedFigure(t *testing.T) {
	h := start(t, testConfig(), realEngine(t))
	u := bottest.User(1)
	_, id := h.api.SendText(bottest.PrivateChat(u), u, fangxianQ)
	c := h.replyTo(id)
	text := c.Params["text"]
	if c.Params["parse_mode"] != "HTML" {
		t.Errorf("parse_mode = %q, want HTML", c.Params["parse_mode"])
	}
	if c.Params["chat_id"] != "1" {
		t.Errorf("reply went to chat %s", c.Params["chat_id"])
	}
	if !strings.HasPrefix(text, "<b>45件</b>") {
		t.Errorf("reply does not lead with the figure 45件 in bold:\n%s", text)
	}
	for _, want := range []string{"<b><u>45件</u></b>", "《", "》", "房县", "<blockquote>"} {
		if !strings.Contains(text, want) {
			t.Errorf("reply lacks %q:\n%s", want, text)
		}
	}
	if n := tgLen(text); n > MaxMessageLen {
		t.Errorf("reply is %d units long", n)
	}
	if got := h.srv.metrics.answered.Load(); got != 1 {
		t.Errorf("answered metric = %d, want 1", got)
	}
}

func TestGroupAnswersOnlyWhenAddressed(t *testing.T) {
	h := start(t, testConfig(), realEngine(t))
	u := bottest.User(2)
	g := bottest.GroupChat(-1001, "政务群")
	me := "@" + bottest.BotUser.Username

	// Nothing addressed to the bot: silence.
	_, plain := h.api.SendText(g, u, fangxianQ)
	_, other := h.api.SendText(g, u, "/ask@some_other_bot "+fangxianQ)
	_, sticker := h.api.SendText(g, u, "") // stands in for a sticker: no text

	// Addressed: /ask, /ask@me, a mention, a reply to the bot.
	_, ask := h.api.SendText(g, u, "/ask "+fangxianQ)
	_, askAt := h.api.SendText(g, u, "/ask"+me+" "+fangxianQ)
	_, mention := h.api.SendText(g, u, me+" "+fangxianQ)
	_, upper := h.api.SendText(g, u, "请问 "+strings.ToUpper(me)+"，"+fangxianQ) // mention mid-text, any case
	for _, id := range []int{ask, askAt, mention, upper} {
		if c := h.replyTo(id); !strings.Contains(c.Params["text"], "45件") {
			t.Errorf("reply to %d lacks the figure: %s", id, c.Params["text"])
		}
	}
	botMsg := h.replyTo(ask).Message()
	m := h.api.NewMessage(g, u, "那行政应诉案件呢?")
	m.ReplyToMessage = botMsg
	h.api.Push(models.Update{Message: m})
	if c := h.replyTo(m.ID); strings.Contains(c.Params["text"], "稍等") {
		t.Errorf("the reply to the bot was refused: %s", c.Params["text"])
	}

	// A mention by text_mention entity (users without a username), from
	// another user: user 2 has used up the burst of 5.
	tm := h.api.NewMessage(g, bottest.User(22), "GovBot "+fangxianQ)
	bu := bottest.BotUser
	tm.Entities = []models.MessageEntity{{Type: models.MessageEntityTypeTextMention, Offset: 0, Length: 6, User: &bu}}
	h.api.Push(models.Update{Message: tm})
	if c := h.replyTo(tm.ID); !strings.Contains(c.Params["text"], "45件") {
		t.Errorf("reply to the text mention lacks the figure: %s", c.Params["text"])
	}

	time.Sleep(200 * time.Millisecond) // give a wrong reply time to show up
	for _, c := range h.api.Calls("sendMessage") {
		if r := c.ReplyTo(); r == plain || r == other || r == sticker {
			t.Errorf("bot answered message %d it should ignore: %s", r, c.Params["text"])
		}
	}
	if n := len(h.api.Delivered("sendMessage")); n != 6 {
		t.Errorf("%d messages sent, want 6:%s", n, summarize(h.api.Calls("sendMessage")))
	}
}

func TestInlineQuery(t *testing.T) {
	t.Run("real engine", func(t *testing.T) {
		h := start(t, testConfig(), realEngine(t))
		h.api.Inline(bottest.User(3), fangxianQ, "")
		calls, err := h.api.WaitDelivered(waitCtx(t, 10*time.Second), "answerInlineQuery", 1)
		if err != nil {
			t.Fatal(err)
		}
		res, _ := calls[0].InlineResults()
		if len(res) == 0 || len(res) > DefaultInlinePage {
			t.Fatalf("%d inline results, want 1..%d", len(res), DefaultInlinePage)
		}
		r := res[0]
		if r.Type != "article" || r.Title != "45件" || r.Description == "" {
			t.Errorf("first result = %+v; want an article titled 45件 with a description", r)
		}
		if !strings.HasPrefix(r.InputMessageContent.MessageText, "<b>45件</b>") || r.InputMessageContent.ParseMode != "HTML" || !strings.Contains(r.InputMessageContent.MessageText, "《") {
			t.Errorf("result message is not the cited reply: %+v", r.InputMessageContent)
		}
		for _, r := range res {
			if len(r.ID) > 64 {
				t.Errorf("result ID %q over 64 bytes", r.ID)
			}
		}
	})
	t.Run("paging", func(t *testing.T) {
		eng := realEngine(t)
		a, err := eng.Ask(context.Background(), fangxianQ)
		if err != nil {
			t.Fatal(err)
		}
		const size = 2
		if len(a.Answers) <= size {
			t.Fatalf("the engine gives %d passages; paging needs more than %d", len(a.Answers), size)
		}
		cfg := testConfig()
		cfg.InlinePage = size
		h := start(t, cfg, eng)
		u := bottest.User(4)
		var got []int
		ids := map[string]bool{}
		offset := ""
		for page := 1; page <= len(a.Answers); page++ {
			h.api.Inline(u, fangxianQ, offset)
			calls, err := h.api.WaitDelivered(waitCtx(t, 10*time.Second), "answerInlineQuery", page)
			if err != nil {
				t.Fatal(err)
			}
			res, next := calls[page-1].InlineResults()
			got = append(got, len(res))
			for _, r := range res {
				if strings.Contains(r.InputMessageContent.MessageText, "条结果") {
					t.Errorf("result %s carries its position into the sent message:\n%s", r.ID, r.InputMessageContent.MessageText)
				}
				if ids[r.ID] {
					t.Errorf("result %s repeated on page %d", r.ID, page)
				}
				ids[r.ID] = true
			}
			offset = next
			if next == "" {
				break
			}
		}
		var want []int
		for n := Related(a); n > 0; n -= size {
			want = append(want, min(n, size))
		}
		if !slices.Equal(got, want) || offset != "" {
			t.Errorf("pages of %v, last next_offset %q; want %v and \"\" for %d passages", got, offset, want, len(a.Answers))
		}
	})
}

func TestMoreResultsPages(t *testing.T) {
	eng := linkedEngine(t)
	a, err := eng.Ask(context.Background(), fangxianQ)
	if err != nil {
		t.Fatal(err)
	}
	n := Related(a)
	if n < 3 {
		t.Fatalf("the engine gives %d related passages; the test needs 3 or more", n)
	}
	h := start(t, testConfig(), eng)
	u := bottest.User(5)
	chat := bottest.PrivateChat(u)
	_, id := h.api.SendText(chat, u, fangxianQ)
	first := h.replyTo(id)
	bs := first.Buttons()
	if len(bs) != 2 || bs[0].Text != fmt.Sprintf("更多结果 (2/%d)", n) || bs[1].Text != "原文" || bs[1].URL != testLinkURL {
		t.Fatalf("buttons = %+v; want 更多结果 (2/%d) and 原文 -> %s", bs, n, testLinkURL)
	}
	if !strings.Contains(first.Params["text"], "a=1&amp;b=2") {
		t.Errorf("the link in the reply is not escaped:\n%s", first.Params["text"])
	}
	if len(bs[0].CallbackData) > 64 {
		t.Errorf("callback data %q over 64 bytes", bs[0].CallbackData)
	}
	h.api.Press(u, first.Message(), bs[0].CallbackData)
	edits, err := h.api.WaitDelivered(waitCtx(t, 10*time.Second), "editMessageText", 1)
	if err != nil {
		t.Fatal(err)
	}
	e := edits[0]
	second := a.Answers[1].Excerpt
	if e.Params["message_id"] != strconv.Itoa(first.Message().ID) || !strings.Contains(e.Params["text"], esc(second)) {
		t.Errorf("edit = %v; want passage 2 of %d (%q) in place of the first reply", e.Params, n, second)
	}
	// A further passage is not the answer: no figure of its own in bold,
	// no "第 2/5 条结果" in the text (the buttons say where the reader is).
	if strings.Contains(e.Params["text"], "<b>") || strings.Contains(e.Params["text"], "条结果") {
		t.Errorf("passage 2 reads as an answer:\n%s", e.Params["text"])
	}
	var names []string
	for _, b := range e.Buttons() {
		names = append(names, b.Text)
	}
	if want := []string{"◀ 上一条", fmt.Sprintf("更多结果 (3/%d)", n), "原文"}; !slices.Equal(names, want) {
		t.Errorf("second page buttons = %q, want %q", names, want)
	}
	if _, err := h.api.WaitDelivered(waitCtx(t, 5*time.Second), "answerCallbackQuery", 1); err != nil {
		t.Error("callback query not answered")
	}

	// An unknown (expired) key gets a toast, not an edit.
	h.api.Press(u, first.Message(), "m:gone:1")
	acks, _ := h.api.WaitDelivered(waitCtx(t, 5*time.Second), "answerCallbackQuery", 2)
	if len(acks) < 2 || !strings.Contains(acks[1].Params["text"], "过期") {
		t.Errorf("expired press answered with %v", acks)
	}
	if n := len(h.api.Calls("editMessageText")); n != 1 {
		t.Errorf("%d edits, want 1", n)
	}
}

func TestRetryAfter429DeliversOnce(t *testing.T) {
	h := start(t, testConfig(), realEngine(t))
	h.api.Inject(bottest.Fault{Method: "sendMessage", Code: 429, RetryAfter: 1})
	u := bottest.User(6)
	_, id := h.api.SendText(bottest.PrivateChat(u), u, fangxianQ)
	h.replyTo(id)
	time.Sleep(300 * time.Millisecond) // a duplicate would show up by now
	calls := h.api.Calls("sendMessage")
	if len(calls) != 2 || calls[0].Status != 429 || !calls[1].OK() {
		t.Fatalf("sendMessage calls:%s\nwant a 429 then one success", summarize(calls))
	}
	if gap := calls[1].Time.Sub(calls[0].Time); gap < time.Second {
		t.Errorf("retried after %v, before retry_after (1s)", gap)
	}
	if n := len(h.api.Delivered("sendMessage")); n != 1 {
		t.Errorf("user received %d replies, want exactly 1", n)
	}
}

func TestRetryServerErrorsAndDroppedConnections(t *testing.T) {
	cfg := testConfig()
	cfg.Sender.Retry.AttemptTimeout = time.Second
	cfg.Sender.Retry.MaxAttempts = 6
	h := start(t, cfg, realEngine(t))
	h.api.Inject(bottest.Fault{Method: "sendMessage", Code: 500, Times: 2})
	h.api.Inject(bottest.Fault{Method: "sendMessage", Drop: true})
	h.api.Inject(bottest.Fault{Method: "sendMessage", Code: 502, Delay: 100 * time.Millisecond})
	h.api.Inject(bottest.Fault{Method: "sendMessage", Delay: 5 * time.Second}) // outlasts the attempt timeout
	u := bottest.User(7)
	_, id := h.api.SendText(bottest.PrivateChat(u), u, fangxianQ)
	h.replyTo(id)
	// The abandoned slow call is recorded when the fake notices the client
	// hung up, which can come just after the retry's reply: wait for it.
	_ = h.api.WaitFor(waitCtx(t, 3*time.Second), func(calls []bottest.Call) bool {
		n := 0
		for _, c := range calls {
			if c.Method == "sendMessage" {
				n++
			}
		}
		return n >= 6
	})
	calls := h.api.Calls("sendMessage")
	if len(calls) != 6 || len(h.api.Delivered("sendMessage")) != 1 {
		t.Errorf("sendMessage calls:%s\nwant 5 failures then 1 success", summarize(calls))
	}
	if got := h.srv.metrics.retries.Load(); got != 5 {
		t.Errorf("retries metric = %d, want 5", got)
	}
}

func TestSenderGivesUpOnBlockedAndBounded(t *testing.T) {
	api := bottest.New()
	defer api.Close()
	b := testBotClientURL(t, api.URL)
	s := NewSender(b, SenderConfig{Retry: RetryPolicy{MaxAttempts: 3, BaseBackoff: time.Millisecond}})
	ctx := context.Background()

	api.Inject(bottest.Fault{Method: "sendMessage", Code: 403, Description: "Forbidden: bot was blocked by the user"})
	_, err := s.Send(ctx, 11, "hi", nil)
	if !IsBlocked(err) || len(api.Calls("sendMessage")) != 1 {
		t.Errorf("403: err = %v (blocked %v), %d calls; want blocked after 1 call", err, IsBlocked(err), len(api.Calls("sendMessage")))
	}
	// Exactly MaxAttempts failures, so that none is left for the next case.
	api.Inject(bottest.Fault{Method: "sendMessage", Code: 500, Times: 3})
	_, err = s.Send(ctx, 12, "hi", nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Attempts != 3 || apiErr.Status != 500 {
		t.Errorf("500s: err = %#v; want APIError with status 500 after 3 attempts", err)
	}
	api.Inject(bottest.Fault{Method: "sendMessage", Code: 429, RetryAfter: 3600})
	before := len(api.Calls("sendMessage"))
	start := time.Now()
	_, err = s.Send(ctx, 13, "hi", nil)
	if err == nil || time.Since(start) > time.Second || len(api.Calls("sendMessage")) != before+1 {
		t.Errorf("429 asking for an hour: err = %v after %v, %d calls; want a prompt failure after 1 call", err, time.Since(start), len(api.Calls("sendMessage"))-before)
	}
	if !errors.As(err, &apiErr) || apiErr.Status != 429 {
		t.Errorf("429: err = %#v; want APIError with status 429", err)
	}
	if n := len(api.Calls("sendMessage")); n != 1+3+1 {
		t.Errorf("%d sendMessage calls in all, want 5", n)
	}
	for _, e := range []error{err, apiErr} {
		assertNoToken(t, "errors", fmt.Sprint(e))
	}
}

func testBotClientURL(t *testing.T, url string) *tgbot.Bot {
	t.Helper()
	b, err := tgbot.New(testToken, tgbot.WithSkipGetMe(), tgbot.WithServerURL(url))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBurst sends 200 questions from 20 users at once. Every question must
// be answered or covered by a rate-limit notice, and the sends must keep
// within the per-chat and global rates, measured on the fake server's clock.
func TestBurst(t *testing.T) {
	cfg := testConfig()
	cfg.UserBurst, cfg.UserEvery = 5, 10*time.Second // the burst outruns the refill
	cfg.Sender.PerChat = Rate{1, 50 * time.Millisecond}
	cfg.Sender.Global = Rate{30, 250 * time.Millisecond}
	h := start(t, cfg, realEngine(t))

	const users, each = 20, 10
	type q struct {
		user int64
		msg  int
		upd  int64
	}
	var qs []q
	for i := range users * each {
		u := bottest.User(int64(100 + i%users))
		upd, id := h.api.SendText(bottest.PrivateChat(u), u, fangxianQ)
		qs = append(qs, q{u.ID, id, upd})
	}
	// Expect per user: 5 answers and 1 notice.
	want := users * 6
	calls, err := h.api.WaitDelivered(waitCtx(t, 30*time.Second), "sendMessage", want)
	if err != nil {
		t.Fatalf("%d of %d replies: %v", len(calls), want, err)
	}
	time.Sleep(200 * time.Millisecond)
	calls = h.api.Delivered("sendMessage")
	if len(calls) != want {
		t.Errorf("%d replies, want %d", len(calls), want)
	}

	byReply := map[int]bottest.Call{}
	for _, c := range calls {
		if _, dup := byReply[c.ReplyTo()]; dup {
			t.Errorf("message %d got two replies", c.ReplyTo())
		}
		byReply[c.ReplyTo()] = c
	}
	var latencies []time.Duration
	perUser := map[int64][]q{}
	for _, x := range qs {
		perUser[x.user] = append(perUser[x.user], x)
	}
	for user, list := range perUser {
		// Each question is answered, or gets the notice, or is refused in
		// the same streak as the one that got it (the burst's questions
		// are handled concurrently, so which refusal comes first is
		// chance): nothing is lost.
		notices, answered, silent := 0, 0, 0
		for _, x := range list {
			c, ok := byReply[x.msg]
			switch {
			case ok && strings.Contains(c.Params["text"], "45件"):
				answered++
				latencies = append(latencies, c.Time.Sub(h.api.PushedAt(x.upd)))
			case ok && strings.Contains(c.Params["text"], "稍等"):
				notices++
			case !ok:
				silent++
			default:
				t.Errorf("user %d: question %d got %q", user, x.msg, c.Params["text"])
			}
			if ok && c.Params["chat_id"] != strconv.FormatInt(user, 10) {
				t.Errorf("reply to user %d went to chat %s", user, c.Params["chat_id"])
			}
		}
		if answered != 5 || notices != 1 {
			t.Errorf("user %d got %d answers and %d notices (%d refused silently), want 5 (the burst) and 1", user, answered, notices, silent)
		}
	}

	// Rates, from the fake server's arrival times of every send attempt.
	all := h.api.Calls("sendMessage")
	maxGlobal := maxInWindow(all, cfg.Sender.Global.Per)
	if maxGlobal > cfg.Sender.Global.N {
		t.Errorf("%d sends within %v overall; limit %d", maxGlobal, cfg.Sender.Global.Per, cfg.Sender.Global.N)
	}
	perChat := map[string][]bottest.Call{}
	for _, c := range all {
		perChat[c.Params["chat_id"]] = append(perChat[c.Params["chat_id"]], c)
	}
	maxChat := 0
	for _, cs := range perChat {
		maxChat = max(maxChat, maxInWindow(cs, cfg.Sender.PerChat.Per))
	}
	if maxChat > cfg.Sender.PerChat.N {
		t.Errorf("%d sends within %v to one chat; limit %d", maxChat, cfg.Sender.PerChat.Per, cfg.Sender.PerChat.N)
	}
	slices.Sort(latencies)
	span := all[len(all)-1].Time.Sub(all[0].Time)
	t.Logf("burst: %d questions, %d sends in %v (%.0f/s), max %d per %v overall (limit %d), max %d per %v per chat; latency p50 %v p99 %v; rate-limited %d",
		len(qs), len(all), span.Round(time.Millisecond), float64(len(all))/span.Seconds(),
		maxGlobal, cfg.Sender.Global.Per, cfg.Sender.Global.N, maxChat, cfg.Sender.PerChat.Per,
		pct(latencies, 50), pct(latencies, 99), h.srv.metrics.rateLimited.Load())
}

// maxInWindow is the most calls arriving within any window of length w,
// by the fake server's arrival stamps: what Telegram would count. No
// tolerance: the Sender counts a send until its answer is back, so the
// arrivals of any N+1 sends are at least Per apart.
func maxInWindow(calls []bottest.Call, w time.Duration) int {
	calls = slices.Clone(calls)
	slices.SortFunc(calls, func(a, b bottest.Call) int { return a.Time.Compare(b.Time) })
	best := 0
	for i := range calls {
		n := 0
		for j := i; j < len(calls) && calls[j].Time.Sub(calls[i].Time) < w; j++ {
			n++
		}
		best = max(best, n)
	}
	return best
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)-1, len(d)*p/100)].Round(time.Millisecond)
}

func TestMalformedUpdatesDoNotStopTheBot(t *testing.T) {
	ask := &faultyAsker{real: realEngine(t), fn: func(_ context.Context, q string) (*answer.Answer, error) {
		if q == "PANIC" {
			panic("engine exploded")
		}
		return nil, nil
	}}
	h := start(t, testConfig(), ask)
	u := bottest.User(8)
	for _, raw := range []string{
		`{"message": "not an object"}`,
		`{"message": {"message_id": 1, "date": 1, "chat": {"id": 8, "type": "private"}, "text": "no sender"}}`,
		`{"message": {"message_id": 2, "date": 1, "chat": {"id": 8, "type": "private"}, "from": {"id": 8}, "sticker": {"file_id": "x"}}}`,
		`{"message": {"message_id": 3, "date": 1, "chat": {"id": 8, "type": "private"}, "from": {"id": 8}, "photo": [{"file_id": "x"}]}}`,
		`{"message": {"message_id": 4, "date": 1, "chat": {"id": 8, "type": "private"}, "from": {"id": 8}, "text": "/x", "entities": [{"type": "bot_command", "offset": 0, "length": 99}]}}`,
		`{"message": {"message_id": 5, "date": 1, "chat": {"id": 0}, "from": {"id": 8}, "text": "no chat"}}`,
		`{"edited_message": {"message_id": 6, "date": 1, "chat": {"id": 8, "type": "private"}, "from": {"id": 8}, "text": "edited"}}`,
		`{"channel_post": {"message_id": 7, "date": 1, "chat": {"id": -5, "type": "channel"}, "text": "post"}}`,
		`{"callback_query": {"id": "c1", "from": {"id": 8}, "data": "m:x:notanumber"}}`,
		`{"callback_query": {"id": "c2", "from": {"id": 8}, "data": "q:1"}}`,
		`{"inline_query": {"id": "i1", "query": "no sender"}}`,
		`{"poll": {"id": "p"}}`,
		`{"message": {"message_id": "NaN"}}`,
		`42`,
	} {
		h.api.PushRaw(raw)
	}
	_, boom := h.api.SendText(bottest.PrivateChat(u), u, "PANIC")
	_, id := h.api.SendText(bottest.PrivateChat(u), u, fangxianQ)
	if c := h.replyTo(id); !strings.Contains(c.Params["text"], "45件") {
		t.Errorf("the bot no longer answers after the malformed updates: %s", c.Params["text"])
	}
	time.Sleep(200 * time.Millisecond)
	if got := h.srv.metrics.panics.Load(); got != 1 {
		t.Errorf("panics metric = %d, want 1", got)
	}
	for _, c := range h.api.Delivered("sendMessage") {
		if c.ReplyTo() == boom {
			t.Errorf("got a reply to the panicking question: %s", c.Params["text"])
		}
		switch c.ReplyTo() {
		case id:
		case 4:
			// "/x" whose entity runs past the text: the entity is ignored
			// and "/x" is still an unknown command in a private chat.
			if !strings.Contains(c.Params["text"], "没有这个命令") {
				t.Errorf("reply to the unknown command /x: %.80s", c.Params["text"])
			}
		default:
			t.Errorf("unexpected reply to %d: %.80s", c.ReplyTo(), c.Params["text"])
		}
	}
	if n := h.srv.cl.dropped.Load(); n < 3 {
		t.Errorf("%d undecodable updates skipped, want at least 3", n)
	}
}

func TestTooLongAndEmptyQuestions(t *testing.T) {
	var asked atomic.Int32
	ask := &faultyAsker{real: realEngine(t), fn: func(_ context.Context, q string) (*answer.Answer, error) {
		asked.Add(1)
		return nil, nil
	}}
	h := start(t, testConfig(), ask)
	u := bottest.User(9)
	_, long := h.api.SendText(bottest.PrivateChat(u), u, strings.Repeat("问", 501))
	h.api.SendText(bottest.PrivateChat(u), u, "   ")
	c := h.replyTo(long)
	if want := esc(answer.CheckLength(strings.Repeat("问", 501), 0).Error()); c.Params["text"] != want {
		t.Errorf("long question answered with %q, want %q (the message of every medium)", c.Params["text"], want)
	}
	time.Sleep(100 * time.Millisecond)
	if asked.Load() != 0 || len(h.api.Calls("sendMessage")) != 1 {
		t.Errorf("engine asked %d times, %d sends; want 0 and 1", asked.Load(), len(h.api.Calls("sendMessage")))
	}
}

func TestAbstentionIsFriendly(t *testing.T) {
	h := start(t, testConfig(), realEngine(t))
	u := bottest.User(10)
	_, id := h.api.SendText(bottest.PrivateChat(u), u, "火星基地今年建了几座?")
	c := h.replyTo(id)
	if !strings.Contains(c.Params["text"], "没有找到") || len(c.Buttons()) != 0 {
		t.Errorf("abstention = %q with buttons %v", c.Params["text"], c.Buttons())
	}
}

func TestCommands(t *testing.T) {
	cfg := testConfig()
	cfg.UserBurst = 100 // one user tries every command: commands count against the per-user limit
	h := start(t, cfg, catalogEngine(t))
	h.srv.Handle(Command{Name: "subscribe", Description: "订阅新报告", Handle: func(ctx context.Context, r *Request) error {
		_, err := r.Reply(ctx, "已订阅 "+esc(r.Args), nil)
		return err
	}})
	reg := h.api.Delivered("setMyCommands")
	if len(reg) != 1 {
		t.Fatalf("setMyCommands called %d times", len(reg))
	}
	for _, c := range []string{"start", "help", "ask", "reports", "latest"} {
		if !strings.Contains(reg[0].Params["commands"], `"command":"`+c+`"`) {
			t.Errorf("setMyCommands lacks %s: %s", c, reg[0].Params["commands"])
		}
	}
	u := bottest.User(11)
	chat := bottest.PrivateChat(u)

	_, id := h.api.SendText(chat, u, "/start")
	st := h.replyTo(id)
	if bs := st.Buttons(); len(bs) != 3 || !strings.HasPrefix(bs[0].CallbackData, "q:") {
		t.Fatalf("/start buttons = %+v; want 3 examples", bs)
	}
	h.api.Press(u, st.Message(), st.Buttons()[0].CallbackData)
	if err := h.api.WaitFor(waitCtx(t, 5*time.Second), func(calls []bottest.Call) bool {
		for _, c := range calls {
			if c.Method == "sendMessage" && c.ReplyTo() == 0 && strings.Contains(c.Params["text"], "<blockquote>") {
				return true
			}
		}
		return false
	}); err != nil {
		t.Errorf("pressing an example did not answer it")
	}

	tests := []struct {
		text string
		want []string
		not  []string
	}{
		{"/help", []string{"/ask", "/reports", "/subscribe — 订阅新报告"}, nil},
		{"/reports 湖北 2025", []string{"2025年湖北省政府工作报告", "共 1 份"}, []string{"2026年", "房县", "国务院"}},
		{"/reports 湖北", []string{"2026年湖北省政府工作报告", "2025年湖北省政府工作报告", "共 2 份"}, []string{"房县", "国务院"}},
		{"/reports 2024", []string{"房县人民政府关于2023年度法治政府建设工作报告", "共 1 份"}, []string{"湖北"}},
		{"/reports", []string{"共 4 份", "国务院", "房县"}, nil},
		{"/latest", []string{"最新", "2026年湖北省政府工作报告"}, nil},
		{"/subscribe 湖北", []string{"已订阅 湖北"}, nil},
		{"/nosuch", []string{"没有这个命令"}, nil},
		{"/ask", []string{"用法"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			_, id := h.api.SendText(chat, u, tt.text)
			got := h.replyTo(id).Params["text"]
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s reply lacks %q:\n%s", tt.text, w, got)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("%s reply has %q:\n%s", tt.text, w, got)
				}
			}
		})
	}
	t.Run("newest first", func(t *testing.T) {
		_, id := h.api.SendText(chat, u, "/reports")
		got := h.replyTo(id).Params["text"]
		order := []string{"2026年湖北省政府工作报告", "2025年湖北省政府工作报告", "房县人民政府关于2023年度"}
		for i := 1; i < len(order); i++ {
			if a, b := strings.Index(got, order[i-1]), strings.Index(got, order[i]); a < 0 || b < 0 || a > b {
				t.Errorf("%s is not listed before %s:\n%s", order[i-1], order[i], got)
			}
		}
	})
}

func TestWebhook(t *testing.T) {
	cfg := testConfig()
	cfg.WebhookURL = "https://bot.example.org/tg/hook"
	cfg.WebhookSecret = "s3cret-hook"
	cfg.Listen = "127.0.0.1:0"
	h := start(t, cfg, realEngine(t))
	if url, secret := h.api.Webhook(); url != cfg.WebhookURL || secret != cfg.WebhookSecret {
		t.Errorf("setWebhook(%q, %q)", url, secret)
	}
	addr := h.srv.Addr()
	if addr == "" {
		t.Fatal("no listen address")
	}
	u := bottest.User(12)
	post := func(secret string, body string) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/tg/hook", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		return httpStatus(t, req)
	}
	m := h.api.NewMessage(bottest.PrivateChat(u), u, "行政复议")
	body := fmt.Sprintf(`{"update_id": 1, "message": {"message_id": %d, "date": 1, "chat": {"id": 12, "type": "private"}, "from": {"id": 12, "first_name": "U"}, "text": "行政复议"}}`, m.ID)
	for _, tt := range []struct {
		name, secret string
		want         int
	}{
		{"no secret", "", http.StatusUnauthorized},
		{"wrong secret", "guess", http.StatusUnauthorized},
		{"right secret", cfg.WebhookSecret, http.StatusOK},
	} {
		if got := post(tt.secret, body); got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
		}
	}
	h.replyTo(m.ID)
	if post(cfg.WebhookSecret, `{"update_id": 2, "message": "garbage"}`) != http.StatusOK {
		t.Error("a malformed update should be acknowledged, not retried forever")
	}
	if n := len(h.api.Delivered("sendMessage")); n != 1 {
		t.Errorf("%d replies, want 1 (only the right secret)", n)
	}
	if len(h.api.Calls("getUpdates")) != 0 {
		t.Error("webhook mode polled getUpdates")
	}
}

func TestGracefulShutdownFinishesReplies(t *testing.T) {
	started := make(chan struct{})
	ask := &faultyAsker{real: realEngine(t), fn: func(ctx context.Context, q string) (*answer.Answer, error) {
		close(started)
		select {
		case <-time.After(700 * time.Millisecond): // a slow engine
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return nil, nil
	}}
	h := start(t, testConfig(), ask)
	u := bottest.User(13)
	_, id := h.api.SendText(bottest.PrivateChat(u), u, "行政复议")
	<-started
	if err := h.shutdown(); err != nil {
		t.Errorf("Run: %v", err)
	}
	// Run has returned: the reply must already be there.
	found := false
	for _, c := range h.api.Delivered("sendMessage") {
		found = found || c.ReplyTo() == id
	}
	if !found {
		t.Error("the reply in flight was dropped on shutdown")
	}
}

func TestHealthAndMetrics(t *testing.T) {
	h := start(t, testConfig(), realEngine(t))
	u := bottest.User(14)
	_, id := h.api.SendText(bottest.PrivateChat(u), u, fangxianQ)
	h.replyTo(id)
	ts := httptest.NewServer(h.srv.Handler())
	defer ts.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	// The latency is observed once the send has returned, a moment after
	// the fake server recorded it.
	code, body := get("/metrics")
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(body, "govbot_reply_seconds_count 1\n") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		code, body = get("/metrics")
	}
	for _, want := range []string{
		"govbot_questions_total 1\n", "govbot_answered_total 1\n", "govbot_answered_ratio 1\n",
		"# TYPE govbot_reply_seconds histogram", "govbot_reply_seconds_count 1\n", `govbot_reply_seconds_bucket{le="+Inf"} 1`,
		"# TYPE govbot_telegram_errors_total counter",
	} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	h.shutdown()
	if code, _ := get("/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("/healthz after shutdown = %d, want 503", code)
	}
}

func TestTokenNeverLeaks(t *testing.T) {
	logs := &syncbuf.Buffer{}
	t.Run("unreachable API", func(t *testing.T) {
		cfg := testConfig()
		cfg.Token = testToken
		cfg.APIURL = "http://127.0.0.1:1" // nothing listens there
		cfg.Sender.Retry.MaxAttempts = 2
		cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
		s, err := New(cfg, realEngine(t))
		if err != nil {
			t.Fatal(err)
		}
		err = s.Run(context.Background())
		if err == nil {
			t.Fatal("Run succeeded without an API")
		}
		assertNoToken(t, "Run's error", err.Error())
	})
	t.Run("failing requests", func(t *testing.T) {
		h := start(t, testConfig(), realEngine(t))
		h.api.Inject(bottest.Fault{Method: "sendMessage", Code: 400, Description: "Bad Request: chat " + testToken + " not found"})
		h.api.Inject(bottest.Fault{Method: "getUpdates", Code: 502})
		u := bottest.User(15)
		h.api.SendText(bottest.PrivateChat(u), u, "行政复议")
		h.api.WaitFor(waitCtx(t, 5*time.Second), func(calls []bottest.Call) bool {
			return slices.ContainsFunc(calls, func(c bottest.Call) bool { return c.Method == "sendMessage" })
		})
		time.Sleep(300 * time.Millisecond)
		if !strings.Contains(h.logs.String(), "reply failed") {
			t.Errorf("the failure was not logged:\n%s", h.logs)
		}
		// The harness's cleanup checks h.logs for the token.
		logs.Write([]byte(h.logs.String()))
	})
	t.Run("the bot's own calls carried the token", func(t *testing.T) {
		// Guard against a vacuous pass: the token was really in use.
		api := bottest.New()
		defer api.Close()
		h := start(t, testConfig(), realEngine(t))
		if calls := h.api.Calls("getMe"); len(calls) == 0 || calls[0].Token != testToken {
			t.Errorf("getMe was not called with the token")
		}
	})
	assertNoToken(t, "logs", logs.String())
}

// TestBusyGroupDoesNotStallPrivateChats floods a group far past its rate
// limit. Replies beyond the per-chat queue are dropped at once instead of
// holding workers, so a private question still gets its answer.
func TestBusyGroupDoesNotStallPrivateChats(t *testing.T) {
	cfg := testConfig()
	cfg.Workers = 4
	cfg.ShutdownGrace = time.Second
	cfg.Sender.PerGroup = Rate{1, time.Hour} // one reply, then the group is saturated
	cfg.Sender.MaxQueue = 2
	h := start(t, cfg, realEngine(t))
	g := bottest.GroupChat(-2002, "很忙的群")
	const asks = 10
	for i := range asks {
		h.api.SendText(g, bottest.User(int64(300+i)), "/ask "+fangxianQ)
	}
	if _, err := h.api.WaitDelivered(waitCtx(t, 10*time.Second), "sendMessage", 1); err != nil {
		t.Fatal("the group got no reply at all")
	}
	if err := h.api.WaitFor(waitCtx(t, 10*time.Second), func([]bottest.Call) bool {
		return h.srv.metrics.chatBusy.Load() >= uint64(asks-1-cfg.Sender.MaxQueue)
	}); err != nil {
		t.Errorf("%d replies dropped as busy, want %d", h.srv.metrics.chatBusy.Load(), asks-1-cfg.Sender.MaxQueue)
	}
	u := bottest.User(399)
	_, id := h.api.SendText(bottest.PrivateChat(u), u, fangxianQ)
	if c := h.replyTo(id); !strings.Contains(c.Params["text"], "45件") {
		t.Errorf("private reply = %q", c.Params["text"])
	}
	if n := len(h.api.Delivered("sendMessage")); n != 2 {
		t.Errorf("%d messages delivered, want 2 (one group reply, the private one)", n)
	}
	if !strings.Contains(h.logs.String(), "too many messages waiting") {
		t.Error("dropped replies were not logged")
	}
}

// TestGroupRate asks 20 questions at once in one group: every one is
// answered, and the group's replies keep within the per-group rate
// (scaled down from 20 a minute), measured on the fake server's clock.
func TestGroupRate(t *testing.T) {
	cfg := testConfig()
	cfg.Sender.PerGroup = Rate{5, 500 * time.Millisecond}
	cfg.Sender.MaxQueue = 30
	h := start(t, cfg, realEngine(t))
	g := bottest.GroupChat(-3003, "政务群")
	const asks = 20
	for i := range asks {
		h.api.SendText(g, bottest.User(int64(500+i)), "/ask "+fangxianQ)
	}
	calls, err := h.api.WaitDelivered(waitCtx(t, 20*time.Second), "sendMessage", asks)
	if err != nil {
		t.Fatalf("%d of %d group replies: %v", len(calls), asks, err)
	}
	all := h.api.Calls("sendMessage")
	if n := maxInWindow(all, cfg.Sender.PerGroup.Per); n > cfg.Sender.PerGroup.N {
		t.Errorf("%d group sends within %v; limit %d", n, cfg.Sender.PerGroup.Per, cfg.Sender.PerGroup.N)
	}
	if n := maxInWindow(all, cfg.Sender.PerChat.Per); n > cfg.Sender.PerChat.N {
		t.Errorf("%d sends within %v to the group; per-chat limit %d", n, cfg.Sender.PerChat.Per, cfg.Sender.PerChat.N)
	}
	span := all[len(all)-1].Time.Sub(all[0].Time)
	t.Logf("group: %d replies in %v, max %d per %v (limit %d)", len(all), span.Round(time.Millisecond), maxInWindow(all, cfg.Sender.PerGroup.Per), cfg.Sender.PerGroup.Per, cfg.Sender.PerGroup.N)
}

// TestFollowUpRefersToTheChatsReport: among several reports, "这份报告" in
// a follow-up means the report the same chat was just answered from, and
// another chat's conversation does not leak into it.
func TestFollowUpRefersToTheChatsReport(t *testing.T) {
	h := start(t, testConfig(), catalogEngine(t))
	const followUp = "这份报告的发布机构是谁"
	u1, u2 := bottest.User(1), bottest.User(2)

	_, id := h.api.SendText(bottest.PrivateChat(u1), u1, fangxianQ)
	if text := h.replyTo(id).Params["text"]; !strings.Contains(text, "45件") {
		t.Fatalf("first answer lacks 45件:\n%s", text)
	}
	_, id = h.api.SendText(bottest.PrivateChat(u1), u1, followUp)
	if text := h.replyTo(id).Params["text"]; !strings.Contains(text, "房县人民政府") {
		t.Errorf("follow-up in the same chat does not name the Fang County report's issuer:\n%s", text)
	}

	_, id = h.api.SendText(bottest.PrivateChat(u2), u2, followUp)
	if text := h.replyTo(id).Params["text"]; strings.Contains(text, "房县") {
		t.Errorf("another chat's follow-up was answered from chat 1's report:\n%s", text)
	}
}
