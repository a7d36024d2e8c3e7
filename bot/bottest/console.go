package bottest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/go-telegram/bot/models"
)

// ConsoleHelp is the console's help: what a line typed at its prompt does.
const ConsoleHelp = `Type a question and press Enter: it reaches the bot as a private message.
  /start, /help, /reports 湖北 2025 ...   commands, as a user would send them
  !group TEXT       a message in a group chat (try "!group /ask 问题" and "!group 问题")
  !anon TEXT        a message in the group sent as the group (an anonymous admin)
  !inline TEXT      an inline query (@bot TEXT)
  !next             the next page of the last inline query (next_offset)
  !press N          press button N of the bot's last message
  !help             this help
Also: curl -d text=问题 URL/_push  (fields: text, user, chat; chat<0 is a group).`

// Console identities: the user who types, the private chat with them and
// the group chat of "!group".
var (
	consoleUser    = User(1001)
	consolePrivate = PrivateChat(consoleUser)
	consoleGroup   = GroupChat(-100123, "Test group")
	anonymousAdmin = models.User{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"}
)

// Console plays the user of the fake Bot API s from a terminal, for
// `govbot-dev fakeapi`: each line read from in reaches the bot as a user
// would send it (see ConsoleHelp), and the bot's messages, buttons and
// inline results are printed to out. When in ends it keeps serving (for
// POST /_push) until ctx is done; it returns nil then. Console replaces
// s's OnCall function.
func (s *Server) Console(ctx context.Context, in io.Reader, out io.Writer) error {
	c := &console{srv: s, out: out}
	s.OnCall(c.show)
	fmt.Fprintf(out, "Fake Telegram Bot API on %s\nIn another terminal run:\n  go run ./cmd/govbot serve --api-url %s --token 123:TEST --listen 127.0.0.1:8080\n\n%s\n> ", s.URL, s.URL, ConsoleHelp)

	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case l, ok := <-lines:
			if !ok {
				// No terminal (or EOF): keep serving for /_push until interrupted.
				fmt.Fprintln(out, "\n(stdin closed; still serving, inject with POST /_push; Ctrl-C to stop)")
				<-ctx.Done()
				return nil
			}
			c.do(strings.TrimSpace(l))
			fmt.Fprint(out, "> ")
		}
	}
}

// console is the state of a Console: the bot's last message with buttons
// and the last inline query, which "!press" and "!next" act on.
type console struct {
	srv *Server
	out io.Writer

	mu                      sync.Mutex
	last                    *models.Message // the bot's last message with buttons
	lastButtons             []models.InlineKeyboardButton
	inlineQuery, inlineNext string // the last inline query and its next_offset
}

// show prints a call of the bot.
func (c *console) show(call Call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.out
	switch call.Method {
	case "sendMessage", "editMessageText":
		c.showMessage(call)
	case "sendPhoto":
		if !call.OK() {
			fmt.Fprintf(out, "\n[bot 📈 chat %s failed: HTTP %d]\n> ", call.Params["chat_id"], call.Status)
			return
		}
		size := ""
		if m := call.Message(); m != nil && len(m.Photo) > 0 {
			size = fmt.Sprintf("%d×%d, %d bytes", m.Photo[0].Width, m.Photo[0].Height, m.Photo[0].FileSize)
		}
		fmt.Fprintf(out, "\n── bot 📈 chat %s: chart PNG %s ──\n%s\n> ", call.Params["chat_id"], size, terminalText(call.Params["caption"]))
	case "answerInlineQuery":
		res, next := call.InlineResults()
		c.inlineNext = next
		fmt.Fprintf(out, "\n── inline results (%d, next_offset %q) ──\n", len(res), next)
		for i, r := range res {
			fmt.Fprintf(out, "  %d. %s — %s\n", i+1, r.Title, strings.ReplaceAll(r.Description, "\n", " "))
		}
		fmt.Fprint(out, "> ")
	case "answerCallbackQuery":
		if t := call.Params["text"]; t != "" {
			fmt.Fprintf(out, "\n[toast] %s\n> ", t)
		}
	case "getMe", "setMyCommands", "deleteWebhook", "setWebhook":
		fmt.Fprintf(out, "[bot called %s]\n", call.Method)
	}
}

// showMessage prints a message sent or edited, with its buttons numbered
// for "!press"; c.mu is held.
func (c *console) showMessage(call Call) {
	out := c.out
	verb := "→"
	if call.Method == "editMessageText" {
		verb = "✎"
	}
	if !call.OK() {
		fmt.Fprintf(out, "\n[bot %s chat %s failed: HTTP %d]\n", verb, call.Params["chat_id"], call.Status)
		return
	}
	fmt.Fprintf(out, "\n── bot %s chat %s ──\n%s\n", verb, call.Params["chat_id"], terminalText(call.Params["text"]))
	if bs := call.Buttons(); len(bs) > 0 {
		c.last, c.lastButtons = call.Message(), bs
		for i, b := range bs {
			target := b.URL
			if target == "" {
				target = "callback " + b.CallbackData
			}
			fmt.Fprintf(out, "  [%d] %s  (%s)\n", i+1, b.Text, target)
		}
	}
	fmt.Fprint(out, "> ")
}

// do acts on a line typed at the prompt.
func (c *console) do(line string) {
	s, out := c.srv, c.out
	switch {
	case line == "":
	case line == "!help":
		fmt.Fprintln(out, ConsoleHelp)
	case strings.HasPrefix(line, "!group "):
		s.SendText(consoleGroup, consoleUser, strings.TrimSpace(strings.TrimPrefix(line, "!group ")))
	case strings.HasPrefix(line, "!anon "):
		m := s.NewMessage(consoleGroup, anonymousAdmin, strings.TrimSpace(strings.TrimPrefix(line, "!anon ")))
		sc := consoleGroup
		m.SenderChat = &sc
		s.Push(models.Update{Message: m})
	case strings.HasPrefix(line, "!inline "):
		c.mu.Lock()
		c.inlineQuery, c.inlineNext = strings.TrimSpace(strings.TrimPrefix(line, "!inline ")), ""
		q := c.inlineQuery
		c.mu.Unlock()
		s.Inline(consoleUser, q, "")
	case line == "!next":
		c.mu.Lock()
		q, next := c.inlineQuery, c.inlineNext
		c.mu.Unlock()
		if next == "" {
			fmt.Fprintln(out, "no next page")
			return
		}
		s.Inline(consoleUser, q, next)
	case strings.HasPrefix(line, "!press "):
		c.press(strings.TrimSpace(strings.TrimPrefix(line, "!press ")))
	default:
		s.SendText(consolePrivate, consoleUser, line)
	}
}

// press presses button n (counted from 1) of the bot's last message with
// buttons.
func (c *console) press(n string) {
	i, _ := strconv.Atoi(n)
	c.mu.Lock()
	m, bs := c.last, c.lastButtons
	c.mu.Unlock()
	switch {
	case m == nil || i < 1 || i > len(bs):
		fmt.Fprintln(c.out, "no such button")
	case bs[i-1].CallbackData == "":
		fmt.Fprintf(c.out, "that button opens %s\n", bs[i-1].URL)
	default:
		c.srv.Press(consoleUser, m, bs[i-1].CallbackData)
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// terminalText shows Telegram HTML in a terminal: marks stay visible as
// 【】, other tags go, entities are decoded.
func terminalText(s string) string {
	s = strings.NewReplacer("<b><u>", "【", "</u></b>", "】").Replace(s)
	s = tagRE.ReplaceAllString(s, "")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
}
