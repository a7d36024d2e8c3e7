// Package web serves govbot to staff at a desk: a question page with the
// answer card (figure, marked excerpt, citation linking to the report
// paragraph), comparisons as a table, an SVG chart and CSV, the list of
// indexed reports and each report's full text, and a JSON API with the
// object `govbot ask --json` prints.
//
// Pages are rendered on the server with html/template (every text from
// reports and users is escaped) and need no script; the stylesheet is
// embedded. The handler is read-only and meant to be exposed: it limits
// requests per client address, request size and time, and sets a strict
// Content-Security-Policy.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govbot/govbot/answer"
)

//go:embed assets
var assets embed.FS

// Options configures a Server. The zero value gives the defaults.
type Options struct {
	// AnswerTimeout bounds one question in the engine (default 15s).
	AnswerTimeout time.Duration
	// RequestTimeout bounds a whole request (default 20s); a request that
	// takes longer gets 503.
	RequestTimeout time.Duration
	// MaxQuestionRunes refuses longer questions with 413 (default 500).
	MaxQuestionRunes int
	// MaxBodyBytes refuses requests with a larger body with 413 (default
	// 16 KiB; every route is GET and reads no body).
	MaxBodyBytes int64
	// RateBurst and RateEvery are the per-client-address request limit: a
	// burst of RateBurst, then one request per RateEvery (defaults 40 and
	// 250ms). A negative RateBurst disables the limit.
	RateBurst int
	RateEvery time.Duration
	// MaxClients bounds the client addresses whose rate is tracked (default 10000).
	MaxClients int
	// MaxSessions and SessionTTL bound the browser conversations kept
	// (defaults 5000 and 2h since the last question).
	MaxSessions int
	SessionTTL  time.Duration
	// Logger receives errors; nil discards them.
	Logger *slog.Logger
}

// Defaults of Options.
const (
	defaultAnswerTimeout  = 15 * time.Second
	defaultRequestTimeout = 20 * time.Second
	defaultMaxRunes       = 500
	defaultMaxBody        = 16 << 10
	defaultRateBurst      = 40
	defaultRateEvery      = 250 * time.Millisecond
	defaultMaxClients     = 10000
	defaultMaxSessions    = 5000
	defaultSessionTTL     = 2 * time.Hour
)

func (o Options) withDefaults() Options {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&o.AnswerTimeout, defaultAnswerTimeout)
	set(&o.RequestTimeout, defaultRequestTimeout)
	set(&o.RateEvery, defaultRateEvery)
	set(&o.SessionTTL, defaultSessionTTL)
	if o.MaxQuestionRunes <= 0 {
		o.MaxQuestionRunes = defaultMaxRunes
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = defaultMaxBody
	}
	if o.RateBurst == 0 {
		o.RateBurst = defaultRateBurst
	}
	if o.MaxClients <= 0 {
		o.MaxClients = defaultMaxClients
	}
	if o.MaxSessions <= 0 {
		o.MaxSessions = defaultMaxSessions
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Server is the web front end over an engine. It is an http.Handler.
type Server struct {
	eng      *answer.Engine
	opt      Options
	pages    map[string]*template.Template
	sessions *sessionStore
	limiter  *ipLimiter
	// reportPages caches rendered report pages.
	reportPages *pageCache
	handler     http.Handler
}

// New returns the web front end over eng.
func New(eng *answer.Engine, opt Options) (*Server, error) {
	if eng == nil {
		return nil, errors.New("web: no engine")
	}
	opt = opt.withDefaults()
	s := &Server{
		eng:         eng,
		opt:         opt,
		sessions:    newSessionStore(opt.MaxSessions, opt.SessionTTL),
		reportPages: newPageCache(reportPagesCached),
	}
	if opt.RateBurst > 0 {
		s.limiter = newIPLimiter(opt.RateBurst, opt.RateEvery, opt.MaxClients)
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	static, err := fs.Sub(assets, "assets/static")
	if err != nil {
		return nil, fmt.Errorf("web: assets: %w", err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleAsk)
	mux.HandleFunc("GET /csv", s.handleCSV)
	mux.HandleFunc("GET /reports", s.handleReports)
	mux.HandleFunc("GET /reports/{id}", s.handleReport)
	mux.HandleFunc("GET /api/ask", s.handleAPIAsk)
	mux.HandleFunc("GET /api/reports", s.handleAPIReports)
	mux.HandleFunc("GET /api/reports/{id}", s.handleAPIReport)
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "没有这个页面。")
	})

	var h http.Handler = mux
	h = http.TimeoutHandler(h, opt.RequestTimeout, "请求超时，请稍后再试。")
	h = s.limitRate(h)
	h = s.limitSize(h)
	h = securityHeaders(h)
	s.handler = h
	return s, nil
}

// ServeHTTP serves the pages and the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// NewHTTPServer returns an http.Server for h on addr with the timeouts a
// server exposed to a network needs.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       20 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// contentSecurityPolicy allows the page's own stylesheet and nothing else:
// no script, no inline style, no frames, no other origin.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers that keep the pages from being framed,
// sniffed or made to run anything.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// limitSize refuses a request whose body is larger than MaxBodyBytes
// (413) and caps what a handler could read.
func (s *Server) limitSize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.opt.MaxBodyBytes {
			s.fail(w, r, http.StatusRequestEntityTooLarge, "请求太大。")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// question reads the question parameter q: trimmed, and refused with 413
// when longer than MaxQuestionRunes.
func (s *Server) question(r *http.Request) (string, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if !utf8.ValidString(q) {
		return "", errBadQuestion
	}
	if err := answer.CheckLength(q, s.opt.MaxQuestionRunes); err != nil {
		return "", err
	}
	return q, nil
}

// requiredQuestion reads the question parameter q as question does, and
// refuses an empty one (errBadQuestion) where a question is required.
func (s *Server) requiredQuestion(r *http.Request) (string, error) {
	q, err := s.question(r)
	if err == nil && q == "" {
		err = errBadQuestion
	}
	return q, err
}

var errBadQuestion = errors.New("问题不是有效的文字（UTF-8）。")

// questionError is the status and message of an error of question: 413
// for a question too long, else 400.
func (s *Server) questionError(err error) (int, string) {
	var long *answer.TooLongError
	if errors.As(err, &long) {
		return http.StatusRequestEntityTooLarge, err.Error()
	}
	return http.StatusBadRequest, err.Error()
}

// ask answers q within the conversation conv (nil for none), bounded by AnswerTimeout.
func (s *Server) ask(ctx context.Context, conv *answer.Session, q string) (*answer.Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opt.AnswerTimeout)
	defer cancel()
	a, err := s.eng.AskIn(ctx, conv, q)
	if err != nil {
		s.opt.Logger.Error("web: answer failed", "err", err)
		return nil, err
	}
	return a, nil
}

// yearParam reads a year parameter; 0 when absent or not a plausible year.
func yearParam(r *http.Request, name string) int {
	y, err := strconv.Atoi(strings.TrimSpace(r.URL.Query().Get(name)))
	if err != nil || y < 1900 || y > 2200 {
		return 0
	}
	return y
}
