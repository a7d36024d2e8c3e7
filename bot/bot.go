// Package bot is govbot's Telegram front end: it receives updates by long
// polling or webhook through github.com/go-telegram/bot, answers questions
// with an Asker (the answer engine), and renders cited replies in HTML.
//
// Around the library it adds what a public bot needs: a rate-limited,
// retrying Sender (the library has neither), per-user limits, panic
// recovery per update, graceful shutdown that lets replies in flight
// finish, a webhook that checks Telegram's secret header, /healthz and
// Prometheus metrics, and redaction of the bot token from every log line
// and error.
package bot

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/answer"
)

// Asker answers questions; *answer.Engine is one.
type Asker interface {
	Ask(ctx context.Context, question string) (*answer.Answer, error)
}

// ConversationAsker is an Asker that follows a conversation: a question in
// a Session may refer to the report of the previous answers ("这份报告的发布
// 机构是谁"). *answer.Engine is one; the bot keeps a Session per chat.
type ConversationAsker interface {
	AskIn(ctx context.Context, s *answer.Session, question string) (*answer.Answer, error)
}

// ReportLister lists the indexed reports, newest first. An Asker that is
// also a ReportLister (as *answer.Engine is) backs /reports and /latest.
type ReportLister interface {
	Reports() []answer.ReportSummary
}

// DefaultExamples are example questions about the embedded sample report;
// /start offers those the engine answers when none drawn from the indexed
// reports do (see Config.Examples).
var DefaultExamples = []string{
	"房县去年一共办了多少件行政复议案件?",
	"房县法治政府建设有哪些举措?",
	"房县去年开展了多少次普法活动?",
}

// Config configures a Server. Its zero value works once Token is set:
// long polling against api.telegram.org with Telegram's rate limits.
type Config struct {
	// Token is the bot token. It is never logged.
	Token string
	// APIURL is the Bot API server; "" for https://api.telegram.org. Set it
	// for a self-hosted Bot API server or a fake one (package bottest).
	APIURL string
	// WebhookURL switches from long polling to a webhook: the public HTTPS
	// URL Telegram posts updates to. Its path is served on Listen.
	WebhookURL string
	// WebhookSecret is the X-Telegram-Bot-Api-Secret-Token Telegram must
	// send; a random one is made when empty.
	WebhookSecret string
	// Listen is the address of the HTTP server for /healthz, /metrics and
	// the webhook; "" serves nothing in polling mode and 127.0.0.1:8080 in
	// webhook mode. In webhook mode this listener faces the internet, so it
	// serves /metrics only with MetricsToken.
	Listen string
	// Pages, when set, serves every request on Listen that is not for
	// /healthz, /metrics or the webhook (the web front end, package web).
	Pages http.Handler
	// MetricsListen is a separate address for /metrics and /healthz (e.g.
	// 127.0.0.1:9090), for webhook mode; "" for none.
	MetricsListen string
	// MetricsToken, when set, is required as "Authorization: Bearer TOKEN"
	// for /metrics on every listener.
	MetricsToken string
	// PollTimeout is the long-poll timeout (default 50s).
	PollTimeout time.Duration
	// Workers bounds how many updates are handled at once (default 64).
	// A handler holds its worker while its reply waits for the chat's rate
	// limit, and SenderConfig.MaxQueue bounds those waits per chat member.
	Workers int
	// ShutdownGrace is how long replies in flight may take to finish after
	// the context is cancelled (default 20s).
	ShutdownGrace time.Duration
	// AnswerTimeout bounds one question in the engine (default 15s).
	AnswerTimeout time.Duration
	// MaxQuestionRunes refuses longer questions (default 500).
	MaxQuestionRunes int
	// UserBurst and UserEvery are the per-user question limit: a burst of
	// UserBurst, then one question per UserEvery (defaults 5 and 2s). A
	// negative UserBurst disables the limit.
	UserBurst int
	UserEvery time.Duration
	// Sender configures outgoing rate limits and retries.
	Sender SenderConfig
	// StateSize and StateTTL bound the answers kept for 更多结果 buttons
	// (defaults 10000 and 24h).
	StateSize int
	StateTTL  time.Duration
	// InlinePage is how many inline results a page holds (default
	// DefaultInlinePage, at most MaxInlinePage).
	InlinePage int
	// Examples are the /start example questions. When empty, they are
	// drawn from the indexed reports (questions about the newest reports'
	// issuers that the engine answers), else DefaultExamples.
	Examples []string
	// Logger is the logger; slog.Default() when nil. It is wrapped so the
	// token never reaches it.
	Logger *slog.Logger
	// HTTPClient is the client for Bot API calls; its Timeout must exceed
	// PollTimeout. A default one is made when nil.
	HTTPClient *http.Client
}

func (c *Config) defaults() {
	if c.PollTimeout <= 0 {
		c.PollTimeout = 50 * time.Second
	}
	if c.PollTimeout < 2*time.Second {
		c.PollTimeout = 2 * time.Second // the library polls with timeout-1s
	}
	if c.Workers <= 0 {
		c.Workers = 64
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = 20 * time.Second
	}
	if c.AnswerTimeout <= 0 {
		c.AnswerTimeout = 15 * time.Second
	}
	if c.MaxQuestionRunes <= 0 {
		c.MaxQuestionRunes = 500
	}
	if c.UserBurst == 0 {
		c.UserBurst = 5
	}
	if c.UserEvery <= 0 {
		c.UserEvery = 2 * time.Second
	}
	if c.StateSize <= 0 {
		c.StateSize = 10000
	}
	if c.StateTTL <= 0 {
		c.StateTTL = 24 * time.Hour
	}
	if c.InlinePage <= 0 {
		c.InlinePage = DefaultInlinePage
	}
	c.InlinePage = min(c.InlinePage, MaxInlinePage)
	if c.WebhookURL != "" && c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 15*time.Second}
	}
}

// Server is a running govbot Telegram bot.
type Server struct {
	cfg     Config
	ask     Asker
	log     *slog.Logger
	red     redactor
	b       *tgbot.Bot
	cl      *client
	send    *Sender
	metrics *metrics

	users  *userLimiter // questions in chats
	inline *userLimiter // inline queries, counted apart: they come per keystroke

	sessions *buttonState[*answer.Answer]
	// feedback stores the feedback buttons' presses; nil: no buttons.
	feedback FeedbackStore
	// examples caches the /start examples drawn from the index.
	examplesMu  sync.Mutex
	examplesFor string
	examplesVal []string
	// conversations holds each chat's answer.Session, for follow-ups.
	conversations *buttonState[*answer.Session]

	mu        sync.RWMutex
	me        models.User
	cmds      map[string]*Command
	cmdOrder  []string
	callbacks map[string]CallbackFunc

	journal   UpdateJournal  // received updates until answered; nil for none
	badSecret logEvery       // wrong-secret webhook warnings, one a minute
	hooks     sync.WaitGroup // webhook posts being recorded
	drops     dropNotices    // members to tell that their reply was dropped

	sem         chan struct{}
	inflight    sync.WaitGroup
	workCtx     context.Context
	stopWork    context.CancelFunc
	ready       atomic.Bool
	hookPath    string
	addr        atomic.Value // string: the HTTP listener's address
	metricsAddr atomic.Value // string: the metrics listener's address
}

// New returns a Server for cfg answering with ask. It makes no network
// call; Run does.
func New(cfg Config, ask Asker) (*Server, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("bot: no token (set --token or TELEGRAM_BOT_TOKEN)")
	}
	if ask == nil {
		return nil, errors.New("bot: no answer engine")
	}
	cfg.defaults()
	red := newRedactor(cfg.Token)
	base := cfg.Logger
	if base == nil {
		base = slog.Default()
	}
	log := slog.New(RedactHandler(base.Handler(), cfg.Token))
	s := &Server{
		cfg:           cfg,
		ask:           ask,
		log:           log,
		red:           red,
		cl:            &client{hc: cfg.HTTPClient},
		metrics:       newMetrics(),
		inline:        newUserLimiter(3*max(cfg.UserBurst, 0), cfg.UserEvery/3),
		sessions:      newButtonState[*answer.Answer](cfg.StateSize, cfg.StateTTL),
		conversations: newButtonState[*answer.Session](cfg.StateSize, cfg.StateTTL),
		cmds:          map[string]*Command{},
		callbacks:     map[string]CallbackFunc{},
		sem:           make(chan struct{}, cfg.Workers),
		badSecret:     logEvery{period: time.Minute},
	}
	if cfg.UserBurst > 0 {
		s.users = newUserLimiter(cfg.UserBurst, cfg.UserEvery)
	} else {
		s.inline = nil
	}
	s.workCtx, s.stopWork = context.WithCancel(context.Background())
	if cfg.WebhookURL != "" {
		u, err := url.Parse(cfg.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("bot: bad webhook URL %q: want https://host/path", cfg.WebhookURL)
		}
		s.hookPath = u.Path
		if s.hookPath == "" || s.hookPath == "/" {
			s.hookPath = "/webhook"
		}
		if s.cfg.WebhookSecret == "" {
			var b [24]byte
			_, _ = rand.Read(b[:])
			s.cfg.WebhookSecret = hex.EncodeToString(b[:])
		}
	}
	opts := []tgbot.Option{
		tgbot.WithSkipGetMe(), // Run calls getMe itself, with retries and a scrubbed error
		tgbot.WithHTTPClient(cfg.PollTimeout, s.cl),
		// Updates come through Server.poll and the webhook handler
		// (updates.go), which journal them before acknowledging them; the
		// library only makes the Bot API calls.
		tgbot.WithDefaultHandler(func(context.Context, *tgbot.Bot, *models.Update) {}),
		tgbot.WithErrorsHandler(func(err error) { s.log.Warn("telegram client", "err", red.Error(err)) }),
		tgbot.WithDebugHandler(func(string, ...any) {}),
		tgbot.WithAllowedUpdates(tgbot.AllowedUpdates{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery, models.AllowedUpdateInlineQuery}),
		tgbot.WithCheckInitTimeout(10 * time.Second),
	}
	if cfg.APIURL != "" {
		opts = append(opts, tgbot.WithServerURL(strings.TrimRight(cfg.APIURL, "/")))
	}
	if cfg.WebhookURL != "" {
		opts = append(opts, tgbot.WithWebhookSecretToken(s.cfg.WebhookSecret))
	}
	b, err := tgbot.New(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", red.Error(err))
	}
	s.b = b
	sc := cfg.Sender
	if sc.Logger == nil {
		sc.Logger = log
	}
	s.send = NewSender(b, sc)
	s.send.metrics = s.metrics
	s.send.onDrop = s.droppedReply
	s.registerBuiltins()
	return s, nil
}

// Sender returns the server's Sender, to send through the same limits.
func (s *Server) Sender() *Sender { return s.send }

// Me returns the bot's own user, known once Run has called getMe.
func (s *Server) Me() models.User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.me
}

// Addr returns the address the HTTP server listens on once Run has
// started it, or "".
func (s *Server) Addr() string {
	a, _ := s.addr.Load().(string)
	return a
}

// WebhookSecret returns the secret Telegram must send with webhook posts.
func (s *Server) WebhookSecret() string { return s.cfg.WebhookSecret }

// Run starts the bot and blocks until ctx is cancelled, then stops taking
// updates, lets the replies in flight finish (for up to ShutdownGrace) and
// returns. It returns an error if the bot cannot start.
func (s *Server) Run(ctx context.Context) error {
	if err := s.start(ctx); err != nil {
		return err
	}
	srvErr := make(chan error, 2)
	var servers []*http.Server
	serve := func(addr string, h http.Handler, what string) error {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("bot: listen %s: %w", what, err)
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		s.log.Info("http listening", "addr", ln.Addr().String(), "serves", what)
		go func() { srvErr <- srv.Serve(ln) }()
		if what != "metrics" {
			s.addr.Store(ln.Addr().String())
		} else {
			s.metricsAddr.Store(ln.Addr().String())
		}
		return nil
	}
	if s.cfg.Listen != "" {
		if err := serve(s.cfg.Listen, s.Handler(), "healthz, webhook"); err != nil {
			return err
		}
	}
	if s.cfg.MetricsListen != "" {
		if err := serve(s.cfg.MetricsListen, s.MetricsHandler(), "metrics"); err != nil {
			return err
		}
	}

	// What the last run received and did not answer goes first.
	s.recoverPending()
	pollCtx, stopPoll := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if s.cfg.WebhookURL != "" {
			<-pollCtx.Done()
		} else {
			s.poll(pollCtx)
		}
	}()
	s.ready.Store(true)
	mode := "long polling"
	if s.cfg.WebhookURL != "" {
		mode = "webhook"
	}
	s.log.Info("bot started", "username", s.Me().Username, "mode", mode)

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-srvErr:
		runErr = fmt.Errorf("bot: http server: %w", err)
	}
	s.ready.Store(false)
	s.log.Info("shutting down: finishing replies in flight", "grace", s.cfg.ShutdownGrace)
	stopPoll()
	<-done         // no update is polled after this,
	s.hooks.Wait() // nor posted, so inflight only shrinks
	finished := make(chan struct{})
	go func() { s.inflight.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(s.cfg.ShutdownGrace):
		s.log.Warn("shutdown grace period over, abandoning replies in flight")
		s.stopWork()
		<-finished
	}
	s.stopWork()
	for _, srv := range servers {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = srv.Shutdown(sctx)
		cancel()
	}
	s.log.Info("bot stopped")
	return runErr
}

// start learns who the bot is, registers the commands and sets up the
// update source.
func (s *Server) start(ctx context.Context) error {
	var me *models.User
	err := s.send.Do(ctx, 0, "getMe", func(ctx context.Context) error {
		var err error
		me, err = s.b.GetMe(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("bot: cannot reach Telegram: %w", err)
	}
	s.mu.Lock()
	s.me = *me
	s.mu.Unlock()

	if err := s.setCommands(ctx); err != nil {
		s.log.Warn("setMyCommands failed; commands still work", "err", err)
	}
	if s.cfg.WebhookURL != "" {
		err = s.send.Do(ctx, 0, "setWebhook", func(ctx context.Context) error {
			_, err := s.b.SetWebhook(ctx, &tgbot.SetWebhookParams{
				URL:            s.cfg.WebhookURL,
				SecretToken:    s.cfg.WebhookSecret,
				AllowedUpdates: []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery, models.AllowedUpdateInlineQuery},
			})
			return err
		})
		if err != nil {
			return fmt.Errorf("bot: setWebhook: %w", err)
		}
		return nil
	}
	// getUpdates fails while a webhook is set: remove any left over.
	err = s.send.Do(ctx, 0, "deleteWebhook", func(ctx context.Context) error {
		_, err := s.b.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{})
		return err
	})
	if err != nil {
		return fmt.Errorf("bot: deleteWebhook: %w", err)
	}
	return nil
}

// MetricsAddr returns the address of the MetricsListen listener once Run
// has started it, or "".
func (s *Server) MetricsAddr() string {
	a, _ := s.metricsAddr.Load().(string)
	return a
}

// Handler serves /healthz and, in webhook mode, the webhook path; /metrics
// in polling mode or with a MetricsToken (a webhook listener faces the
// internet: see MetricsListen); and Config.Pages for every other path.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	if s.hookPath == "" || s.cfg.MetricsToken != "" {
		mux.HandleFunc("GET /metrics", s.serveMetrics)
	}
	if s.hookPath != "" {
		mux.Handle("POST "+s.hookPath, s.webhookHandler())
	}
	if s.cfg.Pages != nil {
		mux.Handle("/", s.cfg.Pages)
	}
	return mux
}

// MetricsHandler serves /metrics and /healthz, for MetricsListen.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	return mux
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if tok := s.cfg.MetricsToken; tok != "" {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, []byte("Bearer "+tok)) != 1 {
			w.Header().Set("WWW-Authenticate", "Bearer")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.malformed.Store(uint64(s.cl.dropped.Load()))
	s.metrics.writeTo(w)
}

func (s *Server) handleUpdate(ctx context.Context, u *models.Update) {
	switch {
	case u.Message != nil:
		s.handleMessage(ctx, u.Message)
	case u.CallbackQuery != nil:
		s.handleCallback(ctx, u.CallbackQuery)
	case u.InlineQuery != nil:
		s.handleInline(ctx, u.InlineQuery)
	default:
		// Edited messages, channel posts and the rest: nothing to answer.
		// Answering an edit again would only repeat the first reply.
		s.log.Debug("update ignored", "update_id", u.ID)
	}
}
