package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/bot/bottest"
	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/sharedtest"
	"github.com/govbot/govbot/store"
)

// The full engine: every shared report (../shared/reports and
// ../shared/reports-local) in a real on-disk index, built once per test
// binary and removed by TestMain.
var (
	fullOnce sync.Once
	fullEng  *answer.Engine
	fullErr  error
	fullDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopPG() // the PostgreSQL server of stateBackends
	if fullEng != nil {
		fullEng.Close()
	}
	if fullDir != "" {
		os.RemoveAll(fullDir)
	}
	os.Exit(code)
}

func fullEngine(t *testing.T) *answer.Engine {
	t.Helper()
	shared := sharedtest.Dir(t)
	fullOnce.Do(func() {
		fullErr = func() error {
			dir, err := os.MkdirTemp("", "govbot-bot-test-")
			if err != nil {
				return err
			}
			fullDir = dir
			var reps []*corpus.Report
			for _, sub := range []string{"reports", "reports-local"} {
				rs, errs := corpus.LoadDir(filepath.Join(shared, sub))
				if len(errs) > 0 {
					return errors.Join(errs...)
				}
				reps = append(reps, rs...)
			}
			if _, err := index.Update(context.Background(), dir, reps); err != nil {
				return err
			}
			fullEng, err = answer.Open(dir)
			return err
		}()
	})
	if fullErr != nil {
		t.Fatalf("full engine: %v", fullErr)
	}
	return fullEng
}

// adminID is the admin recorded in the chat harness's store.
const adminID = 9001

// chatHarness is the bot over the full engine with feedback stored in a
// real bbolt store, no per-user limit, against the fake Bot API.
type chatHarness struct {
	*harness
	st  *store.Store
	eng *answer.Engine
}

func startChat(t *testing.T) *chatHarness {
	t.Helper()
	eng := fullEngine(t)
	st := tempStore(t)
	if err := st.SetAdmins(adminID); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.UserBurst = -1
	h := startWith(t, cfg, eng, func(s *Server) { s.EnableFeedback(st) })
	return &chatHarness{harness: h, st: st, eng: eng}
}

// ask sends q from user in chat and returns the bot's reply.
func (h *chatHarness) ask(chat models.Chat, from models.User, q string) bottest.Call {
	h.t.Helper()
	_, id := h.api.SendText(chat, from, q)
	return h.replyTo(id)
}

var (
	tagRe    = regexp.MustCompile(`<[^>]*>`)
	urlRe    = regexp.MustCompile(`https?://[^\s]+`)
	numberRe = regexp.MustCompile(`\d+(?:\.\d+)?`)
	labelRe  = regexp.MustCompile(`（[^（）\n]*）`)
)

// plainText is what a Telegram reader sees of an HTML message.
func plainText(s string) string { return html.UnescapeString(tagRe.ReplaceAllString(s, "")) }

func counts(xs []string) map[string]int {
	m := map[string]int{}
	for _, x := range xs {
		m[x]++
	}
	return m
}

// parity compares the terminal reply with the Telegram message of the same
// answer and returns what one shows and the other does not: numbers (every
// figure, year and date, counted), labels in （）, and every line of the
// terminal reply other than the citation (headline with its qualifier,
// caveat, reason, comparison rows, excerpt).
func parity(terminal, telegram string) []string {
	tg := plainText(telegram)
	term := strings.NewReplacer("【", "", "】", "").Replace(urlRe.ReplaceAllString(terminal, ""))
	var diffs []string
	a, b := counts(numberRe.FindAllString(term, -1)), counts(numberRe.FindAllString(tg, -1))
	for n, k := range a {
		if b[n] < k {
			diffs = append(diffs, fmt.Sprintf("number %s: %d× in the terminal, %d× in Telegram", n, k, b[n]))
		}
	}
	for n, k := range b {
		if a[n] < k {
			diffs = append(diffs, fmt.Sprintf("number %s: %d× in Telegram, %d× in the terminal", n, k, a[n]))
		}
	}
	for _, l := range labelRe.FindAllString(term, -1) {
		if !strings.Contains(tg, l) {
			diffs = append(diffs, "label "+l+" missing in Telegram")
		}
	}
	for _, l := range labelRe.FindAllString(tg, -1) {
		if !strings.Contains(term, l) {
			diffs = append(diffs, "label "+l+" missing in the terminal")
		}
	}
	for _, line := range strings.Split(term, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "链接："):
		case (strings.HasPrefix(line, "出处：") || strings.HasPrefix(line, "——")) && strings.Contains(line, "》"):
			title := line[strings.Index(line, "《"):]
			title = title[:strings.Index(title, "》")+len("》")]
			if !strings.Contains(tg, title) {
				diffs = append(diffs, "citation "+title+" missing in Telegram")
			}
		case strings.HasPrefix(line, "报告涉及的内容包括："):
			for _, s := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "报告涉及的内容包括："), "。"), "；") {
				if !strings.Contains(tg, s) {
					diffs = append(diffs, "suggestion "+s+" missing in Telegram")
				}
			}
		default:
			if !strings.Contains(tg, line) {
				diffs = append(diffs, fmt.Sprintf("line %q missing in Telegram", line))
			}
		}
	}
	return diffs
}

func TestParityHelperCatchesDrops(t *testing.T) {
	term := "134.9万亿元（2025年目标）\n国内生产总值达到【134.9万亿元】。\n出处：《报告》 › 一、2024年工作回顾 · 国务院 · 2025-03-05"
	good := "<b>134.9万亿元</b>（2025年目标）\n\n<blockquote>国内生产总值达到<b><u>134.9万亿元</u></b>。</blockquote>\n📄 《报告》\n国务院 · 2025-03-05\n📍 一、2024年工作回顾"
	if d := parity(term, good); len(d) > 0 {
		t.Errorf("same answer reported as different: %v", d)
	}
	for _, bad := range []string{
		strings.Replace(good, "（2025年目标）", "", 1),               // qualifier dropped
		strings.Replace(good, "📍 一、2024年工作回顾", "", 1),           // a year dropped
		strings.Replace(good, "<b>134.9万亿元</b>", "<b>1</b>", 1), // another figure
		good + "\n（较上年 +4.4%）",                                  // a label only in Telegram
	} {
		if d := parity(term, bad); len(d) == 0 {
			t.Errorf("parity missed a difference:\n%s", bad)
		}
	}
}

// TestParityAllEvalSets asks every question of every ../shared/eval set
// through the real client and the fake Bot API and compares each Telegram
// reply with the terminal reply of the same answer: a figure, year, label,
// caveat or citation shown in one and not the other fails. Every reply has
// the feedback buttons, and a chart follows exactly the comparisons of
// three or more years.
func TestParityAllEvalSets(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes every shared report; skipped with -short")
	}
	h := startChat(t)
	files, err := filepath.Glob(filepath.Join(sharedtest.Eval(t), "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no eval sets: %v", err)
	}
	n, charts := 0, 0
	for _, f := range files {
		items, err := answer.ReadEvalItems(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			n++
			u := bottest.User(int64(100000 + n)) // a fresh conversation each
			a, err := h.eng.Ask(context.Background(), it.Q)
			if err != nil {
				t.Fatal(err)
			}
			_, id := h.api.SendText(bottest.PrivateChat(u), u, it.Q)
			c := h.replyTo(id)
			for _, d := range parity(a.Reply, c.Params["text"]) {
				t.Errorf("%s %s %q: %s\n--- terminal:\n%s\n--- telegram:\n%s", filepath.Base(f), it.ID, it.Q, d, a.Reply, c.Params["text"])
			}
			if !hasFeedbackButtons(c) {
				t.Errorf("%s %q: no feedback buttons: %+v", filepath.Base(f), it.Q, c.Buttons())
			}
			if chartable(a) {
				charts++
				photoReplyingTo(t, h.api, id)
			}
		}
	}
	time.Sleep(100 * time.Millisecond) // a stray chart has time to show up
	if got := len(h.api.Calls("sendPhoto")); got != charts {
		t.Errorf("%d charts sent for %d comparisons of 3+ years", got, charts)
	}
	t.Logf("%d questions, %d charts", n, charts)
	if n < 100 {
		t.Errorf("only %d eval questions found", n)
	}
}

func hasFeedbackButtons(c bottest.Call) bool {
	var wrong, helpful bool
	for _, b := range c.Buttons() {
		wrong = wrong || strings.Contains(b.Text, "答案有误") && strings.HasPrefix(b.CallbackData, "f:")
		helpful = helpful || strings.Contains(b.Text, "有帮助") && strings.HasPrefix(b.CallbackData, "f:")
	}
	return wrong && helpful
}

// photoReplyingTo waits for the chart sent in reply to message id and
// checks it is a PNG with a caption.
func photoReplyingTo(t *testing.T, api *bottest.Server, id int) bottest.Call {
	t.Helper()
	var got bottest.Call
	err := api.WaitFor(waitCtx(t, 10*time.Second), func(calls []bottest.Call) bool {
		for _, c := range calls {
			if c.Method == "sendPhoto" && c.OK() && c.ReplyTo() == id {
				got = c
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no chart in reply to %d", id)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader([]byte(got.Params["photo"])))
	if err != nil || cfg.Width < 200 || cfg.Height < 100 {
		t.Errorf("chart is not a PNG of a useful size: %v %+v", err, cfg)
	}
	if got.Params["caption"] == "" {
		t.Error("chart without a caption")
	}
	return got
}

// goldenKinds are the kinds of answer a chat user meets, each with
// questions that may show it (the first that does is used) and what makes
// an answer of that kind.
var goldenKinds = []struct {
	kind      string
	questions []string
	is        func(v answer.View) bool
}{
	{"figure", []string{"2018年GDP增长了多少", "2019年国内生产总值达到多少万亿"}, func(v answer.View) bool {
		return v.Headline != "" && v.Qualifier == "" && v.Passage != nil && v.Passage.Mark != ""
	}},
	{"target", []string{"今年城镇新增就业目标是多少", "黑龙江今年城镇新增就业目标多少人", "请问安徽今年城镇新增就业目标是多少"}, func(v answer.View) bool {
		return v.Headline != "" && (strings.Contains(v.Qualifier, "目标") || v.Passage != nil && v.Passage.Source.Period == "target")
	}},
	{"no_year_note", []string{"湖北地区生产总值是多少", "北京地区生产总值是多少", "深圳地区生产总值是多少"}, func(v answer.View) bool { return regexp.MustCompile(`^\d{4}年$`).MatchString(v.Qualifier) }},
	{"place_label", []string{"粮食产量是多少亿斤", "地区生产总值达到多少亿元", "全省生产总值是多少", "进出口总额增长了多少"}, func(v answer.View) bool {
		return v.Qualifier != "" && !regexp.MustCompile(`^\d{4}年(目标)?$`).MatchString(v.Qualifier)
	}},
	{"compare_years", []string{"湖北2024年和2025年地区生产总值对比", "全国城镇新增就业这几年分别是多少"}, func(v answer.View) bool { return len(v.Rows) >= 2 && !strings.Contains(v.Rows[0].Label, " ") }},
	{"compare_places", []string{"北京和上海去年地区生产总值对比", "海南和西藏今年地区生产总值增长目标对比"}, func(v answer.View) bool { return len(v.Rows) >= 2 && strings.Contains(v.Rows[0].Label, " ") }},
	{"list", []string{"湖北今年的重点工作有哪些", "2026年湖北省政府工作报告的重点工作有哪些"}, func(v answer.View) bool {
		return v.Passage != nil && strings.Count(v.Passage.Excerpt(), "\n") >= 2
	}},
	{"passage", []string{"内卷式竞争国家准备怎么整治", "政府工作报告里关于延迟退休是怎么说的"}, func(v answer.View) bool { return v.Headline == "" && v.Caveat == "" && v.Passage != nil }},
	{"no_number_caveat", []string{"房县去年普法宣传覆盖了多少人", "北京今年公共交通方面投入多少钱", "天津今年提振消费花了多少钱", "江西今年养老服务投入多少亿元"}, func(v answer.View) bool { return v.Caveat != "" && v.Passage != nil }},
	{"abstention", []string{"全国去年电影票房多少亿", "罗湖区今年房价多少"}, func(v answer.View) bool { return v.Abstain && len(v.Suggestions) > 0 }},
	{"unknown_place", []string{"青岛去年GDP是多少", "十堰GDP是多少"}, func(v answer.View) bool {
		return v.Abstain && strings.Contains(v.Reason, "没有") && len(v.Suggestions) == 0
	}},
}

// TestGoldenKinds sends a question of each answer kind through the fake
// Bot API and compares the message with testdata/chat_<kind>.golden
// (go test ./bot -run TestGoldenKinds -update rewrites them).
func TestGoldenKinds(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes every shared report; skipped with -short")
	}
	h := startChat(t)
	for i, k := range goldenKinds {
		t.Run(k.kind, func(t *testing.T) {
			var q string
			for _, c := range k.questions {
				a, err := h.eng.Ask(context.Background(), c)
				if err != nil {
					t.Fatal(err)
				}
				if k.is(answer.Layout(a)) {
					q = c
					break
				}
			}
			if q == "" {
				t.Fatalf("none of %q gives an answer of kind %s any more: pick another question", k.questions, k.kind)
			}
			u := bottest.User(int64(200 + i))
			c := h.ask(bottest.PrivateChat(u), u, q)
			golden(t, "chat_"+k.kind, "Q: "+q+"\n\n"+c.Params["text"])
		})
	}
}

// TestFollowUpInChat: "那湖南呢？" after a question about 湖北 answers about
// 湖南, in a private chat and per user in a group, where another member's
// conversation does not carry over. The follow-up itself is the engine's
// (the answer-quality issue): until the engine resolves it in a Session the
// test skips, saying so; the per-user sessions are checked regardless with
// the engine's "这份报告" follow-up.
func TestFollowUpInChat(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes every shared report; skipped with -short")
	}
	h := startChat(t)
	const first, follow = "湖北去年地区生产总值是多少", "那湖南呢？"
	g := bottest.GroupChat(-100777, "政务群")
	a, b := bottest.User(31), bottest.User(32)
	me := "@" + bottest.BotUser.Username + " "

	// Per user in a group: a asks about 房县's report, b's "这份报告" is not a's.
	if text := h.ask(g, a, me+fangxianQ).Params["text"]; !strings.Contains(text, "45件") {
		t.Fatalf("first answer lacks 45件:\n%s", text)
	}
	const whose = "这份报告的发布机构是谁"
	if text := h.ask(g, b, me+whose).Params["text"]; strings.Contains(text, "房县人民政府") {
		t.Errorf("user b's follow-up was answered from user a's conversation:\n%s", text)
	}
	if text := h.ask(g, a, me+whose).Params["text"]; !strings.Contains(text, "房县人民政府") {
		t.Errorf("user a's follow-up in the group lost a's conversation:\n%s", text)
	}

	// 那湖南呢: the engine's follow-up.
	s := new(answer.Session)
	if _, err := h.eng.AskIn(context.Background(), s, first); err != nil {
		t.Fatal(err)
	}
	if fa, err := h.eng.AskIn(context.Background(), s, follow); err != nil || fa.Reply == "" || !strings.Contains(fa.Reply, "湖南") {
		t.Skip("DEPENDS ON THE LEAD'S WORK: the engine does not answer 那湖南呢 in a Session yet (answer-quality issue); the chat side is ready")
	}
	p := bottest.User(33)
	if text := h.ask(bottest.PrivateChat(p), p, first).Params["text"]; !strings.Contains(text, "湖北") {
		t.Fatalf("first answer is not about 湖北:\n%s", text)
	}
	if text := h.ask(bottest.PrivateChat(p), p, follow).Params["text"]; !strings.Contains(text, "湖南") || strings.Contains(text, "湖北省人民政府") {
		t.Errorf("那湖南呢 in a private chat is not about 湖南:\n%s", text)
	}
	h.ask(g, a, me+first)
	if text := h.ask(g, a, me+follow).Params["text"]; !strings.Contains(text, "湖南") {
		t.Errorf("那湖南呢 in a group is not about 湖南:\n%s", text)
	}
}

// TestReportsPaging pages through every indexed report with the buttons,
// newest first, and filters by year with the year buttons.
func TestReportsPaging(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes every shared report; skipped with -short")
	}
	h := startChat(t)
	all := h.eng.Reports()
	if len(all) < 123 {
		t.Fatalf("%d reports indexed, want the 123+ shared ones", len(all))
	}
	u := bottest.User(41)
	c := h.ask(bottest.PrivateChat(u), u, "/reports")
	msg := c.Message()
	var listed []string
	itemRe := regexp.MustCompile(`(?m)^\d+\. (?:<a [^>]*>)?《([^》]*)》`)
	text := c.Params["text"]
	for page := 1; ; page++ {
		for _, m := range itemRe.FindAllStringSubmatch(text, -1) {
			listed = append(listed, html.UnescapeString(m[1]))
		}
		for _, bad := range []string{" 段", "个数字"} {
			if strings.Contains(text, bad) {
				t.Fatalf("page %d shows %q:\n%s", page, bad, text)
			}
		}
		next := ""
		for _, b := range c.Buttons() {
			if strings.Contains(b.Text, "下一页") {
				next = b.CallbackData
			}
		}
		if next == "" {
			break
		}
		before := len(h.api.Delivered("editMessageText"))
		h.api.Press(u, msg, next)
		edits, err := h.api.WaitDelivered(waitCtx(t, 10*time.Second), "editMessageText", before+1)
		if err != nil {
			t.Fatalf("page %d: no edit", page+1)
		}
		c = edits[len(edits)-1]
		text = c.Params["text"]
		if page > len(all) {
			t.Fatal("paging does not end")
		}
	}
	if len(listed) != len(all) {
		t.Fatalf("paged through %d reports, %d indexed", len(listed), len(all))
	}
	for i, r := range all {
		if want := strings.Trim(r.Title, "《》"); listed[i] != want {
			t.Fatalf("report %d listed as %q, want %q (newest first)", i+1, listed[i], want)
		}
	}
	// The year buttons.
	var year bottest.Call
	c = h.ask(bottest.PrivateChat(u), u, "/reports")
	for _, b := range c.Buttons() {
		if strings.HasSuffix(b.Text, "年") {
			before := len(h.api.Delivered("editMessageText"))
			h.api.Press(u, c.Message(), b.CallbackData)
			edits, err := h.api.WaitDelivered(waitCtx(t, 10*time.Second), "editMessageText", before+1)
			if err != nil {
				t.Fatal("year button: no edit")
			}
			year = edits[len(edits)-1]
			y := strings.TrimSuffix(b.Text, "年")
			for _, m := range regexp.MustCompile(`· (\d{4})-\d\d-\d\d 发布`).FindAllStringSubmatch(year.Params["text"], -1) {
				if m[1] != y {
					t.Errorf("filtered by %s, listed a report of %s:\n%s", b.Text, m[1], year.Params["text"])
				}
			}
			break
		}
	}
	if year.Method == "" {
		t.Error("no year buttons under /reports")
	}
}

// TestDeepLinks: t.me/<bot>?start=<payload> opens a report or asks an
// example question; a bad payload gets a polite refusal.
func TestDeepLinks(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes every shared report; skipped with -short")
	}
	h := startChat(t)
	u := bottest.User(51)
	chat := bottest.PrivateChat(u)
	r := h.eng.Reports()[0]
	link := DeepLink(bottest.BotUser.Username, ReportPayload(r.ID))
	if link == "" || len(strings.TrimPrefix(link, "https://t.me/"+bottest.BotUser.Username+"?start=")) > 64 {
		t.Fatalf("deep link %q", link)
	}
	payload := link[strings.Index(link, "start=")+len("start="):]
	if text := h.ask(chat, u, "/start "+payload).Params["text"]; !strings.Contains(text, esc(strings.Trim(r.Title, "《》"))) || !strings.Contains(text, link) {
		t.Errorf("/start %s does not open %s:\n%s", payload, r.ID, text)
	}
	st := h.ask(chat, u, "/start")
	if strings.Contains(st.Params["text"], "房县") && !strings.Contains(st.Params["text"], "直接发送问题") {
		t.Errorf("/start in private should invite questions:\n%s", st.Params["text"])
	}
	bs := st.Buttons()
	if len(bs) == 0 {
		t.Fatal("/start offers no examples")
	}
	ex := bs[0].Text
	c := h.ask(chat, u, "/start "+ExamplePayload(ex))
	want, err := h.eng.Ask(context.Background(), ex)
	if err != nil {
		t.Fatal(err)
	}
	if c.Params["text"] != RenderAnswer(want, 0) {
		t.Errorf("/start %s does not ask %q:\n%s", ExamplePayload(ex), ex, c.Params["text"])
	}
	for _, bad := range []string{"r_no-such-report", "q_zzzz", "x" + strings.Repeat("a", 64), "r_../../etc", "<b>"} {
		if text := h.ask(chat, u, "/start "+bad).Params["text"]; !strings.Contains(text, "链接无效") {
			t.Errorf("/start %s: %s", bad, text)
		}
	}
	// In a group, /start does not invite unaddressed questions, which the bot ignores.
	g := bottest.GroupChat(-100888, "群")
	if text := h.ask(g, u, "/start").Params["text"]; strings.Contains(text, "直接发送问题") || !strings.Contains(text, "/ask") {
		t.Errorf("/start in a group:\n%s", text)
	}
}

// TestFeedbackStoredAndListed presses 答案有误 under an answer and finds it
// in the store and in /feedback, which only admins may use.
func TestFeedbackStoredAndListed(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes every shared report; skipped with -short")
	}
	h := startChat(t)
	u := bottest.User(61)
	g := bottest.GroupChat(-100999, "反馈群")
	q := "2018年GDP增长了多少"
	c := h.ask(g, u, "/ask "+q)
	a, _ := h.eng.Ask(context.Background(), q)
	var wrong string
	for _, b := range c.Buttons() {
		if strings.Contains(b.Text, "答案有误") {
			wrong = b.CallbackData
		}
	}
	if wrong == "" || len(wrong) > 64 {
		t.Fatalf("no feedback button: %+v", c.Buttons())
	}
	h.api.Press(u, c.Message(), wrong)
	acks, err := h.api.WaitDelivered(waitCtx(t, 10*time.Second), "answerCallbackQuery", 1)
	if err != nil || !strings.Contains(acks[0].Params["text"], "已记录") {
		t.Fatalf("press not acknowledged: %v %v", err, acks)
	}
	fb, err := h.st.Feedbacks(0)
	if err != nil || len(fb) != 1 {
		t.Fatalf("feedback stored: %v %+v", err, fb)
	}
	f := fb[0]
	if f.Helpful || f.Question != q || f.ChatID != g.ID || f.UserID != u.ID || f.Report != a.Answers[0].Report.ID || f.Paragraph != a.Answers[0].Paragraph || f.Figure == "" {
		t.Errorf("stored %+v; want 答案有误 on %q in chat %d, report %s paragraph %s", f, q, g.ID, a.Answers[0].Report.ID, a.Answers[0].Paragraph)
	}
	if text := h.ask(bottest.PrivateChat(u), u, "/feedback").Params["text"]; !strings.Contains(text, "仅限管理员") {
		t.Errorf("/feedback from a non-admin: %s", text)
	}
	admin := bottest.User(adminID)
	text := h.ask(bottest.PrivateChat(admin), admin, "/feedback").Params["text"]
	for _, want := range []string{"答案有误", esc(q), f.Report, f.Paragraph, strconv.FormatInt(g.ID, 10)} {
		if !strings.Contains(text, want) {
			t.Errorf("/feedback lacks %q:\n%s", want, text)
		}
	}
}

// TestChartForSeriesOnly: a comparison of three or more years is followed
// by a PNG chart; a single figure is not.
func TestChartForSeriesOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes every shared report; skipped with -short")
	}
	h := startChat(t)
	u := bottest.User(71)
	chat := bottest.PrivateChat(u)
	const series = "全国城镇新增就业这几年分别是多少"
	a, err := h.eng.Ask(context.Background(), series)
	if err != nil {
		t.Fatal(err)
	}
	if !chartable(a) {
		t.Fatalf("%q is not a comparison of 3+ years any more: %d points", series, len(a.Series))
	}
	_, id := h.api.SendText(chat, u, series)
	h.replyTo(id)
	photo := photoReplyingTo(t, h.api, id)
	for _, p := range a.Series {
		if !strings.Contains(photo.Params["caption"], strconv.Itoa(p.Year)) {
			t.Errorf("caption lacks %d:\n%s", p.Year, photo.Params["caption"])
		}
	}
	_, id = h.api.SendText(chat, u, "2018年GDP增长了多少")
	h.replyTo(id)
	time.Sleep(200 * time.Millisecond)
	if n := len(h.api.Calls("sendPhoto")); n != 1 {
		t.Errorf("%d charts sent; want 1 (none for a single figure)", n)
	}
}

// TestAnonymousAdminAsks: a group admin posting as the group (sender_chat)
// is answered.
func TestAnonymousAdminAsks(t *testing.T) {
	h := start(t, testConfig(), realEngine(t))
	g := bottest.GroupChat(-100555, "匿名群")
	anon := models.User{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"}
	m := h.api.NewMessage(g, anon, "/ask "+fangxianQ)
	sc := g
	m.SenderChat = &sc
	h.api.Push(models.Update{Message: m})
	if text := h.replyTo(m.ID).Params["text"]; !strings.Contains(text, "45件") {
		t.Errorf("anonymous admin's question answered with:\n%s", text)
	}
}

// TestPlaceButtons: when the engine asks which place a question means
// (咱们县…), the places are buttons, and pressing one asks the question
// about that place.
func TestPlaceButtons(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes every shared report; skipped with -short")
	}
	h := startChat(t)
	const q = "咱们县去年一般公共预算收入多少"
	a, err := h.eng.Ask(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Places) < 2 {
		t.Fatalf("the engine no longer asks which place %q means (%v): pick another question", q, a.Places)
	}
	u := bottest.User(81)
	c := h.ask(bottest.PrivateChat(u), u, q)
	var press, place string
	for _, b := range c.Buttons() {
		if strings.HasPrefix(b.CallbackData, "p:") && press == "" {
			press, place = b.CallbackData, strings.TrimPrefix(b.Text, "📍 ")
		}
	}
	if press == "" || place != a.Places[0] {
		t.Fatalf("no place buttons: %+v", c.Buttons())
	}
	want, err := h.eng.Ask(context.Background(), place+" "+q)
	if err != nil || !want.Answered {
		t.Fatalf("%s %s: %v %+v", place, q, err, want)
	}
	before := len(h.api.Delivered("sendMessage"))
	h.api.Press(u, c.Message(), press)
	sent, err := h.api.WaitDelivered(waitCtx(t, 10*time.Second), "sendMessage", before+1)
	if err != nil {
		t.Fatal("pressing a place asked nothing")
	}
	if got := sent[len(sent)-1].Params["text"]; got != RenderAnswer(want, 0) || !strings.Contains(got, place) {
		t.Errorf("pressing %s answered:\n%s\nwant:\n%s", place, got, RenderAnswer(want, 0))
	}
}
