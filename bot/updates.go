package bot

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/store"
)

// Updates come in through the bot's own long-poll loop (or webhook
// handler), not the library's, because the library acknowledges an update
// to Telegram (the next getUpdates offset) while its handler may not even
// have started: a crash then loses it. Here a batch is recorded in the
// UpdateJournal before it is acknowledged, each update is removed once its
// reply is sent, and what a crash left is answered at the next start.

// UpdateJournal keeps received updates until they are answered, so that a
// crash at any moment loses no question. Any store.Backend is one.
type UpdateJournal interface {
	// ReceiveUpdates records updates and returns those not seen before.
	ReceiveUpdates(ups []store.PendingUpdate) ([]store.PendingUpdate, error)
	// MarkUpdateSending records that the reply to an update is going out.
	MarkUpdateSending(id int64) error
	// FinishUpdate forgets an update: it was answered.
	FinishUpdate(id int64) error
	// PendingUpdates lists the updates not answered yet.
	PendingUpdates() ([]store.PendingUpdate, error)
}

// pendingMaxAge is how old a journalled update may be and still be
// answered after a restart: a question left for days would get an answer
// out of the blue.
const pendingMaxAge = 24 * time.Hour

// UseJournal makes the server record every received message and button
// press in j before acknowledging it, and answer what j holds at start.
// Call it before Run.
func (s *Server) UseJournal(j UpdateJournal) { s.journal = j }

// updateState travels in the context of an update's handler: who the
// update came from (sends take turns by member) and its journal entry.
type updateState struct {
	s       *Server
	id      int64
	member  int64
	name    string    // the member as a notice names them
	journal bool      // the update is journalled
	once    sync.Once // marks it "sending" once
	notice  bool      // this send is a notice about a dropped reply

	admitted bool // the per-user limit let the update through already

	mu       sync.Mutex
	notified bool // the user was told a reply was dropped
}

type updateKey struct{}

func updateFrom(ctx context.Context) *updateState {
	u, _ := ctx.Value(updateKey{}).(*updateState)
	return u
}

func (u *updateState) markSending() {
	if !u.journal || u.s.journal == nil {
		return
	}
	u.once.Do(func() {
		if err := u.s.journal.MarkUpdateSending(u.id); err != nil {
			u.s.metrics.journalErrs.Add(1)
			u.s.log.Warn("update journal", "update_id", u.id, "err", err)
		}
	})
}

// updateMember returns the user an update comes from, or 0.
func updateMember(u *models.Update) int64 {
	switch {
	case u.Message != nil && u.Message.From != nil:
		return u.Message.From.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.InlineQuery != nil && u.InlineQuery.From != nil:
		return u.InlineQuery.From.ID
	}
	return 0
}

// journalled reports whether an update is kept in the journal until it is
// answered: messages and button presses. Inline queries are not: they
// come per keystroke and their answers are useless a few seconds later.
func journalled(u *models.Update) bool { return u.Message != nil || u.CallbackQuery != nil }

// received is an update to dispatch.
type received struct {
	u       *models.Update
	journal bool
}

// receive decodes raw updates, records the ones worth keeping in the
// journal (one transaction) and returns what to dispatch. An error means
// nothing may be acknowledged: Telegram must deliver the batch again.
func (s *Server) receive(raws []json.RawMessage) ([]received, error) {
	var out []received
	var keep []store.PendingUpdate
	for _, raw := range raws {
		u := new(models.Update)
		if err := json.Unmarshal(raw, u); err != nil || u.ID == 0 {
			s.cl.dropped.Add(1)
			continue
		}
		s.metrics.updates.Add(1)
		if s.journal != nil && journalled(u) {
			keep = append(keep, store.PendingUpdate{ID: u.ID, Raw: raw})
			continue
		}
		out = append(out, received{u: u})
	}
	if len(keep) == 0 {
		return out, nil
	}
	fresh, err := s.journal.ReceiveUpdates(keep)
	if err != nil {
		s.metrics.journalErrs.Add(1)
		return nil, err
	}
	s.metrics.redelivered.Add(uint64(len(keep) - len(fresh)))
	for _, p := range fresh {
		u := new(models.Update)
		_ = json.Unmarshal(p.Raw, u) // decoded above
		out = append(out, received{u: u, journal: true})
	}
	return out, nil
}

// recoverPending answers the updates a previous run received and did not
// answer (a crash, or a shutdown whose grace period ran out). Those whose
// reply was being sent at the crash may be answered twice; they are
// counted (govbot_updates_resent_total).
func (s *Server) recoverPending() {
	if s.journal == nil {
		return
	}
	pend, err := s.journal.PendingUpdates()
	if err != nil {
		s.log.Error("update journal: cannot list pending updates", "err", err)
		return
	}
	n, resent := 0, 0
	for _, p := range pend {
		u := new(models.Update)
		if err := json.Unmarshal(p.Raw, u); err != nil || time.Since(p.Received) > pendingMaxAge {
			s.log.Warn("pending update dropped", "update_id", p.ID, "received", p.Received, "err", err)
			_ = s.journal.FinishUpdate(p.ID)
			continue
		}
		n++
		s.metrics.recovered.Add(1)
		if p.Sending {
			resent++
			s.metrics.resent.Add(1)
		}
		s.dispatch(u, true)
	}
	if n > 0 {
		s.log.Info("answering updates received before the restart", "count", n, "possibly_sent_already", resent)
	}
}

// dispatch hands an update to a goroutine of its own, bounded by Workers,
// and counts it so that shutdown can wait for it. A journalled update is
// finished when its handler returns, unless the handler was cut short by
// shutdown: then the next start answers it.
func (s *Server) dispatch(u *models.Update, journal bool) {
	s.sem <- struct{}{}
	s.inflight.Add(1)
	st := &updateState{s: s, id: u.ID, member: updateMember(u), name: memberName(u), journal: journal && s.journal != nil}
	go func() {
		defer s.inflight.Done()
		defer func() { <-s.sem }()
		defer func() {
			if st.journal && s.workCtx.Err() == nil {
				if err := s.journal.FinishUpdate(u.ID); err != nil {
					s.metrics.journalErrs.Add(1)
					s.log.Warn("update journal", "update_id", u.ID, "err", err)
				}
			}
		}()
		defer func() {
			if p := recover(); p != nil {
				s.metrics.panics.Add(1)
				s.log.Error("panic handling update", "update_id", u.ID, "panic", fmt.Sprint(p))
			}
		}()
		// Replies in flight must outlive polling, so they run on the
		// server's own context.
		s.handleUpdate(context.WithValue(s.workCtx, updateKey{}, st), u)
	}()
}

// pollResponse is a getUpdates answer.
type pollResponse struct {
	OK          bool              `json:"ok"`
	Result      []json.RawMessage `json:"result"`
	ErrorCode   int               `json:"error_code"`
	Description string            `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// getUpdates asks Telegram for the updates from offset on, waiting up to
// timeout seconds; offset also acknowledges every update below it.
func (s *Server) getUpdates(ctx context.Context, offset int64, timeout, limit int) (*pollResponse, error) {
	body, _ := json.Marshal(map[string]any{
		"offset": offset, "timeout": timeout, "limit": limit,
		"allowed_updates": []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery, models.AllowedUpdateInlineQuery},
	})
	base := strings.TrimRight(s.cfg.APIURL, "/")
	if base == "" {
		base = "https://api.telegram.org"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/bot"+s.cfg.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, s.red.Error(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.cl.Do(req)
	if err != nil {
		return nil, s.red.Error(err)
	}
	defer resp.Body.Close()
	var r pollResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&r); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d: %w", resp.StatusCode, err)
	}
	if !r.OK {
		return &r, fmt.Errorf("getUpdates: %d %s", r.ErrorCode, s.red.String(r.Description))
	}
	return &r, nil
}

// poll is the long-poll loop. A batch is acknowledged (by the offset of
// the next call) only once it is recorded in the journal; the handlers
// hold back polling when every worker is busy.
func (s *Server) poll(ctx context.Context) {
	var offset int64
	var errWait time.Duration
	timeout := max(int(s.cfg.PollTimeout/time.Second)-1, 1)
	for ctx.Err() == nil {
		if errWait > 0 && !sleepCtx(ctx, errWait) {
			break
		}
		r, err := s.getUpdates(ctx, offset, timeout, 100)
		if err == nil && len(r.Result) > 0 {
			var got []received
			if got, err = s.receive(r.Result); err == nil {
				var last struct {
					ID int64 `json:"update_id"`
				}
				_ = json.Unmarshal(r.Result[len(r.Result)-1], &last)
				offset = max(offset, last.ID+1)
				for _, g := range got {
					s.dispatch(g.u, g.journal)
				}
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			errWait = pollBackoff(errWait)
			if r != nil && r.Parameters.RetryAfter > 0 {
				errWait = time.Duration(r.Parameters.RetryAfter) * time.Second
			}
			s.log.Warn("getUpdates failed", "err", err, "wait", errWait)
			continue
		}
		errWait = 0
	}
	if offset > 0 {
		// Acknowledge the last batch, so that the next start does not get
		// it again (the journal would recognise it, but without one it
		// would be answered twice). An update this returns is not
		// acknowledged, and comes again next time.
		actx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := s.getUpdates(actx, offset, 0, 1); err != nil {
			s.log.Warn("acknowledging the last updates failed; Telegram will send them again", "err", err)
		}
	}
}

func pollBackoff(d time.Duration) time.Duration {
	if d == 0 {
		return 100 * time.Millisecond
	}
	return min(2*d, 5*time.Second)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// webhookHandler takes Telegram's webhook posts: it checks the secret
// header (the library's handler answers 200 even to a wrong one), records
// the update in the journal and only then answers 200; a post it could not
// record gets a 500, and Telegram sends it again.
func (s *Server) webhookHandler() http.Handler {
	want := []byte(s.cfg.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			if n, ok := s.badSecret.allow(time.Now()); ok {
				s.log.Warn("webhook posts with a wrong secret rejected", "remote", r.RemoteAddr, "since_last_warning", n)
			}
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		s.hooks.Add(1)
		defer s.hooks.Done()
		if !s.ready.Load() {
			// Telegram retries later: better than losing the update.
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		got2, err := s.receive([]json.RawMessage{body})
		if err != nil {
			s.log.Error("webhook: cannot record the update; Telegram will send it again", "err", err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		for _, g := range got2 {
			s.dispatch(g.u, g.journal)
		}
		w.WriteHeader(http.StatusOK)
	})
}

// logEvery lets a repeated warning through once per period and counts the
// ones held back.
type logEvery struct {
	period time.Duration

	mu    sync.Mutex
	last  time.Time
	count int
}

// allow counts one event and reports whether to log it, with how many
// events there were since the last one logged (this one included).
func (l *logEvery) allow(now time.Time) (int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.count++
	if !l.last.IsZero() && now.Sub(l.last) < l.period {
		return 0, false
	}
	n := l.count
	l.last, l.count = now, 0
	return n, true
}

// noticeDropped tells users that their question got no reply: Telegram
// kept refusing (429s past the wait cap, 5xx) or too many replies waited
// for the chat.
const noticeDropped = "抱歉，消息太多，Telegram 暂时不让我回复，刚才的问题没能回答。请稍后再问一次。"

// droppedReply is told about every reply given up on (Sender.onDrop). The
// user gets a notice instead of silence; the notice costs a message from
// the same budget the reply lacked, so a chat has at most one notice
// waiting at a time, and it names every member whose reply was dropped
// while it waited (in a group, "@a @b ...").
func (s *Server) droppedReply(ctx context.Context, chatID int64, err error) {
	u := updateFrom(ctx)
	if u == nil || u.notice {
		return // not a reply to a user (announcements), or the notice itself
	}
	s.metrics.dropped.Add(1)
	u.mu.Lock()
	already := u.notified
	u.notified = true
	u.mu.Unlock()
	s.log.Warn("reply dropped; the user is told", "chat", chatID, "update_id", u.id, "err", err)
	if already || !s.drops.add(chatID, u.member, u.name) {
		return // told already, or a notice waiting for this chat will name them
	}
	nctx := context.WithValue(ctx, updateKey{}, &updateState{s: s, id: u.id, member: u.member, notice: true})
	for {
		var told int
		err := s.send.Do(nctx, chatID, "sendMessage", func(ctx context.Context) error {
			text, n := s.drops.text(chatID)
			_, err := s.b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chatID, Text: text, LinkPreviewOptions: preview(false)})
			if err == nil {
				told = n
			}
			return err
		})
		if err != nil {
			s.log.Warn("notice of dropped replies failed too", "chat", chatID, "err", err)
			s.drops.forget(chatID)
			return
		}
		if !s.drops.done(chatID, told) {
			return
		}
	}
}

// dropNotices holds, per chat, the members whose replies were dropped and
// who have not been told yet.
type dropNotices struct {
	mu    sync.Mutex
	chats map[int64][]string // names of the members to tell, in order
	seen  map[int64]map[int64]bool
}

// add records member (shown as name) for chatID and reports whether the
// caller must send the notice: no notice is waiting for the chat yet.
func (d *dropNotices) add(chatID, member int64, name string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.chats == nil {
		d.chats, d.seen = map[int64][]string{}, map[int64]map[int64]bool{}
	}
	names, waiting := d.chats[chatID]
	if d.seen[chatID] == nil {
		d.seen[chatID] = map[int64]bool{}
	}
	if !d.seen[chatID][member] {
		d.seen[chatID][member] = true
		names = append(names, name)
	}
	d.chats[chatID] = names
	return !waiting
}

// text is the notice for chatID as it stands, and how many members it names.
func (d *dropNotices) text(chatID int64) (string, int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	names := d.chats[chatID]
	if chatID > 0 || len(names) == 0 {
		return noticeDropped, len(names)
	}
	shown := names[:min(len(names), 20)]
	return strings.Join(shown, " ") + "：" + noticeDropped, len(names)
}

// done records that the first n names were told, and reports whether more
// were added meanwhile (the caller sends again).
func (d *dropNotices) done(chatID int64, n int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	names := d.chats[chatID]
	if n >= len(names) {
		delete(d.chats, chatID)
		delete(d.seen, chatID)
		return false
	}
	d.chats[chatID] = names[n:]
	return true
}

// forget drops chatID's list: the notice could not be sent either.
func (d *dropNotices) forget(chatID int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.chats, chatID)
	delete(d.seen, chatID)
}

// memberName is how a notice in a group names the user an update is from.
func memberName(u *models.Update) string {
	var f *models.User
	switch {
	case u.Message != nil:
		f = u.Message.From
	case u.CallbackQuery != nil:
		f = &u.CallbackQuery.From
	}
	switch {
	case f == nil:
		return ""
	case f.Username != "":
		return "@" + f.Username
	}
	return strings.TrimSpace(f.FirstName + " " + f.LastName)
}
