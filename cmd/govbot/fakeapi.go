package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/bot/bottest"
)

func init() {
	register(&command{
		name:    "fakeapi",
		summary: "serve a fake Telegram Bot API on 127.0.0.1 to try the bot without a token",
		run:     runFakeAPI,
	})
}

const fakeAPIHelp = `Type a question and press Enter: it reaches the bot as a private message.
  /start, /help, /reports 湖北 2025 ...   commands, as a user would send them
  !group TEXT       a message in a group chat (try "!group /ask 问题" and "!group 问题")
  !anon TEXT        a message in the group sent as the group (an anonymous admin)
  !inline TEXT      an inline query (@bot TEXT)
  !next             the next page of the last inline query (next_offset)
  !press N          press button N of the bot's last message
  !help             this help
Also: curl -d text=问题 URL/_push  (fields: text, user, chat; chat<0 is a group).`

func runFakeAPI(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("fakeapi", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	listen := fs.String("listen", "127.0.0.1:8081", "address to serve the fake Bot API on (keep it on 127.0.0.1)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: govbot fakeapi [--listen ADDR]\n\nServes a fake Telegram Bot API and a REPL that plays the user. In another terminal:\n  govbot serve --api-url http://ADDR --token 123:TEST\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	srv, err := bottest.Listen(*listen)
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.SetMaxPoll(25e9)

	user := bottest.User(1001)
	private := bottest.PrivateChat(user)
	group := bottest.GroupChat(-100123, "Test group")

	var mu sync.Mutex
	var last *models.Message // the bot's last message with buttons
	var lastButtons []models.InlineKeyboardButton
	var inlineQuery, inlineNext string // the last inline query and its next_offset
	out := e.stdout
	srv.OnCall(func(c bottest.Call) {
		mu.Lock()
		defer mu.Unlock()
		switch c.Method {
		case "sendMessage", "editMessageText":
			verb := "→"
			if c.Method == "editMessageText" {
				verb = "✎"
			}
			if !c.OK() {
				fmt.Fprintf(out, "\n[bot %s chat %s failed: HTTP %d]\n", verb, c.Params["chat_id"], c.Status)
				return
			}
			fmt.Fprintf(out, "\n── bot %s chat %s ──\n%s\n", verb, c.Params["chat_id"], terminalText(c.Params["text"]))
			if bs := c.Buttons(); len(bs) > 0 {
				last, lastButtons = c.Message(), bs
				for i, b := range bs {
					target := b.URL
					if target == "" {
						target = "callback " + b.CallbackData
					}
					fmt.Fprintf(out, "  [%d] %s  (%s)\n", i+1, b.Text, target)
				}
			}
			fmt.Fprint(out, "> ")
		case "sendPhoto":
			if !c.OK() {
				fmt.Fprintf(out, "\n[bot 📈 chat %s failed: HTTP %d]\n> ", c.Params["chat_id"], c.Status)
				return
			}
			size := ""
			if m := c.Message(); m != nil && len(m.Photo) > 0 {
				size = fmt.Sprintf("%d×%d, %d bytes", m.Photo[0].Width, m.Photo[0].Height, m.Photo[0].FileSize)
			}
			fmt.Fprintf(out, "\n── bot 📈 chat %s: chart PNG %s ──\n%s\n> ", c.Params["chat_id"], size, terminalText(c.Params["caption"]))
		case "answerInlineQuery":
			res, next := c.InlineResults()
			inlineNext = next
			fmt.Fprintf(out, "\n── inline results (%d, next_offset %q) ──\n", len(res), next)
			for i, r := range res {
				fmt.Fprintf(out, "  %d. %s — %s\n", i+1, r.Title, strings.ReplaceAll(r.Description, "\n", " "))
			}
			fmt.Fprint(out, "> ")
		case "answerCallbackQuery":
			if t := c.Params["text"]; t != "" {
				fmt.Fprintf(out, "\n[toast] %s\n> ", t)
			}
		case "getMe", "setMyCommands", "deleteWebhook", "setWebhook":
			fmt.Fprintf(out, "[bot called %s]\n", c.Method)
		}
	})

	fmt.Fprintf(out, "Fake Telegram Bot API on %s\nIn another terminal run:\n  go run ./cmd/govbot serve --api-url %s --token 123:TEST --listen 127.0.0.1:8080\n\n%s\n> ", srv.URL, srv.URL, fakeAPIHelp)

	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(e.stdin)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	stdinOpen := true
	for {
		var line string
		if stdinOpen {
			select {
			case <-ctx.Done():
				return nil
			case l, ok := <-lines:
				if !ok {
					// No terminal (or EOF): keep serving for /_push until interrupted.
					stdinOpen = false
					fmt.Fprintln(out, "\n(stdin closed; still serving, inject with POST /_push; Ctrl-C to stop)")
					continue
				}
				line = strings.TrimSpace(l)
			}
		} else {
			<-ctx.Done()
			return nil
		}
		switch {
		case line == "":
		case line == "!help":
			fmt.Fprintln(out, fakeAPIHelp)
		case strings.HasPrefix(line, "!group "):
			srv.SendText(group, user, strings.TrimSpace(strings.TrimPrefix(line, "!group ")))
		case strings.HasPrefix(line, "!anon "):
			m := srv.NewMessage(group, models.User{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"}, strings.TrimSpace(strings.TrimPrefix(line, "!anon ")))
			sc := group
			m.SenderChat = &sc
			srv.Push(models.Update{Message: m})
		case strings.HasPrefix(line, "!inline "):
			mu.Lock()
			inlineQuery, inlineNext = strings.TrimSpace(strings.TrimPrefix(line, "!inline ")), ""
			mu.Unlock()
			srv.Inline(user, inlineQuery, "")
		case line == "!next":
			mu.Lock()
			q, next := inlineQuery, inlineNext
			mu.Unlock()
			if next == "" {
				fmt.Fprintln(out, "no next page")
				break
			}
			srv.Inline(user, q, next)
		case strings.HasPrefix(line, "!press "):
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "!press ")))
			mu.Lock()
			m, bs := last, lastButtons
			mu.Unlock()
			switch {
			case m == nil || n < 1 || n > len(bs):
				fmt.Fprintln(out, "no such button")
			case bs[n-1].CallbackData == "":
				fmt.Fprintf(out, "that button opens %s\n", bs[n-1].URL)
			default:
				srv.Press(user, m, bs[n-1].CallbackData)
			}
		default:
			srv.SendText(private, user, line)
		}
		fmt.Fprint(out, "> ")
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
