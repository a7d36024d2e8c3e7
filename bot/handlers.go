package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/internal/zhtext"
)

// Command is a bot command such as /reports. Register extra ones with
// Server.Handle before Run.
type Command struct {
	// Name is the command without the slash, lower case: "reports".
	Name string
	// Description is shown in Telegram's command menu and in /help; a
	// command without one is hidden from both.
	Description string
	// Handle runs the command.
	Handle func(ctx context.Context, r *Request) error
}

// Request is a command message being handled.
type Request struct {
	// Message is the message holding the command.
	Message *models.Message
	// Args is the text after the command, trimmed.
	Args string
	// Sender sends within the bot's limits.
	Sender *Sender
	// Server is the bot.
	Server *Server
}

// Reply sends html as a reply to the request's message.
func (r *Request) Reply(ctx context.Context, html string, markup models.ReplyMarkup) (*models.Message, error) {
	return r.Sender.Send(ctx, r.Message.Chat.ID, html, &SendOptions{ReplyTo: r.Message.ID, ThreadID: threadID(r.Message), Markup: markup})
}

// CallbackFunc handles a button press whose callback data is
// "<prefix>:<data>". It must answer the query (Sender.AnswerCallback).
type CallbackFunc func(ctx context.Context, q *models.CallbackQuery, data string) error

// Handle registers (or replaces) a command. Call it before Run: the
// command menu is sent to Telegram when the bot starts.
func (s *Server) Handle(c Command) {
	name := strings.ToLower(strings.TrimPrefix(c.Name, "/"))
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cmds[name]; !ok {
		s.cmdOrder = append(s.cmdOrder, name)
	}
	c.Name = name
	s.cmds[name] = &c
}

// HandleCallback registers a handler for button presses whose callback
// data starts with prefix and a colon. The prefixes "m" and "q" are the
// bot's own.
func (s *Server) HandleCallback(prefix string, f CallbackFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbacks[prefix] = f
}

func (s *Server) command(name string) *Command {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cmds[name]
}

func (s *Server) commands() []*Command {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*Command, 0, len(s.cmdOrder))
	for _, n := range s.cmdOrder {
		out = append(out, s.cmds[n])
	}
	return out
}

func (s *Server) setCommands(ctx context.Context) error {
	var list []models.BotCommand
	for _, c := range s.commands() {
		if c.Description != "" {
			list = append(list, models.BotCommand{Command: c.Name, Description: c.Description})
		}
	}
	return s.send.Do(ctx, 0, "setMyCommands", func(ctx context.Context) error {
		_, err := s.b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: list})
		return err
	})
}

func (s *Server) registerBuiltins() {
	s.Handle(Command{Name: "start", Description: "这个机器人能做什么", Handle: s.cmdStart})
	s.Handle(Command{Name: "help", Description: "用法", Handle: s.cmdHelp})
	s.Handle(Command{Name: "ask", Description: "提问（群组里用）：/ask 问题", Handle: s.cmdAsk})
	s.Handle(Command{Name: "reports", Description: "已收录的报告，可筛选：/reports 湖北 2025", Handle: s.cmdReports})
	s.Handle(Command{Name: "latest", Description: "最新收录的报告", Handle: s.cmdLatest})
	s.HandleCallback("m", s.cbMore)
	s.HandleCallback("q", s.cbExample)
	s.HandleCallback("r", s.cbReports)
	s.HandleCallback("p", s.cbPlace)
}

func threadID(m *models.Message) int {
	if m.IsTopicMessage {
		return m.MessageThreadID
	}
	return 0
}

func isPrivate(c models.Chat) bool { return c.Type == models.ChatTypePrivate }

// entityText returns the part of text an entity covers; entity offsets
// count UTF-16 code units, not bytes.
func entityText(u16 []uint16, e models.MessageEntity) string {
	if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > len(u16) {
		return ""
	}
	return string(utf16.Decode(u16[e.Offset : e.Offset+e.Length]))
}

// parseCommand splits "/cmd@bot args" at the start of a message.
func parseCommand(m *models.Message) (name, target, args string, ok bool) {
	text := m.Text
	if !strings.HasPrefix(text, "/") {
		return "", "", "", false
	}
	u16 := utf16.Encode([]rune(text))
	word := ""
	for _, e := range m.Entities {
		if e.Type == models.MessageEntityTypeBotCommand && e.Offset == 0 {
			word = entityText(u16, e)
			break
		}
	}
	if word == "" {
		// No entity (hand-made updates): take the leading ASCII word.
		i := 1
		for i < len(text) && text[i] < utf8.RuneSelf && !unicode.IsSpace(rune(text[i])) {
			i++
		}
		word = text[:i]
	}
	if len(word) < 2 {
		return "", "", "", false
	}
	args = strings.TrimSpace(text[len(word):])
	name, target, _ = strings.Cut(word[1:], "@")
	return strings.ToLower(name), target, args, true
}

// addressed reports whether a group message is meant for the bot: it
// mentions the bot or replies to one of its messages. It returns the
// question with the mention taken out.
func (s *Server) addressed(m *models.Message) (string, bool) {
	me := s.Me()
	text := m.Text
	found := false
	u16 := utf16.Encode([]rune(text))
	handle := "@" + me.Username
	for _, e := range m.Entities {
		switch e.Type {
		case models.MessageEntityTypeMention:
			if me.Username != "" && strings.EqualFold(entityText(u16, e), handle) {
				found = true
			}
		case models.MessageEntityTypeTextMention:
			if e.User != nil && e.User.ID == me.ID {
				found = true
				text = strings.Replace(text, entityText(u16, e), "", 1)
			}
		}
	}
	if me.Username != "" {
		// Usernames are ASCII: lower-casing ASCII only keeps byte offsets
		// valid in text.
		if i := strings.Index(asciiLower(text), asciiLower(handle)); i >= 0 {
			found = true
			text = text[:i] + text[i+len(handle):]
		}
	}
	if !found && m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == me.ID && me.ID != 0 {
		found = true
	}
	return strings.TrimFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(zhtext.Commas+zhtext.Colons+zhtext.EnumerationComma, r)
	}), found
}

// asciiLower lower-cases ASCII letters only, so the result has the same
// byte offsets as s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// senderID returns who sent m: the user, or the group itself for a group
// admin posting anonymously (sender_chat is the group; Telegram sets From to
// its GroupAnonymousBot). ok is false for other bots, channel posts
// forwarded into a discussion group and messages without a sender.
func senderID(m *models.Message) (id int64, ok bool) {
	if m.SenderChat != nil {
		if m.SenderChat.ID == m.Chat.ID && m.Chat.Type != models.ChatTypeChannel {
			return m.Chat.ID, true
		}
		return 0, false
	}
	if m.From == nil || m.From.IsBot {
		return 0, false
	}
	return m.From.ID, true
}

// anonymousAdmin reports whether m was sent by a group admin as the group:
// only admins may post as the group.
func anonymousAdmin(m *models.Message) bool {
	return m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID && m.Chat.Type != models.ChatTypeChannel
}

func (s *Server) handleMessage(ctx context.Context, m *models.Message) {
	if _, ok := senderID(m); !ok || m.Chat.ID == 0 || m.Chat.Type == models.ChatTypeChannel {
		return // channel posts, other bots, messages without a sender
	}
	if strings.TrimSpace(m.Text) == "" {
		return // stickers, photos, service messages
	}
	if name, target, args, ok := parseCommand(m); ok {
		if target != "" && !strings.EqualFold(target, s.Me().Username) {
			return // a command for another bot in the group
		}
		if c := s.command(name); c != nil {
			if ctx = s.admit(ctx, m); ctx == nil {
				return // over the per-user limit (told once per streak)
			}
			r := &Request{Message: m, Args: args, Sender: s.send, Server: s}
			if err := c.Handle(ctx, r); err != nil {
				s.log.Warn("command failed", "command", name, "chat", m.Chat.ID, "err", err)
			}
			return
		}
		if isPrivate(m.Chat) {
			s.reply(ctx, m, "没有这个命令。直接发问题给我就好，或发送 /help 查看用法。", nil)
		}
		return
	}
	if isPrivate(m.Chat) {
		s.question(ctx, m, m.Text)
		return
	}
	if q, ok := s.addressed(m); ok {
		if q == "" {
			s.reply(ctx, m, "请在 @"+esc(s.Me().Username)+" 后面写上问题，例如：\n"+esc(s.examples()[0]), nil)
			return
		}
		s.question(ctx, m, q)
	}
}

func (s *Server) reply(ctx context.Context, m *models.Message, html string, markup models.ReplyMarkup) {
	if _, err := s.send.Send(ctx, m.Chat.ID, html, &SendOptions{ReplyTo: m.ID, ThreadID: threadID(m), Markup: markup}); err != nil {
		s.log.Warn("reply failed", "chat", m.Chat.ID, "err", err)
	}
}

// question answers q asked in message m.
func (s *Server) question(ctx context.Context, m *models.Message, q string) {
	user, _ := senderID(m)
	s.answerInChat(ctx, m.Chat.ID, threadID(m), m.ID, user, q)
}

// answerInChat asks q for user and sends the cited reply to chat, as a
// reply to message replyTo when it is not 0.
func (s *Server) answerInChat(ctx context.Context, chat int64, thread, replyTo int, user int64, q string) {
	start := time.Now()
	q = strings.TrimSpace(q)
	if q == "" {
		return
	}
	opts := &SendOptions{ReplyTo: replyTo, ThreadID: thread}
	send := func(html string, markup models.ReplyMarkup) {
		o := *opts
		o.Markup = markup
		if _, err := s.send.Send(ctx, chat, html, &o); err != nil {
			s.log.Warn("reply failed", "chat", chat, "err", err)
		}
	}
	// The limit comes first: a refusal for length is a message too, and
	// must not be a way around the limit.
	if ok, notify := s.allowUser(ctx, user, start); !ok {
		s.metrics.rateLimited.Add(1)
		if notify {
			send(s.rateLimitNotice(), nil)
		}
		return
	}
	if err := answer.CheckLength(q, s.cfg.MaxQuestionRunes); err != nil {
		s.metrics.tooLong.Add(1)
		send(esc(err.Error()), nil)
		return
	}
	s.metrics.questions.Add(1)
	actx, cancel := context.WithTimeout(ctx, s.cfg.AnswerTimeout)
	a, err := s.askInChat(actx, chat, user, q)
	cancel()
	if err != nil || a == nil {
		s.metrics.askErrors.Add(1)
		s.log.Error("answer engine failed", "chat", chat, "err", err)
		send("抱歉，查询出了点问题，请稍后再试。", nil)
		return
	}
	if a.Answered {
		s.metrics.answered.Add(1)
	} else {
		s.metrics.abstained.Add(1)
	}
	html, markup := s.renderPage(a, 0, "")
	send(html, markup)
	s.sendChart(ctx, chat, thread, replyTo, a)
	s.metrics.observe(time.Since(start))
}

func humanDuration(d time.Duration) string {
	if d >= time.Second && d%time.Second == 0 {
		return strconv.Itoa(int(d/time.Second)) + " 秒"
	}
	return d.String()
}

// renderPage renders page i of a with its buttons: paging through the
// related passages (Related), the source link, and the feedback buttons.
// key is the answer's button-state ID; one is made when a button needs it.
func (s *Server) renderPage(a *answer.Answer, i int, key string) (string, models.ReplyMarkup) {
	html := RenderAnswer(a, i)
	keyFor := func() string {
		if key == "" {
			key = s.sessions.put(a)
		}
		return key
	}
	var rows [][]models.InlineKeyboardButton
	var row []models.InlineKeyboardButton
	if n := Related(a); n > 1 {
		if i > 0 {
			row = append(row, models.InlineKeyboardButton{Text: "◀ 上一条", CallbackData: "m:" + keyFor() + ":" + strconv.Itoa(i-1)})
		}
		if i+1 < n {
			row = append(row, models.InlineKeyboardButton{Text: fmt.Sprintf("更多结果 (%d/%d)", i+2, n), CallbackData: "m:" + keyFor() + ":" + strconv.Itoa(i+1)})
		}
	}
	if i < len(a.Answers) && len(a.Series) == 0 {
		if u := safeURL(a.Answers[i].Report.URL); u != "" {
			row = append(row, models.InlineKeyboardButton{Text: "原文", URL: u})
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	if len(a.Places) > 0 && i == 0 {
		rows = append(rows, placeRows(a, keyFor())...)
	}
	if s.feedback != nil {
		rows = append(rows, feedbackRow(keyFor(), i))
	}
	if len(rows) == 0 {
		return html, nil
	}
	return html, &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func (s *Server) handleCallback(ctx context.Context, q *models.CallbackQuery) {
	prefix, data, _ := strings.Cut(q.Data, ":")
	s.mu.RLock()
	f := s.callbacks[prefix]
	s.mu.RUnlock()
	if f == nil {
		_ = s.send.AnswerCallback(ctx, q.ID, "")
		return
	}
	if err := f(ctx, q, data); err != nil {
		s.log.Warn("button failed", "prefix", prefix, "err", err)
	}
}

// callbackChat returns the chat and message a button was pressed on.
func callbackChat(q *models.CallbackQuery) (chat models.Chat, msgID int, ok bool) {
	switch {
	case q.Message.Message != nil:
		return q.Message.Message.Chat, q.Message.Message.ID, true
	case q.Message.InaccessibleMessage != nil:
		return q.Message.InaccessibleMessage.Chat, q.Message.InaccessibleMessage.MessageID, true
	}
	return models.Chat{}, 0, false
}

// cbMore shows passage n of a stored answer: data is "<key>:<n>".
func (s *Server) cbMore(ctx context.Context, q *models.CallbackQuery, data string) error {
	key, ns, _ := strings.Cut(data, ":")
	n, err := strconv.Atoi(ns)
	a, ok := s.sessions.get(key)
	if !ok || err != nil || n < 0 || n >= max(Related(a), 1) {
		return s.send.AnswerCallback(ctx, q.ID, "这条结果已过期，请重新提问。")
	}
	html, markup := s.renderPage(a, n, key)
	if markup == nil {
		markup = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	}
	o := &SendOptions{Markup: markup}
	if chat, id, ok := callbackChat(q); ok {
		err = s.send.Edit(ctx, chat.ID, id, html, o)
	} else if q.InlineMessageID != "" {
		err = s.send.EditInline(ctx, q.InlineMessageID, html, o)
	}
	if aerr := s.send.AnswerCallback(ctx, q.ID, ""); err == nil {
		err = aerr
	}
	return err
}

func (s *Server) cmdHelp(ctx context.Context, r *Request) error {
	me := esc(s.Me().Username)
	var sb strings.Builder
	sb.WriteString("<b>用法</b>\n\n")
	sb.WriteString("• 私聊：直接发送问题，如「" + esc(s.examples()[0]) + "」\n")
	sb.WriteString("• 群组：/ask 问题，或 @" + me + " 问题，或回复我的消息\n")
	sb.WriteString("• 任意聊天：输入 @" + me + " 问题，选择结果发送\n")
	sb.WriteString("• 「更多结果」看其他相关段落，「原文」打开报告来源\n")
	if s.feedback != nil {
		sb.WriteString("• 答案不对？点「答案有误」告诉我们；有用就点「有帮助」\n")
	}
	sb.WriteString("\n<b>命令</b>\n")
	for _, c := range s.commands() {
		if c.Description != "" {
			sb.WriteString("/" + esc(c.Name) + " — " + esc(c.Description) + "\n")
		}
	}
	_, err := r.Reply(ctx, strings.TrimRight(sb.String(), "\n"), nil)
	return err
}

func (s *Server) cmdAsk(ctx context.Context, r *Request) error {
	q := r.Args
	if q == "" && r.Message.ReplyToMessage != nil && r.Message.ReplyToMessage.From != nil && r.Message.ReplyToMessage.From.ID != s.Me().ID {
		q = r.Message.ReplyToMessage.Text // "/ask" in reply to someone's question
	}
	if strings.TrimSpace(q) == "" {
		_, err := r.Reply(ctx, "用法：/ask 问题，例如：\n/ask "+esc(s.examples()[0]), nil)
		return err
	}
	s.question(ctx, r.Message, q)
	return nil
}

func (s *Server) reportList() ([]answer.ReportSummary, bool) {
	rl, ok := s.ask.(ReportLister)
	if !ok {
		return nil, false
	}
	return rl.Reports(), true
}

func (s *Server) cmdLatest(ctx context.Context, r *Request) error {
	list, ok := s.reportList()
	if !ok || len(list) == 0 {
		_, err := r.Reply(ctx, "还没有收录报告。", nil)
		return err
	}
	n := min(len(list), 3)
	var sb strings.Builder
	sb.WriteString("<b>最新收录的报告</b>")
	for i := range n {
		sb.WriteString("\n\n" + reportLine(i+1, &list[i]))
	}
	sb.WriteString("\n\n问问最新的报告吧，例如：「" + esc(clip(latestExample(list[0]), 60)) + "」")
	var markup models.ReplyMarkup
	if u := safeURL(list[0].URL); u != "" {
		markup = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "原文", URL: u}}}}
	}
	_, err := r.Reply(ctx, sb.String(), markup)
	return err
}

func latestExample(r answer.ReportSummary) string {
	who := strings.TrimSuffix(r.Issuer, "人民政府")
	if who == "" {
		who = "报告"
	}
	return who + "今年的主要目标是什么？"
}

// askInChat asks q in the conversation of chat when the engine follows
// conversations, so that "这份报告" or "那湖南呢" refers to what the
// conversation was just told about; otherwise it asks q on its own. A
// private chat is one conversation; in a group each user has their own, so
// that one member's follow-up does not continue another's question.
func (s *Server) askInChat(ctx context.Context, chat, user int64, q string) (*answer.Answer, error) {
	ca, ok := s.ask.(ConversationAsker)
	if !ok {
		return s.ask.Ask(ctx, q)
	}
	return ca.AskIn(ctx, s.conversation(chat, user), q)
}

// conversation returns the answer.Session of chat (private) or of user in
// chat (group), making it on first use.
func (s *Server) conversation(chat, user int64) *answer.Session {
	key := strconv.FormatInt(chat, 10)
	if chat < 0 && user != chat {
		key += ":" + strconv.FormatInt(user, 10)
	}
	return s.conversations.getOrPut(key, func() *answer.Session { return new(answer.Session) })
}
