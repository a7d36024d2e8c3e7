package bottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// Telegram's limits, as the fake enforces them.
const (
	MaxMessageLen  = 4096 // characters of a message's text after entity parsing
	MaxCaptionLen  = 1024 // characters of a media caption
	MaxCallbackLen = 64   // bytes of a button's callback data
	MaxToastLen    = 200  // characters of an answerCallbackQuery text
)

// htmlTags are the tags of Telegram's HTML parse mode and the attributes
// each may carry.
var htmlTags = map[string]map[string]bool{
	"b": {}, "strong": {}, "i": {}, "em": {}, "u": {}, "ins": {}, "s": {}, "strike": {}, "del": {},
	"span": {"class": true}, "tg-spoiler": {}, "a": {"href": true}, "tg-emoji": {"emoji-id": true},
	"code": {"class": true}, "pre": {}, "blockquote": {"expandable": true},
}

// CheckHTML checks text the way Telegram parses parse_mode=HTML and
// returns the first problem, or nil: only the tags of Telegram's subset,
// with their attributes; every tag closed in order; no blockquote in a
// blockquote and nothing but code inside pre; &, < and > escaped, named
// entities limited to &lt; &gt; &amp; &quot;; at most limit characters
// once parsed (counted in UTF-16 code units, as Telegram does).
func CheckHTML(text string, limit int) error {
	var stack []string
	visible := 0
	count := func(s string) {
		for _, r := range s {
			visible += utf16.RuneLen(r)
		}
	}
	for i := 0; i < len(text); {
		switch c := text[i]; c {
		case '<':
			j := strings.IndexByte(text[i:], '>')
			if j < 0 {
				return fmt.Errorf("unclosed tag at byte %d", i)
			}
			tag := text[i+1 : i+j]
			i += j + 1
			if strings.HasPrefix(tag, "/") {
				name := strings.TrimSpace(tag[1:])
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return fmt.Errorf("unexpected end tag </%s> (open: %v)", name, stack)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			name, attrs, err := parseTag(tag)
			if err != nil {
				return err
			}
			allowed, ok := htmlTags[name]
			if !ok {
				return fmt.Errorf("unsupported start tag %q", name)
			}
			for k, v := range attrs {
				if !allowed[k] {
					return fmt.Errorf("unsupported attribute %q of <%s>", k, name)
				}
				if name == "span" && v != "tg-spoiler" {
					return fmt.Errorf("<span> with class %q", v)
				}
			}
			if name == "a" && attrs["href"] == "" {
				return fmt.Errorf("<a> without href")
			}
			for _, open := range stack {
				if open == "blockquote" && name == "blockquote" {
					return fmt.Errorf("nested <blockquote>")
				}
				if open == "pre" && name != "code" || open == "code" {
					return fmt.Errorf("<%s> inside <%s>", name, open)
				}
			}
			stack = append(stack, name)
		case '>':
			return fmt.Errorf("unescaped > at byte %d", i)
		case '&':
			j := strings.IndexByte(text[i:], ';')
			if j < 0 || j > 10 {
				return fmt.Errorf("unescaped & at byte %d", i)
			}
			ent := text[i : i+j+1]
			switch {
			case ent == "&lt;" || ent == "&gt;" || ent == "&amp;" || ent == "&quot;":
			case strings.HasPrefix(ent, "&#x") || strings.HasPrefix(ent, "&#X"):
				if _, err := strconv.ParseUint(ent[3:len(ent)-1], 16, 32); err != nil {
					return fmt.Errorf("bad entity %q", ent)
				}
			case strings.HasPrefix(ent, "&#"):
				if _, err := strconv.ParseUint(ent[2:len(ent)-1], 10, 32); err != nil {
					return fmt.Errorf("bad entity %q", ent)
				}
			default:
				return fmt.Errorf("unsupported entity %q", ent)
			}
			count(html.UnescapeString(ent))
			i += j + 1
		default:
			j := strings.IndexAny(text[i:], "<>&")
			if j < 0 {
				j = len(text) - i
			}
			count(text[i : i+j])
			i += j
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed tags %v", stack)
	}
	if visible == 0 {
		return fmt.Errorf("text is empty")
	}
	if visible > limit {
		return fmt.Errorf("text is too long: %d > %d", visible, limit)
	}
	return nil
}

// parseTag splits `a href="x"` into its name and attributes.
func parseTag(tag string) (string, map[string]string, error) {
	name, rest, _ := strings.Cut(strings.TrimSpace(tag), " ")
	attrs := map[string]string{}
	rest = strings.TrimSpace(rest)
	for rest != "" {
		k, after, hasValue := strings.Cut(rest, "=")
		if !hasValue || strings.ContainsAny(k, " \"") {
			// A bare attribute such as <blockquote expandable>.
			k, rest, _ = strings.Cut(rest, " ")
			attrs[k] = ""
			rest = strings.TrimSpace(rest)
			continue
		}
		if !strings.HasPrefix(after, `"`) {
			return "", nil, fmt.Errorf("unquoted attribute value in <%s>", tag)
		}
		end := strings.IndexByte(after[1:], '"')
		if end < 0 {
			return "", nil, fmt.Errorf("unterminated attribute value in <%s>", tag)
		}
		attrs[strings.TrimSpace(k)] = html.UnescapeString(after[1 : 1+end])
		rest = strings.TrimSpace(after[end+2:])
	}
	return name, attrs, nil
}

// checkText checks a text field sent with parse_mode, within limit.
func checkText(text, parseMode string, limit int) error {
	if parseMode == string(models.ParseModeHTML) {
		return CheckHTML(text, limit)
	}
	n := len(utf16.Encode([]rune(text)))
	if n == 0 {
		return fmt.Errorf("text is empty")
	}
	if n > limit {
		return fmt.Errorf("text is too long: %d > %d", n, limit)
	}
	return nil
}

// Violations returns every request the fake refused for breaking
// Telegram's formatting rules or limits: a test passes only with none.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

func (s *Server) violate(method string, err error) (any, int, string) {
	s.mu.Lock()
	s.violations = append(s.violations, method+": "+err.Error())
	s.mu.Unlock()
	return nil, http.StatusBadRequest, "Bad Request: can't parse entities: " + err.Error()
}

// checkCall applies the formatting rules and limits to a call's fields;
// ok is false when the call was refused (the answer is in res, status, desc).
func (s *Server) checkCall(method string, p map[string]string) (res any, status int, desc string, ok bool) {
	fail := func(err error) (any, int, string, bool) {
		r, st, d := s.violate(method, err)
		return r, st, d, false
	}
	switch method {
	case "sendMessage", "editMessageText":
		if err := checkText(p["text"], p["parse_mode"], MaxMessageLen); err != nil {
			return fail(err)
		}
	case "sendPhoto":
		if p["caption"] != "" {
			if err := checkText(p["caption"], p["parse_mode"], MaxCaptionLen); err != nil {
				return fail(fmt.Errorf("caption: %w", err))
			}
		}
	case "answerCallbackQuery":
		if n := len([]rune(p["text"])); n > MaxToastLen {
			return fail(fmt.Errorf("callback answer text is %d characters", n))
		}
	case "answerInlineQuery":
		var results []struct {
			ReplyMarkup json.RawMessage `json:"reply_markup"`
			Content     struct {
				MessageText string `json:"message_text"`
				ParseMode   string `json:"parse_mode"`
			} `json:"input_message_content"`
		}
		if err := json.Unmarshal([]byte(p["results"]), &results); err != nil {
			return fail(fmt.Errorf("results: %w", err))
		}
		for i, r := range results {
			if err := checkText(r.Content.MessageText, r.Content.ParseMode, MaxMessageLen); err != nil {
				return fail(fmt.Errorf("result %d: %w", i, err))
			}
			if msg := checkMarkup(string(r.ReplyMarkup)); msg != "" {
				return fail(fmt.Errorf("result %d: %s", i, msg))
			}
		}
	}
	if msg := checkMarkup(p["reply_markup"]); msg != "" {
		return fail(fmt.Errorf("%s", msg))
	}
	return nil, 0, "", true
}

// SetMember records user's status in chat for getChatMember
// ("creator", "administrator", "member", "left", ...). Unknown users are
// members; the bot itself is an administrator that may post.
func (s *Server) SetMember(chat, user int64, status models.ChatMemberType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.members[chat] == nil {
		s.members[chat] = map[int64]models.ChatMemberType{}
	}
	s.members[chat][user] = status
}

func (s *Server) getChatMember(p map[string]string) (any, int, string) {
	chat, err1 := strconv.ParseInt(p["chat_id"], 10, 64)
	user, err2 := strconv.ParseInt(p["user_id"], 10, 64)
	if err1 != nil || err2 != nil {
		return nil, http.StatusBadRequest, "Bad Request: chat not found"
	}
	s.mu.Lock()
	st, ok := s.members[chat][user]
	s.mu.Unlock()
	if !ok {
		st = models.ChatMemberTypeMember
		if user == BotUser.ID {
			st = models.ChatMemberTypeAdministrator
		}
	}
	res := map[string]any{"status": st, "user": map[string]any{"id": user, "is_bot": user == BotUser.ID, "first_name": "User" + strconv.FormatInt(user, 10)}}
	if st == models.ChatMemberTypeAdministrator {
		res["can_post_messages"] = true
		res["can_be_edited"] = false
	}
	return res, http.StatusOK, ""
}

// sendPhoto accepts a PNG or JPEG upload (or a file_id / URL string) and
// returns the photo message. Photo returns the uploaded bytes of a call.
func (s *Server) sendPhoto(p map[string]string) (any, int, string) {
	photo := p["photo"]
	if photo == "" {
		return nil, http.StatusBadRequest, "Bad Request: there is no photo in the request"
	}
	w, h := 0, 0
	if strings.HasPrefix(photo, "\x89PNG") {
		cfg, err := png.DecodeConfig(bytes.NewReader([]byte(photo)))
		if err != nil {
			return nil, http.StatusBadRequest, "Bad Request: IMAGE_PROCESS_FAILED"
		}
		w, h = cfg.Width, cfg.Height
	}
	chatID, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil {
		return nil, http.StatusBadRequest, "Bad Request: chat not found"
	}
	s.mu.Lock()
	chat := s.chatLocked(chatID)
	s.nextMsg++
	id := s.nextMsg
	s.mu.Unlock()
	bot := BotUser
	return &models.Message{ID: id, From: &bot, Chat: chat, Date: int(time.Now().Unix()), Caption: p["caption"],
		Photo: []models.PhotoSize{{FileID: "photo" + strconv.Itoa(id), FileUniqueID: "u" + strconv.Itoa(id), Width: w, Height: h, FileSize: len(photo)}}}, http.StatusOK, ""
}
