package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/store"
)

// Announcements are delivered through the persistent outbox in package
// store. Each (report, chat) entry goes pending → sending → sent, and the
// "sending" mark is committed before the Bot API call, the "sent" mark right
// after it. What "shown once" means across a stop:
//
//   - A graceful stop (SIGTERM, context cancelled) never leaves an entry
//     ambiguous: waiting for a rate-limit turn is cancelled before the
//     entry is touched, and a call already made is finished (on a context
//     detached from the cancelled one, bounded by the Sender's
//     RetryPolicy.AttemptTimeout) and its
//     outcome committed before Run returns. Restarting sends each remaining
//     entry exactly once.
//   - A hard crash (kill -9, power loss) in the few milliseconds between
//     Telegram accepting a message and the "sent" commit leaves that entry
//     in state sending, and the Bot API offers no way to ask whether a
//     message arrived. Run resolves such entries at startup by sending them
//     again (store.RecoverInflight(true)): at least once, so no subscriber
//     misses a report, at the cost of a possible duplicate for at most
//     Workers chats per crash. The same holds for an attempt that timed out
//     (Telegram may have accepted it before the answer was lost).
//
// Missing an announcement is worse for a subscriber than seeing one twice,
// hence the choice; /stats shows how many entries were re-sent that way.

// AnnouncerStore is the state the announcer and the subscription and
// admin commands keep: any store.Backend (the embedded bbolt file or
// PostgreSQL) is one.
type AnnouncerStore interface {
	store.Subscriptions
	store.Outbox
	store.ReportCatalog
	store.Admin
}

// AnnouncerConfig configures an Announcer.
type AnnouncerConfig struct {
	// Store holds subscriptions and the outbox.
	Store AnnouncerStore
	// Sender sends within the bot's shared limits; use Server.Sender so
	// that announcements and replies count against the same budget.
	Sender *Sender
	// Report returns an indexed report by ID, for rendering.
	Report func(id string) (*corpus.Report, error)
	// Workers is how many sends may be in flight at once (default 4).
	Workers int
	// Global and PerGroup pace announcements on top of the Sender's limits
	// (defaults 25/s and DefaultPerGroup): announcements take at most 25 of
	// Telegram's 30 messages a second, leaving room for replies to
	// questions, which share the Sender.
	Global, PerGroup Rate
	// MaxAttempts is how many attempts an entry gets for 5xx answers and
	// timeouts before it is marked failed (default 10).
	MaxAttempts int
	// BaseBackoff and MaxBackoff bound the backoff between such attempts
	// (defaults 2s and 5min).
	BaseBackoff, MaxBackoff time.Duration
	// Idle is the longest the dispatcher sleeps when nothing is due and
	// nobody calls Wake (default 30s).
	Idle time.Duration
	// Logger receives one line per failure; slog.Default() when nil.
	Logger *slog.Logger
}

// Announcer delivers queued announcements to subscribed chats, within the
// rate limits, retrying temporary failures and dropping chats that blocked
// the bot. It also serves the /subscribe family and the admin commands (see
// Server.EnableAnnouncements).
type Announcer struct {
	cfg   AnnouncerConfig
	st    AnnouncerStore
	send  *Sender
	pace  *outLimiter
	log   *slog.Logger
	wake  chan struct{}
	freed chan struct{}

	mu    sync.Mutex
	taken map[string]bool // entries handed to a worker
	cache map[string]*corpus.Report

	sent, retried, dropped, failed atomic.Int64
}

// NewAnnouncer returns an Announcer for cfg; Run starts delivering.
func NewAnnouncer(cfg AnnouncerConfig) (*Announcer, error) {
	if cfg.Store == nil || cfg.Sender == nil || cfg.Report == nil {
		return nil, errors.New("bot: announcer needs a store, a sender and a report source")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if !cfg.Global.valid() {
		cfg.Global = Rate{N: 25, Per: time.Second}
	}
	if !cfg.PerGroup.valid() {
		cfg.PerGroup = DefaultPerGroup
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 10
	}
	if cfg.BaseBackoff <= 0 {
		cfg.BaseBackoff = 2 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Minute
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 30 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = cfg.Sender.log
	}
	return &Announcer{
		cfg:   cfg,
		st:    cfg.Store,
		send:  cfg.Sender,
		pace:  newOutLimiter(Rate{}, cfg.PerGroup, cfg.Global),
		log:   log,
		wake:  make(chan struct{}, 1),
		freed: make(chan struct{}, 1),
		taken: map[string]bool{},
		cache: map[string]*corpus.Report{},
	}, nil
}

// Wake tells the dispatcher that entries were queued (a report was
// ingested, an admin re-sent one), so it need not wait for its next look.
func (a *Announcer) Wake() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// Ingested tells the announcer that report id was indexed or revised (and
// announcements of it may have been queued): it drops its copy of the report
// and wakes the dispatcher.
func (a *Announcer) Ingested(id string) {
	a.mu.Lock()
	delete(a.cache, id)
	a.mu.Unlock()
	a.Wake()
}

// DeliveryCounts are the outcomes of the attempts made since the Announcer
// was created.
type DeliveryCounts struct {
	Sent, Retried, Dropped, Failed int64
}

// Counts returns the attempt outcomes so far.
func (a *Announcer) Counts() DeliveryCounts {
	return DeliveryCounts{Sent: a.sent.Load(), Retried: a.retried.Load(), Dropped: a.dropped.Load(), Failed: a.failed.Load()}
}

// Run delivers due outbox entries until ctx is cancelled, then lets the
// calls in flight finish and records their outcome before returning. Entries
// a crashed process left in flight are re-sent first (see the package
// comment on delivery). Only one Run may use a store at a time.
func (a *Announcer) Run(ctx context.Context) error {
	rec, err := a.st.RecoverInflight(true)
	if err != nil {
		return err
	}
	if len(rec) > 0 {
		a.log.Warn("announcements interrupted by a crash will be sent again (possible duplicates)", "entries", len(rec))
		_ = a.st.LogError("announce", fmt.Errorf("%d announcements were in flight when govbot stopped; re-sent, possibly twice", len(rec)))
	}
	// What an earlier process sent in the last group window still counts
	// for Telegram: book it, so that a quick restart does not double the rate.
	now := time.Now()
	recent, err := a.st.SentSince(now.Add(-max(a.cfg.PerGroup.Per, a.cfg.Global.Per)))
	if err != nil {
		return err
	}
	for _, d := range recent {
		at := d.SentAt
		if at.After(now) {
			at = now
		}
		a.pace.reserve(d.ChatID, at)
	}
	// A send that was in flight at the crash may have reached Telegram
	// without being recorded: book it too, as of now, the latest it can
	// have counted.
	for _, d := range rec {
		a.pace.reserve(d.ChatID, now)
	}
	jobs := make(chan store.Delivery)
	var wg sync.WaitGroup
	for range a.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				a.deliver(ctx, d)
				a.mu.Lock()
				delete(a.taken, string(outboxKey(d)))
				a.mu.Unlock()
				select {
				case a.freed <- struct{}{}:
				default:
				}
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()
	for {
		due, err := a.st.Due(time.Now(), 256)
		if err != nil {
			a.log.Error("announcer: read outbox", "err", err)
		}
		handed := 0
		for _, d := range due {
			key := string(outboxKey(d))
			a.mu.Lock()
			busy := a.taken[key]
			if !busy {
				a.taken[key] = true
			}
			a.mu.Unlock()
			if busy {
				continue
			}
			select {
			case jobs <- d:
				handed++
			case <-ctx.Done():
				return nil
			}
		}
		if handed > 0 {
			continue
		}
		wait := a.cfg.Idle
		if len(due) > 0 {
			wait = time.Second // all due ones are with workers; look again when one is free
		} else if at, ok, err := a.st.NextDue(); err == nil && ok {
			wait = min(wait, max(time.Until(at), time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-a.wake:
		case <-a.freed:
		case <-t.C:
		}
		t.Stop()
	}
}

func outboxKey(d store.Delivery) []byte {
	return fmt.Appendf(nil, "%s\x00%d", d.ReportID, d.ChatID)
}

// waitPace blocks until the announcer's own pacing admits a send to chatID.
func (a *Announcer) waitPace(ctx context.Context, chatID int64) error {
	for {
		d := a.pace.reserve(chatID, time.Now())
		if d == 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// report returns the report to announce, cached by ID.
func (a *Announcer) report(id string) (*corpus.Report, error) {
	a.mu.Lock()
	r := a.cache[id]
	a.mu.Unlock()
	if r != nil {
		return r, nil
	}
	r, err := a.cfg.Report(id)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", id, err)
	}
	a.mu.Lock()
	if len(a.cache) > 32 {
		clear(a.cache)
	}
	a.cache[id] = r
	a.mu.Unlock()
	return r, nil
}

// deliver makes one attempt at entry d and records its outcome.
func (a *Announcer) deliver(ctx context.Context, d store.Delivery) {
	sub, err := a.st.Subscription(d.ChatID)
	if err != nil {
		kind := store.KindPrivate
		if d.ChatID < 0 {
			kind = store.KindGroup
		}
		sub = store.Subscription{ChatID: d.ChatID, Kind: kind} // re-sent by an admin to a chat that left: still try
	}
	var text string
	var markup models.ReplyMarkup
	r, rerr := a.report(d.ReportID)
	if rerr == nil {
		text, markup = RenderAnnouncement(r, sub.Kind)
	}
	// Turns are waited for before the entry is touched, so that a stop
	// while waiting leaves it pending, not ambiguous.
	if err := a.waitPace(ctx, d.ChatID); err != nil {
		return
	}
	tk, err := a.send.turn(ctx, d.ChatID)
	if err != nil {
		return
	}
	bd, err := a.st.BeginSend(d.ReportID, d.ChatID)
	if err != nil {
		tk.release(time.Now())
		if !errors.Is(err, store.ErrStale) {
			// The state file failed: do not spin on the same entry.
			a.log.Error("announcer: begin send", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
		return
	}
	if rerr != nil {
		tk.release(time.Now())
		a.fail(bd, rerr)
		return
	}
	p := &tgbot.SendMessageParams{
		ChatID:             d.ChatID,
		Text:               text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: preview(false),
		ReplyMarkup:        wireMarkup(markup),
	}
	// One attempt through the Sender's limiter and error handling; the
	// retries are the outbox's, persistent across restarts. The call is not
	// cancelled with ctx: its outcome must be recorded.
	var m *models.Message
	var raw error
	code, err := a.send.attempt(context.WithoutCancel(ctx), tk, func(ctx context.Context) error {
		m, raw = a.send.b.SendMessage(ctx, p)
		return raw
	})
	if err == nil {
		a.sent.Add(1)
		if err := a.st.MarkSent(bd, m.ID); err != nil {
			a.log.Error("announcer: mark sent", "err", err)
		}
		return
	}
	a.send.metrics.telegramError("sendMessage", code)
	var mig *tgbot.MigrateError
	if errors.As(raw, &mig) && mig.MigrateToChatID != 0 {
		a.migrate(bd, sub, int64(mig.MigrateToChatID))
		return
	}
	var tm *tgbot.TooManyRequestsError
	switch {
	case errors.As(err, &tm):
		wait := time.Duration(max(tm.RetryAfter, 1)) * time.Second
		a.retry(bd, time.Now().Add(wait), err)
	case code >= 500 || code == 0:
		// 5xx, a network error or a timeout: back off, up to MaxAttempts.
		if bd.Attempts >= a.cfg.MaxAttempts {
			a.fail(bd, fmt.Errorf("gave up after %d attempts: %w", bd.Attempts, err))
			return
		}
		a.retry(bd, time.Now().Add(a.backoff(bd.Attempts)), err)
	case gone(err, code):
		a.dropped.Add(1)
		if err := a.st.MarkFailed(bd, err); err != nil {
			a.log.Error("announcer: mark failed", "err", err)
		}
		if _, err := a.st.Unsubscribe(d.ChatID); err != nil {
			a.log.Error("announcer: unsubscribe", "chat", d.ChatID, "err", err)
		}
		_ = a.st.LogError("announce", fmt.Errorf("chat %d unsubscribed: %w", d.ChatID, err))
		a.log.Info("chat blocked or removed the bot: unsubscribed", "chat", d.ChatID, "err", err)
	default:
		a.fail(bd, err)
	}
}

// gone reports whether a send error means the bot may never write to the
// chat again: blocked by the user, removed from the group or channel, or
// the chat no longer exists.
func gone(err error, code int) bool {
	if code == http.StatusForbidden || errors.Is(err, tgbot.ErrorForbidden) {
		return true
	}
	if code == http.StatusBadRequest || errors.Is(err, tgbot.ErrorBadRequest) {
		msg := strings.ToLower(err.Error())
		return strings.Contains(msg, "chat not found") || strings.Contains(msg, "bot was kicked") ||
			strings.Contains(msg, "user is deactivated") || strings.Contains(msg, "have no rights to send")
	}
	return false
}

func (a *Announcer) retry(bd store.Delivery, at time.Time, cause error) {
	a.retried.Add(1)
	if err := a.st.MarkRetry(bd, at, cause); err != nil {
		a.log.Error("announcer: mark retry", "err", err)
	}
}

func (a *Announcer) fail(bd store.Delivery, cause error) {
	a.failed.Add(1)
	if err := a.st.MarkFailed(bd, cause); err != nil {
		a.log.Error("announcer: mark failed", "err", err)
	}
	_ = a.st.LogError("announce", fmt.Errorf("report %s to chat %d: %w", bd.ReportID, bd.ChatID, cause))
	a.log.Warn("announcement failed", "report", bd.ReportID, "chat", bd.ChatID, "err", cause)
}

// migrate moves a group's subscription to the supergroup it became and
// queues the announcement there.
func (a *Announcer) migrate(bd store.Delivery, sub store.Subscription, to int64) {
	if err := a.st.MarkFailed(bd, fmt.Errorf("group became supergroup %d", to)); err != nil {
		a.log.Error("announcer: mark failed", "err", err)
	}
	sub.ChatID, sub.Kind = to, store.KindGroup
	if _, err := a.st.Subscribe(sub); err != nil {
		a.log.Error("announcer: move subscription", "err", err)
		return
	}
	if _, err := a.st.Unsubscribe(bd.ChatID); err != nil {
		a.log.Error("announcer: move subscription", "err", err)
	}
	if _, err := a.st.Enqueue(bd.ReportID, to); err != nil {
		a.log.Error("announcer: queue for migrated group", "err", err)
	}
}

func (a *Announcer) backoff(attempt int) time.Duration {
	return backoff(a.cfg.BaseBackoff, a.cfg.MaxBackoff, attempt)
}

// maxAnnounceTitle is the longest announcement title shown, in runes.
const maxAnnounceTitle = 120

// RenderAnnouncement renders the announcement of r for a chat of the given
// kind: title, issuer and date, the headline figures in the report's own
// words, the source link, and a button that starts a question about the
// report (an inline query scoped to the issuer, typed into the current chat;
// in a channel, where readers cannot type, into a chat they choose). The
// text is HTML with every report-derived string escaped, within Telegram's
// 4096-character limit.
func RenderAnnouncement(r *corpus.Report, kind store.ChatKind) (string, *models.InlineKeyboardMarkup) {
	var sb strings.Builder
	title := r.Title
	if title == "" {
		title = r.ID
	}
	sb.WriteString("📢 <b>新报告：" + esc(clip(title, maxAnnounceTitle)) + "</b>\n")
	var line []string
	if r.Issuer != "" {
		line = append(line, esc(clip(r.Issuer, maxIssuerRunes)))
	}
	if !r.Published.IsZero() {
		line = append(line, fmt.Sprintf("%d年%d月%d日", r.Published.Year(), int(r.Published.Month()), r.Published.Day()))
	} else if r.Year != 0 {
		line = append(line, fmt.Sprintf("%d年", r.Year))
	}
	if r.DocNumber != "" {
		line = append(line, esc(clip(r.DocNumber, 40)))
	}
	if len(line) > 0 {
		sb.WriteString(strings.Join(line, " · ") + "\n")
	}
	if hs := corpus.Headlines(r); len(hs) > 0 {
		sb.WriteString("\n<b>报告要点</b>\n")
		for _, h := range hs {
			before, rest, _ := strings.Cut(h.Clause, "\x00")
			fig, after, _ := strings.Cut(rest, "\x00")
			sb.WriteString("• " + esc(before) + "<b>" + esc(fig) + "</b>" + esc(after) + "\n")
		}
	}
	if u := linkURL(r.URL); u != "" {
		sb.WriteString("\n<a href=\"" + esc(u) + "\">阅读原文</a>\n")
	}
	sb.WriteString("\n点下方按钮，就这份报告提问。")
	text := fitText(sb.String())

	q := askPrefix(r)
	btn := models.InlineKeyboardButton{Text: "💬 就这份报告提问"}
	if kind == store.KindChannel {
		btn.SwitchInlineQuery = q
	} else {
		btn.SwitchInlineQueryCurrentChat = q
	}
	row := []models.InlineKeyboardButton{btn}
	if u := linkURL(r.URL); u != "" {
		row = append(row, models.InlineKeyboardButton{Text: "原文", URL: u})
	}
	return text, &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{row}}
}

// askPrefix is the start of a question about r that the question button
// types for the user: the issuer, which scopes the question to its reports,
// newest (this one) first.
func askPrefix(r *corpus.Report) string {
	who := clip(r.Issuer, 40)
	if who == "" {
		return ""
	}
	return who + " "
}

// linkURL is safeURL for links in announcements, refusing absurdly long
// ones so that the message always fits.
func linkURL(u string) string {
	u = safeURL(u)
	if len(u) > 1000 {
		return ""
	}
	return u
}
