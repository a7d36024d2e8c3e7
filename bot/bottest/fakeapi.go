// Package bottest is an in-process fake of the Telegram Bot API for tests
// and local demos. It implements the methods govbot uses (getMe, getUpdates
// as a long-poll queue, setWebhook, deleteWebhook, sendMessage, sendPhoto,
// editMessageText, answerCallbackQuery, answerInlineQuery, setMyCommands,
// getChatMember from a table set with SetMember),
// refuses what Telegram refuses (CheckHTML: its HTML subset and limits,
// callback data of at most 64 bytes) and lists it in Violations,
// accepts multipart/form-data, JSON and URL-encoded bodies, records every
// call with a timestamp, and injects faults (error codes such as 429 with
// retry_after, slow answers, dropped connections) per method and count.
//
// It listens on 127.0.0.1 only and accepts any token, so no real token is
// ever needed to watch the bot work.
package bottest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// BotUser is the bot the fake server pretends to be.
var BotUser = models.User{ID: 777000111, IsBot: true, FirstName: "GovBot", Username: "govbot_test_bot", CanJoinGroups: true, SupportInlineQueries: true}

// Call is one recorded Bot API request.
type Call struct {
	// Time is when the request arrived.
	Time time.Time
	// Token is the token in the request path.
	Token string
	// Method is the Bot API method, e.g. "sendMessage".
	Method string
	// Params holds the request fields; non-string JSON values are kept as
	// raw JSON text, as Telegram's form encoding does.
	Params map[string]string
	// Status is the HTTP status answered; 0 when the connection was dropped
	// or the client gave up waiting.
	Status int
	// Result is the JSON result returned, for successful calls.
	Result json.RawMessage
}

// Int returns the integer parameter name, or 0.
func (c Call) Int(name string) int64 {
	n, _ := strconv.ParseInt(strings.Trim(c.Params[name], `"`), 10, 64)
	return n
}

// ReplyTo returns the message ID the call replies to (reply_parameters), or 0.
func (c Call) ReplyTo() int {
	var rp struct {
		MessageID int `json:"message_id"`
	}
	if s := c.Params["reply_parameters"]; s != "" {
		_ = json.Unmarshal([]byte(s), &rp)
	}
	if rp.MessageID == 0 {
		n, _ := strconv.Atoi(c.Params["reply_to_message_id"])
		return n
	}
	return rp.MessageID
}

// Buttons returns the inline keyboard of the call (reply_markup), row-major.
func (c Call) Buttons() []models.InlineKeyboardButton {
	var m models.InlineKeyboardMarkup
	if s := c.Params["reply_markup"]; s != "" {
		_ = json.Unmarshal([]byte(s), &m)
	}
	var out []models.InlineKeyboardButton
	for _, row := range m.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}

// OK reports whether the call succeeded.
func (c Call) OK() bool { return c.Status == http.StatusOK }

// Fault is an injected failure for the next Times calls of Method.
type Fault struct {
	// Method is the Bot API method the fault applies to ("" for any).
	Method string
	// Times is how many calls fail; 0 means 1.
	Times int
	// Code is the error code answered (429, 500, 403, ...); 0 with Delay
	// only slows the call down and then answers it normally.
	Code int
	// RetryAfter is parameters.retry_after for a 429.
	RetryAfter int
	// Description is the error description; a default one when empty.
	Description string
	// Delay holds the answer back for this long. A client that gives up
	// first (a timeout) gets no answer and the call is not carried out.
	Delay time.Duration
	// Drop closes the connection without an answer.
	Drop bool
}

// Server is the fake Bot API. Create it with New or Listen.
type Server struct {
	// URL is the base URL to pass to bot.WithServerURL.
	URL string

	srv      *http.Server
	ln       net.Listener
	ts       *httptest.Server
	closing  chan struct{}
	closeOne sync.Once

	mu         sync.Mutex
	cond       chan struct{} // closed and replaced when updates or calls change
	updates    []models.Update
	nextUpdate int64
	nextMsg    int
	calls      []Call
	faults     []*Fault
	webhook    string
	secret     string
	onCall     func(Call)
	pushed     map[int64]time.Time
	raw        map[int64]string
	chats      map[int64]models.Chat
	maxPoll    time.Duration
	webhookCli *http.Client
	members    map[int64]map[int64]models.ChatMemberType // getChatMember (check.go)
	violations []string                                  // refused by checkCall
}

// New starts a fake server on an ephemeral 127.0.0.1 port; Close stops it.
func New() *Server {
	s := newServer()
	s.ts = httptest.NewServer(s)
	s.URL = s.ts.URL
	return s
}

// Listen starts a fake server on addr (host:port, "127.0.0.1:0" for any port).
func Listen(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("bottest: listen: %w", err)
	}
	s := newServer()
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func newServer() *Server {
	return &Server{
		cond:       make(chan struct{}),
		closing:    make(chan struct{}),
		nextUpdate: 1000,
		nextMsg:    5000,
		pushed:     map[int64]time.Time{},
		raw:        map[int64]string{},
		chats:      map[int64]models.Chat{},
		members:    map[int64]map[int64]models.ChatMemberType{},
		maxPoll:    30 * time.Second,
		webhookCli: &http.Client{Timeout: 30 * time.Second},
	}
}

// Close stops the server, releasing pending long polls.
func (s *Server) Close() {
	s.closeOne.Do(func() { close(s.closing) })
	if s.ts != nil {
		s.ts.CloseClientConnections()
		s.ts.Close()
	}
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = s.srv.Shutdown(ctx)
	}
}

// SetMaxPoll caps how long getUpdates waits for updates, whatever timeout
// the client asks for.
func (s *Server) SetMaxPoll(d time.Duration) {
	s.mu.Lock()
	s.maxPoll = d
	s.mu.Unlock()
}

// OnCall sets a function called after each recorded call (for the CLI).
func (s *Server) OnCall(f func(Call)) {
	s.mu.Lock()
	s.onCall = f
	s.mu.Unlock()
}

// Inject adds a fault. Faults apply in the order they were added.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &f)
	s.mu.Unlock()
}

// broadcast wakes every waiter; s.mu must be held.
func (s *Server) broadcast() {
	close(s.cond)
	s.cond = make(chan struct{})
}

// Push queues an update for getUpdates (or posts it to the webhook when one
// is set) and returns its update_id. Chats seen in pushed messages are
// remembered so that sent messages carry the right chat type.
func (s *Server) Push(u models.Update) int64 {
	s.mu.Lock()
	s.nextUpdate++
	u.ID = s.nextUpdate
	for _, m := range []*models.Message{u.Message, u.EditedMessage, u.ChannelPost} {
		if m != nil && m.Chat.ID != 0 {
			s.chats[m.Chat.ID] = m.Chat
		}
	}
	s.pushed[u.ID] = time.Now()
	hook, secret := s.webhook, s.secret
	if hook == "" {
		s.updates = append(s.updates, u)
		s.broadcast()
	}
	s.mu.Unlock()
	if hook != "" {
		go s.postWebhook(hook, secret, u)
	}
	return u.ID
}

func (s *Server) postWebhook(hook, secret string, u models.Update) {
	body, _ := json.Marshal(u)
	req, err := http.NewRequest(http.MethodPost, hook, strings.NewReader(string(body)))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	if resp, err := s.webhookCli.Do(req); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// PushRaw queues a raw JSON update (for malformed updates); the update_id
// field is set by the server. It returns the update_id.
func (s *Server) PushRaw(raw string) int64 {
	s.mu.Lock()
	s.nextUpdate++
	id := s.nextUpdate
	s.pushed[id] = time.Now()
	s.updates = append(s.updates, models.Update{ID: id})
	// Keep the raw text beside the update: getUpdates splices it in.
	s.raw[id] = raw
	s.broadcast()
	s.mu.Unlock()
	return id
}

// PushedAt returns when update id was pushed.
func (s *Server) PushedAt(id int64) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushed[id]
}

// Chat types for test helpers.
var (
	// PrivateChat is a private chat with user u.
	PrivateChat = func(u models.User) models.Chat {
		return models.Chat{ID: u.ID, Type: models.ChatTypePrivate, FirstName: u.FirstName, Username: u.Username}
	}
	// GroupChat is a supergroup with the given ID (negative, as Telegram's are).
	GroupChat = func(id int64, title string) models.Chat {
		return models.Chat{ID: id, Type: models.ChatTypeSupergroup, Title: title}
	}
)

// User returns a test user with the given ID.
func User(id int64) models.User {
	return models.User{ID: id, FirstName: "User" + strconv.FormatInt(id, 10), Username: "user" + strconv.FormatInt(id, 10), LanguageCode: "zh-hans"}
}

// NewMessage returns a text message from user in chat with a fresh
// message_id, marking a leading /command and @mentions with entities as
// Telegram does.
func (s *Server) NewMessage(chat models.Chat, from models.User, text string) *models.Message {
	s.mu.Lock()
	s.nextMsg++
	id := s.nextMsg
	s.mu.Unlock()
	return &models.Message{ID: id, From: &from, Chat: chat, Date: int(time.Now().Unix()), Text: text, Entities: Entities(text)}
}

// SendText pushes a text message from user in chat and returns the update
// ID and message ID.
func (s *Server) SendText(chat models.Chat, from models.User, text string) (updateID int64, messageID int) {
	m := s.NewMessage(chat, from, text)
	return s.Push(models.Update{Message: m}), m.ID
}

// Entities finds the bot_command at the start of text and the @mentions in
// it, with offsets and lengths in UTF-16 code units as Telegram counts them.
func Entities(text string) []models.MessageEntity {
	var ents []models.MessageEntity
	u16 := 0
	runes := []rune(text)
	for i := 0; i < len(runes); {
		r := runes[i]
		if (r == '/' && i == 0) || (r == '@' && (i == 0 || !isWord(runes[i-1]))) {
			j := i + 1
			for j < len(runes) && (isWord(runes[j]) || (r == '/' && runes[j] == '@')) {
				j++
			}
			if j > i+1 {
				typ := models.MessageEntityTypeMention
				if r == '/' {
					typ = models.MessageEntityTypeBotCommand
				}
				ents = append(ents, models.MessageEntity{Type: typ, Offset: u16, Length: utf16Len(runes[i:j])})
				u16 += utf16Len(runes[i:j])
				i = j
				continue
			}
		}
		u16 += utf16Len(runes[i : i+1])
		i++
	}
	return ents
}

func isWord(r rune) bool {
	return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func utf16Len(rs []rune) int {
	n := 0
	for _, r := range rs {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// Calls returns the recorded calls of method ("" for all), in arrival order.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Delivered returns the successful calls of method.
func (s *Server) Delivered(method string) []Call {
	var out []Call
	for _, c := range s.Calls(method) {
		if c.OK() {
			out = append(out, c)
		}
	}
	return out
}

// WaitFor waits until pred holds for the recorded calls, or ctx ends.
func (s *Server) WaitFor(ctx context.Context, pred func(calls []Call) bool) error {
	for {
		s.mu.Lock()
		ok := pred(s.calls)
		ch := s.cond
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// WaitDelivered waits until at least n successful calls of method were recorded.
func (s *Server) WaitDelivered(ctx context.Context, method string, n int) ([]Call, error) {
	err := s.WaitFor(ctx, func(calls []Call) bool {
		k := 0
		for _, c := range calls {
			if c.Method == method && c.OK() {
				k++
			}
		}
		return k >= n
	})
	return s.Delivered(method), err
}

// Webhook returns the webhook URL and secret set by setWebhook.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook, s.secret
}

// ServeHTTP answers /bot<token>/<method>, and POST /_push, which queues a
// text message (form fields text, chat, user; chat < 0 is a group) for
// scripts and the command line.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	if r.URL.Path == "/_push" && r.Method == http.MethodPost {
		s.servePush(w, r)
		return
	}
	token, method, ok := splitPath(r.URL.Path)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"})
		return
	}
	params, err := parseParams(r)
	call := Call{Time: arrived, Token: token, Method: method, Params: params}
	if err != nil {
		call.Status = http.StatusBadRequest
		s.record(call)
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + err.Error()})
		return
	}
	if f := s.takeFault(method); f != nil {
		if f.Delay > 0 {
			select {
			case <-time.After(f.Delay):
			case <-r.Context().Done():
				// The client gave up (its timeout): the request is not
				// carried out, so a retry does not deliver twice.
				call.Status = 0
				s.record(call)
				return
			case <-s.closing:
			}
		}
		if f.Drop {
			call.Status = 0
			s.record(call)
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		if f.Code != 0 {
			call.Status = f.Code
			s.record(call)
			desc := f.Description
			if desc == "" {
				desc = http.StatusText(f.Code)
				if f.Code == http.StatusTooManyRequests {
					desc = "Too Many Requests: retry after " + strconv.Itoa(f.RetryAfter)
				}
			}
			resp := map[string]any{"ok": false, "error_code": f.Code, "description": desc}
			if f.RetryAfter > 0 {
				resp["parameters"] = map[string]any{"retry_after": f.RetryAfter}
			}
			writeJSON(w, f.Code, resp)
			return
		}
	}
	result, status, desc := s.dispatch(r.Context(), method, params)
	call.Status = status
	if status == http.StatusOK {
		call.Result, _ = json.Marshal(result)
	}
	s.record(call)
	if status != http.StatusOK {
		writeJSON(w, status, map[string]any{"ok": false, "error_code": status, "description": desc})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": json.RawMessage(call.Result)})
}

func (s *Server) servePush(w http.ResponseWriter, r *http.Request) {
	text := r.FormValue("text")
	if text == "" {
		http.Error(w, "text is required", http.StatusBadRequest)
		return
	}
	userID, _ := strconv.ParseInt(r.FormValue("user"), 10, 64)
	if userID == 0 {
		userID = 1001
	}
	chatID, _ := strconv.ParseInt(r.FormValue("chat"), 10, 64)
	u := User(userID)
	chat := PrivateChat(u)
	if chatID < 0 {
		chat = GroupChat(chatID, "Test group")
	}
	upd, msg := s.SendText(chat, u, text)
	writeJSON(w, http.StatusOK, map[string]any{"update_id": upd, "message_id": msg})
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	if c.Method != "getUpdates" || c.Status != http.StatusOK || string(c.Result) != "[]" {
		s.calls = append(s.calls, c)
	}
	f := s.onCall
	s.broadcast()
	s.mu.Unlock()
	if f != nil && c.Method != "getUpdates" {
		f(c)
	}
}

func (s *Server) takeFault(method string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method == "" || f.Method == method {
			f.Times--
			if f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

func splitPath(p string) (token, method string, ok bool) {
	p = strings.TrimPrefix(p, "/")
	if !strings.HasPrefix(p, "bot") {
		return "", "", false
	}
	p = strings.TrimPrefix(p, "bot")
	i := strings.LastIndexByte(p, '/')
	if i <= 0 || i == len(p)-1 {
		return "", "", false
	}
	token, method = p[:i], p[i+1:]
	token = strings.TrimSuffix(token, "/test")
	return token, method, true
}

// parseParams reads the fields of a Bot API request however they come.
func parseParams(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range r.URL.Query() {
		out[k] = v[0]
	}
	ct, ps, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, ps["boundary"])
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return out, fmt.Errorf("multipart: %w", err)
			}
			b, err := io.ReadAll(io.LimitReader(p, 10<<20))
			if err != nil {
				return out, fmt.Errorf("multipart: %w", err)
			}
			out[p.FormName()] = string(b)
		}
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil && !errors.Is(err, io.EOF) {
			return out, fmt.Errorf("json: %w", err)
		}
		for k, v := range m {
			var str string
			if json.Unmarshal(v, &str) == nil {
				out[k] = str
			} else {
				out[k] = string(v)
			}
		}
	case "application/x-www-form-urlencoded":
		b, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
		if err != nil {
			return out, err
		}
		vs, err := url.ParseQuery(string(b))
		if err != nil {
			return out, fmt.Errorf("form: %w", err)
		}
		for k, v := range vs {
			out[k] = v[0]
		}
	}
	return out, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// dispatch performs method and returns its result, or a status and description.
func (s *Server) dispatch(ctx context.Context, method string, p map[string]string) (any, int, string) {
	if res, status, desc, ok := s.checkCall(method, p); !ok {
		return res, status, desc
	}
	switch method {
	case "getChatMember":
		return s.getChatMember(p)
	case "sendPhoto":
		return s.sendPhoto(p)
	case "getMe":
		return BotUser, http.StatusOK, ""
	case "getUpdates":
		return s.getUpdates(ctx, p)
	case "setWebhook":
		s.mu.Lock()
		s.webhook, s.secret = p["url"], p["secret_token"]
		s.mu.Unlock()
		return true, http.StatusOK, ""
	case "deleteWebhook":
		s.mu.Lock()
		s.webhook, s.secret = "", ""
		s.mu.Unlock()
		return true, http.StatusOK, ""
	case "getWebhookInfo":
		s.mu.Lock()
		defer s.mu.Unlock()
		return models.WebhookInfo{URL: s.webhook, PendingUpdateCount: len(s.updates)}, http.StatusOK, ""
	case "sendMessage", "editMessageText":
		if p["text"] == "" {
			return nil, http.StatusBadRequest, "Bad Request: message text is empty"
		}
		if n := visibleLen(p["text"], p["parse_mode"]); n > 4096 {
			return nil, http.StatusBadRequest, "Bad Request: message is too long"
		}
		if msg := checkMarkup(p["reply_markup"]); msg != "" {
			return nil, http.StatusBadRequest, "Bad Request: " + msg
		}
		if method == "editMessageText" && p["inline_message_id"] != "" {
			return true, http.StatusOK, ""
		}
		chatID, err := strconv.ParseInt(p["chat_id"], 10, 64)
		if err != nil {
			return nil, http.StatusBadRequest, "Bad Request: chat not found"
		}
		s.mu.Lock()
		chat := s.chatLocked(chatID)
		id, _ := strconv.Atoi(p["message_id"])
		if method == "sendMessage" {
			s.nextMsg++
			id = s.nextMsg
		}
		s.mu.Unlock()
		bot := BotUser
		m := &models.Message{ID: id, From: &bot, Chat: chat, Date: int(time.Now().Unix()), Text: p["text"]}
		return m, http.StatusOK, ""
	case "answerCallbackQuery", "answerInlineQuery", "setMyCommands", "deleteMyCommands", "sendChatAction":
		return true, http.StatusOK, ""
	}
	return nil, http.StatusNotFound, "Not Found: method not found"
}

func (s *Server) getUpdates(ctx context.Context, p map[string]string) (any, int, string) {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	timeout, _ := strconv.Atoi(p["timeout"])
	s.mu.Lock()
	if s.webhook != "" {
		s.mu.Unlock()
		return nil, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
	}
	wait := time.Duration(timeout) * time.Second
	if wait > s.maxPoll {
		wait = s.maxPoll
	}
	s.mu.Unlock()
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		// Confirm (drop) updates below offset, as Telegram does.
		if offset > 0 {
			k := 0
			for k < len(s.updates) && s.updates[k].ID < offset {
				k++
			}
			s.updates = s.updates[k:]
		}
		if len(s.updates) > 0 {
			n := min(len(s.updates), 100)
			out := make([]json.RawMessage, 0, n)
			for _, u := range s.updates[:n] {
				if raw, ok := s.raw[u.ID]; ok {
					out = append(out, spliceID(raw, u.ID))
					continue
				}
				b, _ := json.Marshal(u)
				out = append(out, b)
			}
			s.mu.Unlock()
			return out, http.StatusOK, ""
		}
		ch := s.cond
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			return []json.RawMessage{}, http.StatusOK, ""
		case <-ctx.Done():
			return []json.RawMessage{}, http.StatusOK, ""
		case <-s.closing:
			return []json.RawMessage{}, http.StatusOK, ""
		}
	}
}

// spliceID puts "update_id" into a raw JSON object. Anything else becomes
// the "message" of an update with that ID (valid JSON, wrong shape), so the
// batch stays decodable JSON as Telegram's always is.
func spliceID(raw string, id int64) json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		b, _ := json.Marshal(map[string]any{"update_id": id, "message": raw})
		return b
	}
	m["update_id"] = json.RawMessage(strconv.FormatInt(id, 10))
	b, _ := json.Marshal(m)
	return b
}

// Message decodes the message a successful sendMessage or editMessageText
// returned, or nil.
func (c Call) Message() *models.Message {
	var m models.Message
	if json.Unmarshal(c.Result, &m) != nil || m.ID == 0 {
		return nil
	}
	return &m
}

// Press pushes a callback query: user from pressing the button with data on
// the bot's message msg. It returns the update ID.
func (s *Server) Press(from models.User, msg *models.Message, data string) int64 {
	s.mu.Lock()
	s.nextMsg++
	id := "cb" + strconv.Itoa(s.nextMsg)
	s.mu.Unlock()
	return s.Push(models.Update{CallbackQuery: &models.CallbackQuery{
		ID:      id,
		From:    from,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: msg},
		Data:    data,
	}})
}

// Inline pushes an inline query typed by from, with the paging offset.
func (s *Server) Inline(from models.User, query, offset string) int64 {
	s.mu.Lock()
	s.nextMsg++
	id := "iq" + strconv.Itoa(s.nextMsg)
	s.mu.Unlock()
	return s.Push(models.Update{InlineQuery: &models.InlineQuery{ID: id, From: &from, Query: query, Offset: offset, ChatType: "sender"}})
}

// InlineResults decodes the results and next_offset of an answerInlineQuery call.
func (c Call) InlineResults() (results []InlineResult, nextOffset string) {
	_ = json.Unmarshal([]byte(c.Params["results"]), &results)
	return results, c.Params["next_offset"]
}

// InlineResult is an inline article as sent to answerInlineQuery.
type InlineResult struct {
	Type                string `json:"type"`
	ID                  string `json:"id"`
	Title               string `json:"title"`
	Description         string `json:"description"`
	InputMessageContent struct {
		MessageText string `json:"message_text"`
		ParseMode   string `json:"parse_mode"`
	} `json:"input_message_content"`
}

// visibleLen counts the characters of a message text as Telegram limits it
// (4096), after entity parsing: in HTML parse mode tags do not count and
// an entity such as &amp; is one character.
func visibleLen(text, parseMode string) int {
	if parseMode == string(models.ParseModeHTML) {
		text = html.UnescapeString(htmlTag.ReplaceAllString(text, ""))
	}
	return utf8.RuneCountInString(text)
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// checkMarkup checks an inline keyboard the way Telegram does and returns
// Telegram's error description, or "" when it is acceptable: callback data
// of 1 to 64 bytes, exactly one action per button, no empty copy_text.
func checkMarkup(raw string) string {
	if raw == "" || raw == "null" {
		return ""
	}
	var m struct {
		InlineKeyboard [][]map[string]json.RawMessage `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return "can't parse reply keyboard markup JSON object"
	}
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			actions := 0
			for k, v := range b {
				switch k {
				case "text", "icon_custom_emoji_id", "style":
					continue
				case "copy_text":
					var ct struct{ Text string }
					if json.Unmarshal(v, &ct) != nil || ct.Text == "" {
						return "BUTTON_COPY_TEXT_INVALID"
					}
				case "callback_data":
					var d string
					if json.Unmarshal(v, &d) != nil || d == "" || len(d) > 64 {
						return "BUTTON_DATA_INVALID"
					}
				}
				actions++
			}
			if actions != 1 {
				return "can't parse inline keyboard button: exactly one of the optional fields must be used"
			}
		}
	}
	return ""
}

// chatLocked returns the chat chatID, as registered or, unknown, made up:
// private for a user's ID, a supergroup for a negative one. s.mu is held.
func (s *Server) chatLocked(chatID int64) models.Chat {
	if chat, ok := s.chats[chatID]; ok {
		return chat
	}
	chat := models.Chat{ID: chatID, Type: models.ChatTypePrivate}
	if chatID < 0 {
		chat.Type = models.ChatTypeSupergroup
	}
	return chat
}
