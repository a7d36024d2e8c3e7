package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// ErrBlocked is wrapped by errors of sends to a chat the bot may no longer
// write to: the user blocked the bot, or the bot was removed from the group
// (Telegram answers 403). Callers that keep subscriber lists should drop
// the chat; retrying will not help.
var ErrBlocked = errors.New("bot blocked or removed from chat")

// IsBlocked reports whether err says the bot may no longer write to the chat.
func IsBlocked(err error) bool { return errors.Is(err, ErrBlocked) }

// ErrChatBusy is wrapped by errors of sends refused because too many sends
// to the same chat are already waiting for their turn (SenderConfig.MaxQueue):
// a group asking faster than Telegram's 20 messages a minute would
// otherwise hold the bot's workers for minutes.
var ErrChatBusy = errors.New("too many messages waiting for this chat")

// RetryPolicy says how the Sender retries failed Bot API calls. A 429 is a
// wait, not a failure: the call waits for the retry_after Telegram asks for
// and tries again, as long as the total wait stays within MaxWait. 5xx
// answers, network errors and timeouts wait for an exponential backoff
// with jitter, for at most MaxAttempts attempts (and within MaxWait too).
// Other errors (400, 403, ...) are final.
type RetryPolicy struct {
	// MaxAttempts bounds the attempts that fail with a 5xx, a network
	// error or a timeout, first included (default 5). 429s do not count.
	MaxAttempts int
	// BaseBackoff is the first backoff, doubled on each retry (default 500ms).
	BaseBackoff time.Duration
	// MaxBackoff caps one backoff (default 10s).
	MaxBackoff time.Duration
	// MaxWait caps the total time one call spends waiting between its
	// attempts, retry_after and backoffs together (default 3 minutes).
	// A call that would wait longer gives up; a reply to a question given
	// up on this way is followed by a short notice to the user.
	MaxWait time.Duration
	// AttemptTimeout bounds one attempt (default 20s).
	AttemptTimeout time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 5
	}
	if p.BaseBackoff <= 0 {
		p.BaseBackoff = 500 * time.Millisecond
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 10 * time.Second
	}
	if p.MaxWait <= 0 {
		p.MaxWait = 3 * time.Minute
	}
	if p.AttemptTimeout <= 0 {
		p.AttemptTimeout = 20 * time.Second
	}
	return p
}

// SenderConfig configures a Sender. The zero value uses Telegram's limits
// (DefaultPerChat, DefaultPerGroup, DefaultGlobal) and the default RetryPolicy.
type SenderConfig struct {
	// PerChat, PerGroup and Global are the outgoing rate limits. PerGroup
	// applies on top of PerChat to chats with negative IDs (groups).
	PerChat, PerGroup, Global Rate
	// MaxQueue bounds the sends waiting for their turn in one chat
	// (default 10: at 20 a minute, half a minute of replies for a group).
	// The waiting sends of a chat take turns member by member (the user
	// whose update is being answered), so one member asking a lot cannot
	// starve the others of a group's 20 messages a minute; when the queue
	// is full, the member with the most waiting sends gives up its latest
	// one to a member with fewer, or else the newcomer is refused. Either
	// fails with ErrChatBusy, and a reply to a user is followed by a
	// notice. A negative value means no bound.
	MaxQueue int
	// Retry is the retry policy.
	Retry RetryPolicy
	// Logger receives retries and failures; slog.Default() when nil.
	Logger *slog.Logger
}

// SendOptions are the optional parts of a message. The zero value sends
// HTML without a link preview.
type SendOptions struct {
	// ReplyTo is the message ID to reply to (0 for none); the message is
	// sent even if that one was deleted.
	ReplyTo int
	// ThreadID is the forum topic to send to (0 for none).
	ThreadID int
	// Markup is the reply markup, usually a *models.InlineKeyboardMarkup.
	Markup models.ReplyMarkup
	// Plain sends the text without parse mode instead of HTML.
	Plain bool
	// Preview allows a link preview.
	Preview bool
	// Silent sends without notification.
	Silent bool
}

// APIError is a Bot API call that failed for good: after its retries, or at
// once for errors retrying cannot fix. Its text never holds the bot token.
type APIError struct {
	// Method is the Bot API method.
	Method string
	// Status is the last HTTP status; 0 for a network error or timeout.
	Status int
	// Attempts is how many attempts were made.
	Attempts int
	// Err is the last error, token removed. It wraps ErrBlocked for a 403
	// and the go-telegram/bot sentinel errors (bot.ErrorBadRequest, ...).
	Err error
	// GaveUp is true when the call failed only for lack of time: 429s,
	// 5xx answers or timeouts outlasted RetryPolicy.MaxWait or MaxAttempts.
	GaveUp bool
}

func (e *APIError) Error() string {
	return fmt.Sprintf("telegram %s failed after %d attempt(s): %v", e.Method, e.Attempts, e.Err)
}

func (e *APIError) Unwrap() error { return e.Err }

// Sender sends to Telegram through go-telegram/bot, which has neither a
// rate limiter nor retries: it keeps every send within the outgoing rate
// limits and retries 429s, 5xx answers and network failures with bounded
// waits. Its errors never contain the bot token. It is safe for concurrent
// use; announcements and other bulk sends should share the bot's Sender so
// that everything sent counts against the same limits.
type Sender struct {
	// onDrop, if set, is told about a message to a chat given up on
	// (GaveUp, or ErrChatBusy) while answering an update.
	onDrop func(ctx context.Context, chatID int64, err error)

	b        *tgbot.Bot
	lim      *outLimiter
	maxQueue int
	retry    RetryPolicy
	red      redactor
	log      *slog.Logger
	metrics  *metrics
}

// NewSender returns a Sender for b.
func NewSender(b *tgbot.Bot, cfg SenderConfig) *Sender {
	if !cfg.PerChat.valid() {
		cfg.PerChat = DefaultPerChat
	}
	if !cfg.PerGroup.valid() {
		cfg.PerGroup = DefaultPerGroup
	}
	if !cfg.Global.valid() {
		cfg.Global = DefaultGlobal
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	switch {
	case cfg.MaxQueue == 0:
		cfg.MaxQueue = 10
	case cfg.MaxQueue < 0:
		cfg.MaxQueue = 0
	}
	return &Sender{
		b:        b,
		maxQueue: cfg.MaxQueue,
		lim:      newOutLimiter(cfg.PerChat, cfg.PerGroup, cfg.Global),
		retry:    cfg.Retry.withDefaults(),
		red:      newRedactor(b.Token()),
		log:      log,
	}
}

// Bot returns the underlying client, for calls the Sender has no method
// for; wrap them in Do.
func (s *Sender) Bot() *tgbot.Bot { return s.b }

// Send sends text to chatID and returns the sent message.
func (s *Sender) Send(ctx context.Context, chatID int64, text string, o *SendOptions) (*models.Message, error) {
	if o == nil {
		o = &SendOptions{}
	}
	p := &tgbot.SendMessageParams{
		ChatID:              chatID,
		MessageThreadID:     o.ThreadID,
		Text:                text,
		LinkPreviewOptions:  preview(o.Preview),
		DisableNotification: o.Silent,
	}
	if !o.Plain {
		p.ParseMode = models.ParseModeHTML
	}
	if o.ReplyTo != 0 {
		p.ReplyParameters = &models.ReplyParameters{MessageID: o.ReplyTo, AllowSendingWithoutReply: true}
	}
	if o.Markup != nil {
		p.ReplyMarkup = wireMarkup(o.Markup)
	}
	var m *models.Message
	err := s.Do(ctx, chatID, "sendMessage", func(ctx context.Context) error {
		var err error
		m, err = s.b.SendMessage(ctx, p)
		return err
	})
	if err != nil && s.onDrop != nil && droppedForTime(err) {
		s.onDrop(ctx, chatID, err)
	}
	return m, err
}

// droppedForTime reports whether a send failed only for lack of time or
// room (and the user should be told), not because Telegram refused it.
func droppedForTime(err error) bool {
	var ae *APIError
	return errors.Is(err, ErrChatBusy) || (errors.As(err, &ae) && ae.GaveUp)
}

// Edit replaces the text (and markup) of message messageID in chatID.
// Editing a message to the text it already has is not an error.
func (s *Sender) Edit(ctx context.Context, chatID int64, messageID int, text string, o *SendOptions) error {
	p := &tgbot.EditMessageTextParams{ChatID: chatID, MessageID: messageID, Text: text}
	return s.edit(ctx, chatID, p, o)
}

// EditInline replaces the text of a message sent through inline mode.
func (s *Sender) EditInline(ctx context.Context, inlineMessageID string, text string, o *SendOptions) error {
	p := &tgbot.EditMessageTextParams{InlineMessageID: inlineMessageID, Text: text}
	return s.edit(ctx, 0, p, o)
}

func (s *Sender) edit(ctx context.Context, chatID int64, p *tgbot.EditMessageTextParams, o *SendOptions) error {
	if o == nil {
		o = &SendOptions{}
	}
	p.LinkPreviewOptions = preview(o.Preview)
	if !o.Plain {
		p.ParseMode = models.ParseModeHTML
	}
	if o.Markup != nil {
		p.ReplyMarkup = wireMarkup(o.Markup)
	}
	err := s.Do(ctx, chatID, "editMessageText", func(ctx context.Context) error {
		_, err := s.b.EditMessageText(ctx, p)
		return err
	})
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		return nil
	}
	return err
}

// AnswerCallback answers a callback query, with an optional toast text.
// Answers to queries are not messages and are not rate limited.
func (s *Sender) AnswerCallback(ctx context.Context, id, text string) error {
	return s.Do(ctx, 0, "answerCallbackQuery", func(ctx context.Context) error {
		_, err := s.b.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
		return err
	})
}

func preview(on bool) *models.LinkPreviewOptions {
	if on {
		return nil
	}
	return &models.LinkPreviewOptions{IsDisabled: tgbot.True()}
}

// Do runs one Bot API call fn with the Sender's limits and retries. When
// chatID is not 0 every attempt first waits for the chat's (and the
// global) rate limit, and counts against it until its answer is back; it
// fails at once with ErrChatBusy when SenderConfig.MaxQueue sends already
// wait for the chat. Pass 0 for calls that send nothing to a chat. fn must
// use the context it is given: it carries the attempt's timeout.
func (s *Sender) Do(ctx context.Context, chatID int64, method string, fn func(ctx context.Context) error) error {
	var waited time.Duration // between attempts, for this call
	failures := 0            // attempts failed other than by a 429
	for attempt := 1; ; attempt++ {
		var tk *ticket
		if chatID != 0 {
			var err error
			if tk, err = s.turn(ctx, chatID); err != nil {
				return &APIError{Method: method, Attempts: attempt - 1, Err: err}
			}
			if u := updateFrom(ctx); u != nil {
				u.markSending() // the reply to a journalled update is going out
			}
		}
		code, err := s.attempt(ctx, tk, fn)
		if err == nil {
			return nil
		}
		s.metrics.telegramError(method, code)
		if ctx.Err() != nil {
			return &APIError{Method: method, Status: code, Attempts: attempt, Err: err}
		}
		wait, retry, limited := s.retryWait(err, code, failures+1)
		if !limited {
			failures++
		}
		if errors.Is(err, tgbot.ErrorForbidden) {
			err = fmt.Errorf("%w: %w", ErrBlocked, err)
		}
		if !retry {
			return &APIError{Method: method, Status: code, Attempts: attempt, Err: err}
		}
		if failures >= s.retry.MaxAttempts || waited+wait > s.retry.MaxWait {
			return &APIError{Method: method, Status: code, Attempts: attempt, Err: err, GaveUp: true}
		}
		waited += wait
		if s.metrics != nil {
			s.metrics.retries.Add(1)
		}
		s.log.Warn("telegram call failed, retrying", "method", method, "status", code, "attempt", attempt, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return &APIError{Method: method, Status: code, Attempts: attempt, Err: err}
		case <-t.C:
		}
	}
}

// attempt makes one call of fn and returns the HTTP status it failed with
// (0 when none came back) and its error, token removed. The rate-limit ticket is
// released when the call is over, however it ends.
func (s *Sender) attempt(ctx context.Context, tk *ticket, fn func(ctx context.Context) error) (int, error) {
	var status atomic.Int32
	actx, cancel := context.WithTimeout(withStatus(ctx, &status), s.retry.AttemptTimeout)
	defer cancel()
	defer func() { tk.release(time.Now()) }()
	err := fn(actx)
	if err == nil {
		return 0, nil
	}
	code := statusOf(err)
	if code == 0 {
		// No status in the error: the one our HTTP client saw, if the Bot
		// was made by New (a body that did not decode, say).
		if c := int(status.Load()); c != http.StatusOK {
			code = c
		}
	}
	return code, s.red.Error(err)
}

// apiStatus finds the error code in the library's catch-all error text,
// "error response from telegram for method M, 502 Bad Gateway".
var apiStatus = regexp.MustCompile(`^error response from telegram for method [^,]*, (\d{3})\b`)

// statusOf returns the Bot API error code err reports, or 0. The library
// turns most codes into sentinel errors and the rest into text.
func statusOf(err error) int {
	var tm *tgbot.TooManyRequestsError
	var me *tgbot.MigrateError
	switch {
	case errors.As(err, &tm):
		return http.StatusTooManyRequests
	case errors.As(err, &me), errors.Is(err, tgbot.ErrorBadRequest):
		return http.StatusBadRequest
	case errors.Is(err, tgbot.ErrorForbidden):
		return http.StatusForbidden
	case errors.Is(err, tgbot.ErrorUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, tgbot.ErrorNotFound):
		return http.StatusNotFound
	case errors.Is(err, tgbot.ErrorConflict):
		return http.StatusConflict
	}
	if m := apiStatus.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// retryWait says whether a failed attempt is worth retrying, after how
// long, and whether it was a 429 (a wait Telegram asked for, not a failure).
// failure counts the attempts failed other than by 429, this one included.
func (s *Sender) retryWait(err error, status, failure int) (wait time.Duration, retry, limited bool) {
	var tm *tgbot.TooManyRequestsError
	if errors.As(err, &tm) || status == http.StatusTooManyRequests {
		d := time.Duration(0)
		if tm != nil {
			d = time.Duration(tm.RetryAfter) * time.Second
		}
		if d <= 0 {
			d = s.backoff(1)
		}
		return d, true, true
	}
	if status >= 500 || status == 0 {
		// 5xx, or no answer at all: a network error or the attempt timed out.
		return s.backoff(failure), true, false
	}
	return 0, false, false
}

func (s *Sender) backoff(attempt int) time.Duration {
	return backoff(s.retry.BaseBackoff, s.retry.MaxBackoff, attempt)
}

// backoff is the wait before retry number attempt (from 1): base doubled
// per earlier attempt, at most limit, with ±20% jitter so that callers
// failing together do not retry together.
func backoff(base, limit time.Duration, attempt int) time.Duration {
	d := base << max(attempt-1, 0)
	if d > limit || d <= 0 {
		d = limit
	}
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// turn blocks until chatID may be sent to within the rate limits, and it
// is the turn of the member this send answers (sends waiting for one chat
// take turns member by member), and returns the booked send; release it
// when the request is over.
func (s *Sender) turn(ctx context.Context, chatID int64) (*ticket, error) {
	member, exempt := int64(0), false
	if u := updateFrom(ctx); u != nil {
		member, exempt = u.member, u.notice
	}
	w := s.lim.enter(chatID, member, s.maxQueue, exempt)
	if w == nil {
		if s.metrics != nil {
			s.metrics.chatBusy.Add(1)
		}
		return nil, ErrChatBusy
	}
	defer s.lim.leave(chatID, w)
	for {
		tk, d, changed := s.lim.book(chatID, w, time.Now())
		if tk != nil {
			return tk, nil
		}
		if s.lim.evicted(w) {
			if s.metrics != nil {
				s.metrics.chatBusy.Add(1)
			}
			return nil, ErrChatBusy
		}
		if d == inFlight {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-changed:
			}
			continue
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}
