package bot

import (
	"context"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/answer"
)

// MaxInlinePage is the most inline results returned per page. Telegram
// takes up to 50; 10 keeps the answer small.
const MaxInlinePage = 10

// DefaultInlinePage is the default page size. The engine returns at most
// ten passages, so pages of five are what makes next_offset paging happen.
const DefaultInlinePage = 5

// handleInline answers "@bot 问题" typed in any chat: one article per
// passage, the figure as title, the excerpt as description and the full
// cited reply as the message, paged with next_offset.
func (s *Server) handleInline(ctx context.Context, q *models.InlineQuery) {
	text := strings.TrimSpace(q.Query)
	offset, _ := strconv.Atoi(q.Offset)
	offset = max(offset, 0)
	var results []models.InlineQueryResult
	next := ""
	user := int64(0)
	if q.From != nil {
		user = q.From.ID
	}
	long := answer.CheckLength(text, s.cfg.MaxQuestionRunes)
	switch {
	case text == "":
		// Nothing typed yet: no results.
	case long != nil:
		results = append(results, article("long", "问题太长了", long.Error(), esc(long.Error())))
	default:
		if ok, _ := s.inline.allow(user, time.Now()); !ok {
			s.metrics.rateLimited.Add(1)
			break // Telegram asks again as the user types; no notice needed
		}
		s.metrics.questions.Add(1)
		actx, cancel := context.WithTimeout(ctx, s.cfg.AnswerTimeout)
		a, err := s.ask.Ask(actx, text)
		cancel()
		if err != nil || a == nil {
			s.metrics.askErrors.Add(1)
			s.log.Error("answer engine failed (inline)", "err", err)
			break
		}
		if offset == 0 {
			if a.Answered {
				s.metrics.answered.Add(1)
			} else {
				s.metrics.abstained.Add(1)
			}
		}
		results, next = inlineResults(a, offset, s.cfg.InlinePage)
	}
	if results == nil {
		results = []models.InlineQueryResult{}
	}
	err := s.send.Do(ctx, 0, "answerInlineQuery", func(ctx context.Context) error {
		_, err := s.b.AnswerInlineQuery(ctx, &tgbot.AnswerInlineQueryParams{
			InlineQueryID: q.ID,
			Results:       results,
			NextOffset:    next,
			CacheTime:     300,
		})
		return err
	})
	if err != nil {
		s.log.Warn("answerInlineQuery failed", "err", err)
	}
}

// inlineResults returns the page of at most size results for a starting at
// offset and the next offset ("" on the last page).
func inlineResults(a *answer.Answer, offset, size int) ([]models.InlineQueryResult, string) {
	h := fnv.New64a()
	h.Write([]byte(a.Question))
	qid := strconv.FormatUint(h.Sum64(), 36)
	if len(a.Answers) == 0 {
		if offset > 0 {
			return nil, ""
		}
		if a.Answered && (a.Fact != "" || a.Figure != nil) {
			title := a.Fact
			if a.Figure != nil {
				title = figureText(a.Figure)
			}
			return []models.InlineQueryResult{article(qid+"-0", title, a.Question, RenderAnswer(a, 0))}, ""
		}
		return []models.InlineQueryResult{article(qid+"-x", "报告里没有找到答案", clip(a.Reason, 100), RenderAbstention(a))}, ""
	}
	var out []models.InlineQueryResult
	n := Related(a)
	end := min(offset+size, n)
	for i := offset; i < end; i++ {
		p := &a.Answers[i]
		// Only the first result is the answer; the others are related
		// passages, titled by their text, not by a figure of their own.
		var title string
		if v := answer.Layout(a); i == 0 && v.Headline != "" {
			title = v.Headline
			if v.Qualifier != "" {
				title += "（" + v.Qualifier + "）"
			}
		} else if i == 0 && len(v.Rows) > 0 {
			title = v.Rows[len(v.Rows)-1].Label + "：" + v.Rows[len(v.Rows)-1].Value
		}
		if title == "" {
			title = clip(p.Excerpt, 40)
		}
		desc := clip(p.Excerpt, 120)
		if p.Report.Title != "" {
			desc += "\n《" + clip(strings.Trim(p.Report.Title, "《》"), 40) + "》"
		}
		out = append(out, article(qid+"-"+strconv.Itoa(i), clip(title, 60), desc, RenderAnswer(a, i)))
	}
	next := ""
	if end < n {
		next = strconv.Itoa(end)
	}
	return out, next
}

func article(id, title, desc, html string) *models.InlineQueryResultArticle {
	return &models.InlineQueryResultArticle{
		ID:          id,
		Title:       title,
		Description: desc,
		InputMessageContent: &models.InputTextMessageContent{
			MessageText:        html,
			ParseMode:          models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
		},
	}
}
