package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/store"
)

// FeedbackStore keeps the presses of the feedback buttons; any store.Backend is one.
type FeedbackStore interface {
	AddFeedback(f store.Feedback) (store.Feedback, error)
	Feedbacks(limit int) ([]store.Feedback, error)
	IsAdmin(userID int64) bool
}

// feedbackListed is how many entries /feedback lists.
const feedbackListed = 10

// Feedback verdicts in callback data.
const (
	verdictWrong   = "x"
	verdictHelpful = "v"
)

// EnableFeedback puts the feedback buttons (答案有误 / 有帮助) under every
// answer, storing each press in st, and registers /feedback, which lists
// the latest for the admins recorded in st. Call it before Run.
func (s *Server) EnableFeedback(st FeedbackStore) {
	s.mu.Lock()
	s.feedback = st
	s.mu.Unlock()
	s.HandleCallback("f", s.cbFeedback)
	s.Handle(Command{Name: "feedback", Handle: s.cmdFeedback}) // admins only: not in the menu
}

// feedbackRow is the row of feedback buttons for page i of the answer
// stored under key: callback data "f:<key>:<i>:<verdict>".
func feedbackRow(key string, i int) []models.InlineKeyboardButton {
	d := "f:" + key + ":" + strconv.Itoa(i) + ":"
	return []models.InlineKeyboardButton{
		{Text: "👎 答案有误", CallbackData: d + verdictWrong},
		{Text: "👍 有帮助", CallbackData: d + verdictHelpful},
	}
}

// cbFeedback stores a press of a feedback button.
func (s *Server) cbFeedback(ctx context.Context, q *models.CallbackQuery, data string) error {
	parts := strings.Split(data, ":")
	if len(parts) != 3 || (parts[2] != verdictWrong && parts[2] != verdictHelpful) {
		return s.send.AnswerCallback(ctx, q.ID, "")
	}
	a, ok := s.sessions.get(parts[0])
	page, err := strconv.Atoi(parts[1])
	if !ok || err != nil || page < 0 {
		return s.send.AnswerCallback(ctx, q.ID, "这条回答已过期，无法记录反馈。")
	}
	f := store.Feedback{Helpful: parts[2] == verdictHelpful, Question: a.Question, Answered: a.Answered, UserID: q.From.ID}
	if chat, _, ok := callbackChat(q); ok {
		f.ChatID = chat.ID
	}
	if page == 0 && a.Figure != nil {
		f.Figure = figureText(a.Figure)
	}
	if page < len(a.Answers) {
		p := a.Answers[page]
		f.Report, f.ReportTitle, f.Paragraph = p.Report.ID, p.Report.Title, p.Paragraph
	}
	if _, err := s.feedback.AddFeedback(f); err != nil {
		_ = s.send.AnswerCallback(ctx, q.ID, "抱歉，暂时无法记录，请稍后再试。")
		return err
	}
	msg := "谢谢！已记录：有帮助。"
	if !f.Helpful {
		msg = "谢谢！已记录：答案有误，我们会核对原文。"
	}
	return s.send.AnswerCallback(ctx, q.ID, msg)
}

// cmdFeedback lists the latest feedback, for admins.
func (s *Server) cmdFeedback(ctx context.Context, r *Request) error {
	if r.Message.From == nil || !s.feedback.IsAdmin(r.Message.From.ID) {
		_, err := r.Reply(ctx, "抱歉，这个命令仅限管理员使用。", nil)
		return err
	}
	list, err := s.feedback.Feedbacks(feedbackListed)
	if err != nil {
		_, _ = r.Reply(ctx, "抱歉，暂时无法读取反馈。", nil)
		return err
	}
	_, err = r.Reply(ctx, RenderFeedback(list), nil)
	return err
}

// RenderFeedback lists feedback entries, newest first, as given.
func RenderFeedback(list []store.Feedback) string {
	if len(list) == 0 {
		return "还没有收到反馈。"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "<b>最近 %d 条反馈</b>（govbot feedback 导出全部为 CSV）", len(list))
	for _, f := range list {
		verdict := "👍 有帮助"
		if !f.Helpful {
			verdict = "👎 答案有误"
		}
		item := fmt.Sprintf("\n\n%s · %s · 聊天 %d\n问：%s", verdict, f.At.Format("2006-01-02 15:04"), f.ChatID, esc(clip(f.Question, maxQuestionShown)))
		switch {
		case f.Figure != "":
			item += "\n答：" + esc(clip(f.Figure, maxContextRunes))
		case !f.Answered:
			item += "\n答：（报告里没有找到）"
		}
		if f.Report != "" {
			item += "\n出处：<code>" + esc(clip(f.Report, 80)) + "</code> 段落 <code>" + esc(clip(f.Paragraph, 40)) + "</code>"
		}
		if tgLen(sb.String())+tgLen(item) > MaxMessageLen {
			break
		}
		sb.WriteString(item)
	}
	return sb.String()
}
