package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	tgbot "github.com/go-telegram/bot"
)

// redacted replaces the bot token wherever it would appear.
const redacted = "<token>"

// redactor removes a secret (the bot token) from text. The token is the
// whole "123:ABC" string; the part after the colon is removed on its own as
// well, since it alone is the secret.
type redactor struct{ secrets []string }

func newRedactor(token string) redactor {
	var r redactor
	if token != "" {
		r.secrets = append(r.secrets, token)
		if i := strings.IndexByte(token, ':'); i >= 0 && len(token)-i > 4 {
			r.secrets = append(r.secrets, token[i+1:])
		}
	}
	return r
}

func (r redactor) String(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	return s
}

// Error returns err with the token removed from its text. The result keeps
// errors.Is working for the kinds callers test for (the library's sentinel
// errors, context errors, ErrBlocked), but never unwraps to the original
// error, whose text may carry the request URL and so the token.
func (r redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	var se *scrubbedError
	if errors.As(err, &se) && len(r.secrets) > 0 && !strings.Contains(err.Error(), r.secrets[0]) {
		return err
	}
	out := &scrubbedError{text: r.String(err.Error())}
	for _, k := range errorKinds {
		if errors.Is(err, k) {
			out.kinds = append(out.kinds, k)
		}
	}
	var tm *tgbot.TooManyRequestsError
	if errors.As(err, &tm) {
		out.kinds = append(out.kinds, &tgbot.TooManyRequestsError{Message: r.String(tm.Message), RetryAfter: tm.RetryAfter})
	}
	return out
}

var errorKinds = []error{
	ErrBlocked, tgbot.ErrorForbidden, tgbot.ErrorBadRequest, tgbot.ErrorUnauthorized,
	tgbot.ErrorTooManyRequests, tgbot.ErrorNotFound, tgbot.ErrorConflict,
	context.Canceled, context.DeadlineExceeded,
}

type scrubbedError struct {
	text  string
	kinds []error
}

func (e *scrubbedError) Error() string   { return e.text }
func (e *scrubbedError) Unwrap() []error { return e.kinds }

// RedactHandler returns a slog.Handler that removes token from every
// message and attribute before h sees them: a last line of defence so that
// no log line can carry the bot token, whatever a library puts in an error.
func RedactHandler(h slog.Handler, token string) slog.Handler {
	r := newRedactor(token)
	if len(r.secrets) == 0 {
		return h
	}
	return &redactHandler{h: h, r: r}
}

type redactHandler struct {
	h slog.Handler
	r redactor
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.h.Handle(ctx, out)
}

func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.String(v.String()))
	case slog.KindGroup:
		g := v.Group()
		as := make([]any, len(g))
		for i, x := range g {
			as[i] = h.attr(x)
		}
		return slog.Group(a.Key, as...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, h.r.String(err.Error()))
		}
		return slog.String(a.Key, h.r.String(v.String()))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = h.attr(a)
	}
	return &redactHandler{h: h.h.WithAttrs(out), r: h.r}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{h: h.h.WithGroup(name), r: h.r}
}
