package bot

import (
	"bytes"
	"context"
	"math"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/answer"
)

// Chart rules: a comparison is also drawn when it covers at least
// minChartYears years of one issuer in one unit. The chart's text is
// digits only (its font has no Chinese); the words go in the caption.
const (
	minChartYears = 3
	maxCaptionLen = 1024
)

// chartable reports whether a's comparison is drawn as a chart: at least
// minChartYears distinct years, one issuer, one unit, values known.
func chartable(a *answer.Answer) bool {
	if !chartsBuilt || a == nil || !a.Answered || len(a.Series) < minChartYears {
		return false
	}
	years := map[int]bool{}
	for _, p := range a.Series {
		if p.Issuer != a.Series[0].Issuer || p.Figure.Unit != a.Series[0].Figure.Unit || math.IsNaN(p.Figure.Value) || math.IsInf(p.Figure.Value, 0) {
			return false
		}
		years[p.Year] = true
	}
	return len(years) >= minChartYears
}

// chartCaption is the chart's caption: the question, the unit and the
// figure of each year, in words (HTML, within Telegram's 1024 characters).
func chartCaption(a *answer.Answer) string {
	var sb strings.Builder
	sb.WriteString("📈 " + esc(clip(a.Question, maxQuestionShown)))
	if u := a.Series[0].Figure.Unit; u != "" {
		sb.WriteString("（单位：" + esc(clip(u, 20)) + "）")
	}
	for _, r := range answer.Layout(a).Rows {
		line := "\n" + esc(clip(r.Label, maxContextRunes)) + "：" + esc(clip(r.Value, maxContextRunes))
		if tgLen(sb.String())+tgLen(line) > maxCaptionLen {
			break
		}
		sb.WriteString(line)
	}
	return sb.String()
}

// sendChart sends a's comparison as a chart under the text reply, when it
// is chartable. A chart that fails is logged: the text has the figures.
func (s *Server) sendChart(ctx context.Context, chat int64, thread, replyTo int, a *answer.Answer) {
	if !chartable(a) {
		return
	}
	png, err := RenderChart(a)
	if err != nil {
		s.log.Warn("chart failed", "err", err)
		return
	}
	caption := chartCaption(a)
	err = s.send.Do(ctx, chat, "sendPhoto", func(ctx context.Context) error {
		p := &tgbot.SendPhotoParams{
			ChatID:          chat,
			MessageThreadID: thread,
			Photo:           &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(png)},
			Caption:         caption,
			ParseMode:       models.ParseModeHTML,
		}
		if replyTo != 0 {
			p.ReplyParameters = &models.ReplyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
		}
		_, err := s.b.SendPhoto(ctx, p)
		return err
	})
	if err != nil {
		s.log.Warn("sendPhoto failed", "chat", chat, "err", err)
	}
}
