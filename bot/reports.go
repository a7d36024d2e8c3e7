package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// Callback data of the /reports buttons: "r:<year>:<page>:<words>", the
// filter carried in the data itself (year 0: any; words joined by "+"),
// so the buttons keep working after a restart. A filter whose words do
// not fit in Telegram's 64 bytes gets no buttons.
const maxCallbackData = 64

func reportsData(f ReportFilter, page int) string {
	d := "r:" + strconv.Itoa(f.Year) + ":" + strconv.Itoa(page) + ":" + strings.Join(f.Words, "+")
	if len(d) > maxCallbackData {
		return ""
	}
	return d
}

func parseReportsData(data string) (ReportFilter, int, bool) {
	parts := strings.SplitN(data, ":", 3)
	if len(parts) != 3 {
		return ReportFilter{}, 0, false
	}
	year, err1 := strconv.Atoi(parts[0])
	page, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || page < 0 || year < 0 {
		return ReportFilter{}, 0, false
	}
	f := ReportFilter{Year: year}
	if parts[2] != "" {
		f.Words = strings.Split(parts[2], "+")
	}
	return f, page, true
}

// reportsPage renders a /reports page with its buttons: previous and next
// page, and the years to filter by.
func (s *Server) reportsPage(f ReportFilter, page int) (string, models.ReplyMarkup) {
	list, _ := s.reportList()
	html, page, pages := RenderReports(list, f, page)
	var rows [][]models.InlineKeyboardButton
	var nav []models.InlineKeyboardButton
	add := func(row *[]models.InlineKeyboardButton, text string, f ReportFilter, page int) {
		if d := reportsData(f, page); d != "" {
			*row = append(*row, models.InlineKeyboardButton{Text: text, CallbackData: d})
		}
	}
	if page > 0 {
		add(&nav, "◀ 上一页", f, page-1)
	}
	if page+1 < pages {
		add(&nav, "下一页 ▶", f, page+1)
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	var years []models.InlineKeyboardButton
	for i, y := range reportYears(list, f) {
		if i == maxYearButtons {
			break
		}
		if y != f.Year {
			g := f
			g.Year = y
			add(&years, strconv.Itoa(y)+"年", g, 0)
		}
	}
	if f.Year != 0 {
		g := f
		g.Year = 0
		add(&years, "全部年份", g, 0)
	}
	if len(years) > 0 {
		rows = append(rows, years)
	}
	if len(rows) == 0 {
		return html, nil
	}
	return html, &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func (s *Server) cmdReports(ctx context.Context, r *Request) error {
	if _, ok := s.reportList(); !ok {
		_, err := r.Reply(ctx, "暂时无法列出报告。", nil)
		return err
	}
	html, markup := s.reportsPage(ParseReportFilter(r.Args), 0)
	_, err := r.Reply(ctx, html, markup)
	return err
}

// cbReports turns a /reports page: the message is edited in place.
func (s *Server) cbReports(ctx context.Context, q *models.CallbackQuery, data string) error {
	f, page, ok := parseReportsData(data)
	chat, id, okc := callbackChat(q)
	if !ok || !okc {
		return s.send.AnswerCallback(ctx, q.ID, "")
	}
	html, markup := s.reportsPage(f, page)
	if markup == nil {
		markup = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	}
	err := s.send.Edit(ctx, chat.ID, id, html, &SendOptions{Markup: markup})
	if aerr := s.send.AnswerCallback(ctx, q.ID, ""); err == nil {
		err = aerr
	}
	return err
}
