package bot

import (
	"context"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/answer"
)

// maxExamples is how many example questions /start offers.
const maxExamples = 3

// exampleTemplates make example questions about an indexed report's
// issuer ({place} is the place, "" for the national reports; {gdp} the
// name of its output, 地区生产总值 or 国内生产总值). An example is offered
// only when the engine answers it with a cited figure or passage.
var exampleTemplates = []string{
	"{place}去年{gdp}是多少？",
	"{place}今年经济增长的预期目标是多少？",
	"{place}去年城镇新增就业多少人？",
}

// nationalIssuer is the issuer of the State Council's reports.
const nationalIssuer = "国务院"

// examples returns the /start example questions: Config.Examples when set,
// else questions drawn from the indexed reports (cached until the reports
// change), else those of DefaultExamples the engine answers.
func (s *Server) examples() []string {
	if len(s.cfg.Examples) > 0 {
		return s.cfg.Examples
	}
	list, _ := s.reportList()
	sig := strconv.Itoa(len(list))
	if len(list) > 0 {
		sig += "/" + list[0].ID
	}
	s.examplesMu.Lock()
	defer s.examplesMu.Unlock()
	if s.examplesVal != nil && s.examplesFor == sig {
		return s.examplesVal
	}
	ex := s.drawExamples(list)
	if len(ex) == 0 {
		ex = DefaultExamples
	}
	s.examplesFor, s.examplesVal = sig, ex
	return ex
}

// drawExamples asks the templates about the issuers of the newest reports,
// one example per issuer, and keeps those the engine answers; then the
// DefaultExamples it answers.
func (s *Server) drawExamples(list []answer.ReportSummary) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	answers := func(q string) bool {
		a, err := s.ask.Ask(ctx, q)
		return err == nil && a != nil && a.Answered && (a.Figure != nil || a.Fact != "" || len(a.Answers) > 0) && a.Reason == ""
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range list {
		if len(out) == maxExamples || ctx.Err() != nil {
			break
		}
		if seen[r.Issuer] || r.Issuer == "" {
			continue
		}
		seen[r.Issuer] = true
		fill := strings.NewReplacer("{place}", strings.TrimSuffix(r.Issuer, "人民政府"), "{gdp}", "地区生产总值")
		if r.Issuer == nationalIssuer {
			fill = strings.NewReplacer("{place}", "", "{gdp}", "国内生产总值")
		}
		for _, t := range exampleTemplates {
			if q := fill.Replace(t); answers(q) {
				out = append(out, q)
				break
			}
		}
	}
	for _, q := range DefaultExamples {
		if len(out) == maxExamples {
			break
		}
		if answers(q) {
			out = append(out, q)
		}
	}
	return out
}

// exampleIndex finds the example question with the given deep-link key.
func (s *Server) exampleIndex(key string) (int, bool) {
	for i, q := range s.examples() {
		if exampleKey(q) == key {
			return i, true
		}
	}
	return 0, false
}

// exampleKey is a short stable key for an example question: the same
// question keeps its deep link while the examples around it change.
func exampleKey(q string) string {
	h := fnv.New32a()
	h.Write([]byte(q))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// Deep-link payloads (t.me/<bot>?start=<payload>): "r_<report ID>" opens a
// report, "q_<key>" asks a stored example question. Telegram allows 1–64
// characters of A–Z, a–z, 0–9, _ and -.
const (
	maxPayload    = 64
	payloadReport = "r_"
	payloadAsk    = "q_"
)

var payloadRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// DeepLink returns the t.me link that starts bot with payload, or "" when
// the payload is not one Telegram accepts.
func DeepLink(bot, payload string) string {
	if !payloadRe.MatchString(payload) || bot == "" {
		return ""
	}
	return "https://t.me/" + bot + "?start=" + payload
}

// ReportPayload is the deep-link payload opening report id, or "" when the
// ID does not fit in one.
func ReportPayload(id string) string {
	p := payloadReport + id
	if !payloadRe.MatchString(p) {
		return ""
	}
	return p
}

// ExamplePayload is the deep-link payload asking example question q.
func ExamplePayload(q string) string { return payloadAsk + exampleKey(q) }

// cbExample asks one of the /start example questions: data is its key.
func (s *Server) cbExample(ctx context.Context, q *models.CallbackQuery, data string) error {
	i, ok := s.exampleIndex(data)
	chat, _, okc := callbackChat(q)
	if !ok || !okc {
		return s.send.AnswerCallback(ctx, q.ID, "这个例子已更新，请重新发送 /start。")
	}
	s.askFromCallback(ctx, q, chat.ID, s.examples()[i])
	return nil
}

func (s *Server) cmdStart(ctx context.Context, r *Request) error {
	if p := strings.TrimSpace(r.Args); p != "" {
		return s.startPayload(ctx, r, p)
	}
	var sb strings.Builder
	sb.WriteString("👋 我是<b>政府工作报告问答</b>机器人。\n\n")
	sb.WriteString("问我政府工作报告里的数字和事项，我会给出<b>准确的数字</b>，并附上报告原文摘录和出处（报告、章节、日期、链接）。报告里没有的，我会直说。\n\n")
	if isPrivate(r.Message.Chat) {
		sb.WriteString("点下面的例子试试，或直接发送问题。")
	} else {
		sb.WriteString("点下面的例子试试。在群里提问请用 /ask 问题，或 @" + esc(s.Me().Username) + " 问题，或回复我的消息。")
	}
	sb.WriteString("发送 /reports 查看已收录的报告。")
	var rows [][]models.InlineKeyboardButton
	for i, ex := range s.examples() {
		if i == maxExamples {
			break
		}
		rows = append(rows, []models.InlineKeyboardButton{{Text: clip(ex, 60), CallbackData: "q:" + exampleKey(ex)}})
	}
	_, err := r.Reply(ctx, sb.String(), &models.InlineKeyboardMarkup{InlineKeyboard: rows})
	return err
}

// startPayload handles /start <payload> from a deep link.
func (s *Server) startPayload(ctx context.Context, r *Request, p string) error {
	bad := func() error {
		_, err := r.Reply(ctx, "这个链接无效或已过期。发送 /reports 查看已收录的报告，或直接提问。", nil)
		return err
	}
	if len(p) > maxPayload || !payloadRe.MatchString(p) {
		return bad()
	}
	switch {
	case strings.HasPrefix(p, payloadAsk):
		i, ok := s.exampleIndex(strings.TrimPrefix(p, payloadAsk))
		if !ok {
			return bad()
		}
		s.question(ctx, r.Message, s.examples()[i])
		return nil
	case strings.HasPrefix(p, payloadReport):
		id := strings.TrimPrefix(p, payloadReport)
		list, _ := s.reportList()
		for i := range list {
			if list[i].ID == id {
				html, markup := renderReportCard(&list[i], s.Me().Username)
				_, err := r.Reply(ctx, html, markup)
				return err
			}
		}
	}
	return bad()
}

// renderReportCard shows one report: title, issuer, date, source link, how
// to ask about it, and a deep link to share it.
func renderReportCard(r *answer.ReportSummary, botName string) (string, models.ReplyMarkup) {
	var sb strings.Builder
	sb.WriteString("📄 <b>《" + esc(clip(strings.Trim(r.Title, "《》"), maxTitleRunes)) + "》</b>")
	if meta := reportMeta(r); meta != "" {
		sb.WriteString("\n" + meta)
	}
	sb.WriteString("\n\n可以直接问这份报告里的数字和事项，例如：「" + esc(clip(latestExample(*r), 60)) + "」")
	if l := DeepLink(botName, ReportPayload(r.ID)); l != "" {
		sb.WriteString("\n分享这份报告：" + esc(l))
	}
	var markup models.ReplyMarkup
	if u := safeURL(r.URL); u != "" {
		markup = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "原文", URL: u}}}}
	}
	return sb.String(), markup
}
