// Package storetest is the conformance suite every store.Backend passes:
// the embedded bbolt store (package store) and the PostgreSQL one (package
// store/postgres) run the same tests, so that the bot behaves the same on
// either.
package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govbot/govbot/store"
)

// Factory makes a fresh, empty state for one test and returns the function
// that opens it. now is the clock the backend must use (Options.Now). Each
// call of open after the first opens the same state again, as a restart
// does; the suite closes what open returned before calling it again.
type Factory func(t *testing.T, now func() time.Time) (open func() store.Backend)

// Run runs the suite against the backend f makes.
func Run(t *testing.T, f Factory) {
	tests := []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"SubscriptionsSurviveRestart", testSubscriptions},
		{"FindReportAndRevision", testFindReport},
		{"AnnounceReportOnce", testAnnounceOnce},
		{"OutboxLifecycle", testOutboxLifecycle},
		{"DueOrderAndLimit", testDueOrder},
		{"OneClaimWins", testOneClaimWins},
		{"AdminsErrorsPollState", testAdminsErrorsPoll},
		{"SentSince", testSentSince},
		{"UpdateJournal", testUpdateJournal},
		{"Feedback", testFeedback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &harness{t: t, now: time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)}
			h.open = f(t, h.clock)
			h.s = h.open()
			t.Cleanup(func() { h.s.Close() })
			tt.run(t, h)
		})
	}
}

// harness holds the backend under test and its clock.
type harness struct {
	t    *testing.T
	open func() store.Backend
	s    store.Backend

	mu  sync.Mutex
	now time.Time
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

// advance moves the clock on by d.
func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

// reopen closes the backend and opens the same state again, checking it.
func (h *harness) reopen() store.Backend {
	h.t.Helper()
	if err := h.s.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.s = h.open()
	if err := h.s.Check(); err != nil {
		h.t.Fatalf("check after reopen: %v", err)
	}
	return h.s
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testSubscriptions(t *testing.T, h *harness) {
	s := h.s
	subs := []store.Subscription{
		{ChatID: 42, Kind: store.KindPrivate, By: 42},
		{ChatID: -1001, Kind: store.KindGroup, Title: "湖北群", Filters: []string{"湖北"}, By: 7},
		{ChatID: -1002, Kind: store.KindChannel, Title: "@govnews", By: 7},
	}
	for _, sub := range subs {
		created, err := s.Subscribe(sub)
		if err != nil || !created {
			t.Fatalf("Subscribe(%d) = %v, %v; want created", sub.ChatID, created, err)
		}
	}
	// Re-subscribing replaces filters and is not "created".
	created, err := s.Subscribe(store.Subscription{ChatID: 42, Kind: store.KindPrivate, Filters: []string{"国务院"}, By: 42})
	if err != nil || created {
		t.Fatalf("re-subscribe = %v, %v; want not created", created, err)
	}
	for _, bad := range []store.Subscription{{ChatID: 5, Kind: "supergroup"}, {Kind: store.KindPrivate}} {
		if _, err := s.Subscribe(bad); err == nil {
			t.Errorf("Subscribe(%+v) accepted", bad)
		}
	}
	s = h.reopen()
	got, err := s.Subscriptions()
	must(t, err)
	if len(got) != 3 {
		t.Fatalf("after restart: %d subscriptions, want 3: %+v", len(got), got)
	}
	if got[0].ChatID != -1002 || got[2].ChatID != 42 || len(got[2].Filters) != 1 || got[2].Filters[0] != "国务院" {
		t.Errorf("subscriptions = %+v", got)
	}
	if !got[1].At.Equal(h.clock()) || got[1].Title != "湖北群" || got[1].By != 7 || got[1].Kind != store.KindGroup {
		t.Errorf("subscription = %+v; want every field kept, At the clock's time", got[1])
	}
	removed, err := s.Unsubscribe(-1001)
	if err != nil || !removed {
		t.Fatalf("Unsubscribe = %v, %v", removed, err)
	}
	if removed, _ := s.Unsubscribe(-1001); removed {
		t.Error("second Unsubscribe reported removal")
	}
	if _, err := s.Subscription(-1001); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Subscription after unsubscribe: err = %v, want ErrNotFound", err)
	}
	if sub, err := s.Subscription(42); err != nil || sub.Filters[0] != "国务院" {
		t.Errorf("Subscription(42) = %+v, %v", sub, err)
	}
}

func testFindReport(t *testing.T, h *harness) {
	s := h.s
	rec, err := s.PutReport(store.ReportRecord{ID: "r1", TextHash: "h1", IndexNumber: "000014349/2025-00001", URL: "https://example.gov.cn/a.html", Title: "T"})
	must(t, err)
	if rec.Revision != 1 || !rec.Added.Equal(h.clock()) || !rec.Updated.Equal(h.clock()) {
		t.Fatalf("first record = %+v", rec)
	}
	s = h.reopen()
	tests := []struct {
		name                   string
		hash, indexNo, url, id string
		want                   store.Match
	}{
		{"same text", "h1", "", "", "", store.MatchHash},
		{"same index number", "hX", "000014349/2025-00001", "", "", store.MatchIndexNumber},
		{"same url", "hX", "other", "https://example.gov.cn/a.html", "", store.MatchURL},
		{"same id", "hX", "", "", "r1", store.MatchID},
		{"new", "hX", "other", "https://example.gov.cn/b.html", "r2", store.MatchNone},
		{"nothing asked", "", "", "", "", store.MatchNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, m, err := s.FindReport(tt.hash, tt.indexNo, tt.url, tt.id)
			must(t, err)
			if m != tt.want || (m != store.MatchNone && (got.ID != "r1" || got.Title != "T")) || (m == store.MatchNone && got.ID != "") {
				t.Errorf("FindReport = %+v, %q; want r1, %q", got, m, tt.want)
			}
		})
	}
	// A revised text under the same ID replaces the hash key.
	h.advance(time.Hour)
	rec, err = s.PutReport(store.ReportRecord{ID: "r1", TextHash: "h2", IndexNumber: "000014349/2025-00001", URL: "https://example.gov.cn/a.html"})
	must(t, err)
	if rec.Revision != 2 || !rec.Updated.Equal(h.clock()) || rec.Added.Equal(rec.Updated) {
		t.Errorf("revised = %+v; want revision 2, updated now, added before", rec)
	}
	if _, m, _ := s.FindReport("h1", "", "", ""); m != store.MatchNone {
		t.Errorf("old hash still found (%q)", m)
	}
	if _, m, _ := s.FindReport("h2", "", "", ""); m != store.MatchHash {
		t.Errorf("new hash not found (%q)", m)
	}
	// The same text again does not bump the revision; a metadata change does.
	if rec, _ = s.PutReport(store.ReportRecord{ID: "r1", TextHash: "h2"}); rec.Revision != 2 {
		t.Errorf("unchanged text: revision = %d, want 2", rec.Revision)
	}
	if rec, _ = s.PutReport(store.ReportRecord{ID: "r1", TextHash: "h2", MetaChanged: true}); rec.Revision != 3 {
		t.Errorf("changed metadata: revision = %d, want 3", rec.Revision)
	}
	// The URL was dropped by the last put: no longer a key.
	if _, m, _ := s.FindReport("", "", "https://example.gov.cn/a.html", ""); m != store.MatchNone {
		t.Errorf("dropped URL still found (%q)", m)
	}
	// A key another report takes names that report from then on.
	h.advance(time.Hour)
	must(t, errOnly(s.PutReport(store.ReportRecord{ID: "r0", TextHash: "h2"})))
	if got, m, _ := s.FindReport("h2", "", "", ""); m != store.MatchHash || got.ID != "r0" {
		t.Errorf("shared hash finds %q (%q), want r0", got.ID, m)
	}
	recs, err := s.Reports()
	must(t, err)
	if len(recs) != 2 || recs[0].ID != "r0" || recs[1].ID != "r1" {
		t.Errorf("Reports = %+v; want r0 (updated last), r1", recs)
	}
	if _, err := s.PutReport(store.ReportRecord{TextHash: "h"}); err == nil {
		t.Error("report without ID accepted")
	}
	if _, err := s.Report("nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Report(nope): err = %v, want ErrNotFound", err)
	}
	must(t, s.Check())
}

func errOnly[T any](_ T, err error) error { return err }

func testAnnounceOnce(t *testing.T, h *harness) {
	s := h.s
	for _, sub := range []store.Subscription{
		{ChatID: 1, Kind: store.KindPrivate},
		{ChatID: 2, Kind: store.KindPrivate, Filters: []string{"湖北"}},
		{ChatID: 3, Kind: store.KindPrivate, Filters: []string{"湖南"}},
	} {
		must(t, errOnly(s.Subscribe(sub)))
	}
	rec, n, err := s.AnnounceReport(store.ReportRecord{ID: "2025-hubei", TextHash: "h"}, "湖北省人民政府", "2025年湖北省政府工作报告")
	must(t, err)
	if n != 2 || !rec.Announced.Equal(h.clock()) {
		t.Fatalf("AnnounceReport queued %d (announced %v), want 2", n, rec.Announced)
	}
	// Announcing again (same report re-added, or revised) queues nothing.
	h.advance(time.Minute)
	rec, n, err = s.AnnounceReport(store.ReportRecord{ID: "2025-hubei", TextHash: "h2"}, "湖北省人民政府")
	if err != nil || n != 0 || rec.Revision != 2 || rec.Announced.Equal(h.clock()) {
		t.Fatalf("second AnnounceReport = %+v, %d, %v; want revision 2, 0 queued, announced before", rec, n, err)
	}
	if got, _ := s.Report("2025-hubei"); !got.Announced.Equal(rec.Announced) {
		t.Errorf("stored Announced = %v, want %v", got.Announced, rec.Announced)
	}
	ds, err := s.Deliveries("2025-hubei")
	must(t, err)
	if len(ds) != 2 || ds[0].ChatID != 1 || ds[1].ChatID != 2 || ds[0].State != store.Pending {
		t.Errorf("deliveries = %+v", ds)
	}
	if _, err := s.Enqueue("unknown", 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Enqueue for unrecorded report: err = %v, want ErrNotFound", err)
	}
}

func testOutboxLifecycle(t *testing.T, h *harness) {
	s := h.s
	now := h.clock()
	must(t, errOnly(s.PutReport(store.ReportRecord{ID: "r", TextHash: "h"})))
	if n, err := s.Enqueue("r", 10, 11, 12, 10); err != nil || n != 3 {
		t.Fatalf("Enqueue = %d, %v; want 3", n, err)
	}
	due, err := s.Due(now, 10)
	if err != nil || len(due) != 3 {
		t.Fatalf("Due = %d, %v", len(due), err)
	}
	if d := due[0]; d.State != store.Pending || !d.NextAttempt.Equal(now) || !d.Created.Equal(now) || d.Attempts != 0 {
		t.Errorf("queued entry = %+v", d)
	}

	// 10: sent. A stale token cannot finish it again.
	d10, err := s.BeginSend("r", 10)
	must(t, err)
	if d10.State != store.Sending || d10.Attempts != 1 || d10.Token == "" {
		t.Errorf("BeginSend = %+v", d10)
	}
	if _, err := s.BeginSend("r", 10); !errors.Is(err, store.ErrStale) {
		t.Errorf("second BeginSend: err = %v, want ErrStale", err)
	}
	if _, err := s.BeginSend("r", 99); !errors.Is(err, store.ErrStale) {
		t.Errorf("BeginSend of no entry: err = %v, want ErrStale", err)
	}
	stale := d10
	stale.Token = "other"
	if err := s.MarkSent(stale, 1); !errors.Is(err, store.ErrStale) {
		t.Errorf("MarkSent with another token: err = %v, want ErrStale", err)
	}
	must(t, s.MarkSent(d10, 777))
	if err := s.MarkSent(d10, 778); !errors.Is(err, store.ErrStale) {
		t.Errorf("MarkSent twice: err = %v, want ErrStale", err)
	}
	// 11: retry in a minute: not due now, due later.
	d11, _ := s.BeginSend("r", 11)
	must(t, s.MarkRetry(d11, now.Add(time.Minute), errors.New("429 Too Many Requests")))
	if due, _ := s.Due(now, 10); len(due) != 1 || due[0].ChatID != 12 {
		t.Errorf("Due now = %+v, want only chat 12", due)
	}
	if due, _ := s.Due(now.Add(time.Minute), 10); len(due) != 2 || due[1].ChatID != 11 || due[1].LastError != "429 Too Many Requests" {
		t.Errorf("Due in a minute = %+v, want 12 then 11", due)
	}
	if at, ok, _ := s.NextDue(); !ok || !at.Equal(now) {
		t.Errorf("NextDue = %v, %v", at, ok)
	}
	// 12: crash while sending.
	must(t, errOnly(s.BeginSend("r", 12)))
	s = h.reopen()
	rec, err := s.RecoverInflight(true)
	if err != nil || len(rec) != 1 || rec[0].ChatID != 12 || rec[0].State != store.Pending || rec[0].Token != "" {
		t.Fatalf("RecoverInflight = %+v, %v", rec, err)
	}
	ds, _ := s.Deliveries("r")
	want := map[int64]store.State{10: store.Sent, 11: store.Pending, 12: store.Pending}
	for _, d := range ds {
		if d.State != want[d.ChatID] {
			t.Errorf("chat %d: state %s, want %s", d.ChatID, d.State, want[d.ChatID])
		}
	}
	if ds[0].MessageID != 777 || !ds[0].SentAt.Equal(now) || ds[1].Attempts != 1 || ds[1].LastError == "" {
		t.Errorf("deliveries = %+v", ds)
	}
	// Re-send after the fact requeues a sent entry; Enqueue would not.
	if n, _ := s.Enqueue("r", 10); n != 0 {
		t.Errorf("Enqueue of sent entry added %d", n)
	}
	h.advance(time.Hour)
	if n, _ := s.Requeue("r", 10, 11); n != 1 {
		t.Errorf("Requeue added %d, want 1 (11 is still pending)", n)
	}
	ds, _ = s.Deliveries("r")
	if d := ds[0]; d.State != store.Pending || d.MessageID != 0 || d.Attempts != 0 || !d.SentAt.IsZero() || !d.Created.Equal(now) || !d.NextAttempt.Equal(h.clock()) {
		t.Errorf("requeued entry = %+v; want pending afresh, created as before", d)
	}
	// The at-most-once choice marks an interrupted entry failed.
	must(t, errOnly(s.BeginSend("r", 12)))
	if rec, _ := s.RecoverInflight(false); len(rec) != 1 || rec[0].State != store.Failed {
		t.Errorf("RecoverInflight(false) = %+v", rec)
	}
	// Unsubscribing cancels what is still pending.
	must(t, errOnly(s.Subscribe(store.Subscription{ChatID: 11, Kind: store.KindPrivate})))
	must(t, errOnly(s.Unsubscribe(11)))
	if d, _ := s.Deliveries("r"); d[1].State != store.Cancelled || d[1].LastError == "" {
		t.Errorf("after unsubscribe: %+v", d[1])
	}
	must(t, s.Check())
	st, err := s.Stats(5)
	must(t, err)
	if st.Reports != 1 || st.Deliveries[store.Sent] != 0 || st.Deliveries[store.Pending] != 1 || st.Deliveries[store.Cancelled] != 1 || st.Deliveries[store.Failed] != 1 {
		t.Errorf("stats = %+v", st)
	}
	if d, _ := s.Deliveries(""); len(d) != 3 {
		t.Errorf("Deliveries(\"\") = %d entries, want 3", len(d))
	}
}

// testDueOrder: entries come earliest first, ties by report ID then chat
// ID as text, and limit caps the list.
func testDueOrder(t *testing.T, h *harness) {
	s := h.s
	now := h.clock()
	if _, ok, err := s.NextDue(); ok || err != nil {
		t.Errorf("NextDue of an empty outbox = %v, %v", ok, err)
	}
	for _, id := range []string{"b", "a"} {
		must(t, errOnly(s.PutReport(store.ReportRecord{ID: id, TextHash: id})))
		must(t, errOnly(s.Enqueue(id, 5, -100, 42)))
	}
	d, err := s.BeginSend("a", 42)
	must(t, err)
	must(t, s.MarkRetry(d, now.Add(-time.Second), errors.New("later")))
	due, err := s.Due(now, 10)
	must(t, err)
	var got []string
	for _, d := range due {
		got = append(got, fmt.Sprintf("%s/%d", d.ReportID, d.ChatID))
	}
	if want := "a/42 a/-100 a/5 b/-100 b/42 b/5"; strings.Join(got, " ") != want {
		t.Errorf("Due order = %v, want %s", got, want)
	}
	if due, _ := s.Due(now, 2); len(due) != 2 {
		t.Errorf("Due(limit 2) = %d entries", len(due))
	}
	if due, _ := s.Due(now, 0); len(due) != 0 {
		t.Errorf("Due(limit 0) = %d entries", len(due))
	}
	if at, ok, _ := s.NextDue(); !ok || !at.Equal(now.Add(-time.Second)) {
		t.Errorf("NextDue = %v, %v; want a second ago", at, ok)
	}
}

// testOneClaimWins: senders racing for the same due entries (several
// replicas, or workers of one) each get it at most once.
func testOneClaimWins(t *testing.T, h *harness) {
	s := h.s
	const chats, senders = 40, 4
	must(t, errOnly(s.PutReport(store.ReportRecord{ID: "r", TextHash: "h"})))
	ids := make([]int64, chats)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	must(t, errOnly(s.Enqueue("r", ids...)))
	var mu sync.Mutex
	won := map[int64]int{}
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			due, err := s.Due(h.clock(), chats)
			if err != nil {
				t.Error(err)
				return
			}
			for _, d := range due {
				bd, err := s.BeginSend(d.ReportID, d.ChatID)
				if errors.Is(err, store.ErrStale) {
					continue
				}
				if err != nil {
					t.Error(err)
					return
				}
				if err := s.MarkSent(bd, 1); err != nil {
					t.Error(err)
				}
				mu.Lock()
				won[d.ChatID]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		if won[id] != 1 {
			t.Errorf("chat %d claimed %d times, want once", id, won[id])
		}
	}
}

func testAdminsErrorsPoll(t *testing.T, h *harness) {
	const kept = 50 // the error log's length
	s := h.s
	must(t, s.SetAdmins(1, 2, 2))
	for i := range kept + 10 {
		must(t, s.LogError("send", fmt.Errorf("error %d", i)))
	}
	ps := store.PollState{ETag: `"abc"`, LastModified: "Wed, 05 Mar 2025 01:00:00 GMT", LastPoll: h.clock()}
	must(t, s.SetPollState("gov", ps))
	must(t, s.MarkSeen("gov", map[string]string{"https://a/2.html": "", "https://a/1.html": "r1"}))
	must(t, s.MarkSeen("gov", map[string]string{"https://a/10.html": "r10"}))
	s = h.reopen()
	if !s.IsAdmin(1) || !s.IsAdmin(2) || s.IsAdmin(3) {
		t.Error("admins not kept")
	}
	must(t, s.SetAdmins(3))
	if s.IsAdmin(1) || !s.IsAdmin(3) {
		t.Error("SetAdmins did not replace")
	}
	if st, _ := s.Stats(100); len(st.LastErrors) != kept {
		t.Errorf("error log keeps %d entries, want %d", len(st.LastErrors), kept)
	}
	st, _ := s.Stats(3)
	if len(st.LastErrors) != 3 || st.LastErrors[0].Message != "error 59" || st.LastErrors[0].Where != "send" || !st.LastErrors[0].At.Equal(h.clock()) {
		t.Errorf("last errors = %+v", st.LastErrors)
	}
	if got, _ := s.PollState("gov"); got != ps {
		t.Errorf("poll state = %+v, want %+v", got, ps)
	}
	if got, err := s.PollState("never"); err != nil || got != (store.PollState{}) {
		t.Errorf("poll state of an unpolled source = %+v, %v", got, err)
	}
	seen, _ := s.Seen("gov", "https://a/1.html", "https://a/2.html", "https://a/3.html")
	if !seen["https://a/1.html"] || !seen["https://a/2.html"] || seen["https://a/3.html"] {
		t.Errorf("seen = %v", seen)
	}
	if seen, _ := s.Seen("other", "https://a/1.html"); len(seen) != 0 {
		t.Errorf("another source's seen = %v", seen)
	}
	links, err := s.SeenLinks("gov")
	must(t, err)
	if got := strings.Join(links, " "); got != "https://a/1.html https://a/10.html https://a/2.html" {
		t.Errorf("SeenLinks = %s", got)
	}
	if links, _ := s.SeenLinks("other"); links != nil {
		t.Errorf("SeenLinks of an unknown source = %q", links)
	}
}

func testSentSince(t *testing.T, h *harness) {
	s := h.s
	must(t, errOnly(s.PutReport(store.ReportRecord{ID: "r", TextHash: "h"})))
	must(t, errOnly(s.Enqueue("r", 1, 2, 3)))
	for i, chat := range []int64{1, 2} {
		h.advance(time.Duration(i+1) * 30 * time.Second)
		d, err := s.BeginSend("r", chat)
		must(t, err)
		must(t, s.MarkSent(d, 100+i))
	}
	got, err := s.SentSince(h.clock().Add(-59 * time.Second))
	if err != nil || len(got) != 1 || got[0].ChatID != 2 {
		t.Errorf("SentSince(last minute) = %+v, %v; want chat 2 only", got, err)
	}
	if got, _ := s.SentSince(time.Time{}); len(got) != 2 || got[0].ChatID != 1 {
		t.Errorf("SentSince(zero) = %+v; want chats 1, 2 oldest first", got)
	}
}

// testUpdateJournal: received updates stay until finished, a second
// delivery of one is recognised for a day, and the sending mark survives a
// reopen.
func testUpdateJournal(t *testing.T, h *harness) {
	s := h.s
	ups := []store.PendingUpdate{{ID: 10, Raw: []byte(`{"update_id":10}`)}, {ID: 11, Raw: []byte(`{"update_id":11}`)}, {ID: 12, Raw: []byte(`{"update_id":12}`)}}
	fresh, err := s.ReceiveUpdates(ups)
	if err != nil || len(fresh) != 3 || !fresh[0].Received.Equal(h.clock()) {
		t.Fatalf("first receive: %+v, %v", fresh, err)
	}
	must(t, s.MarkUpdateSending(11))
	must(t, s.MarkUpdateSending(99)) // unknown: nothing to mark
	must(t, s.FinishUpdate(10))
	// Telegram delivers 10..13 again (the acknowledgement was lost).
	fresh, err = s.ReceiveUpdates(append(ups, store.PendingUpdate{ID: 13, Raw: []byte(`{"update_id":13}`)}))
	if err != nil || len(fresh) != 1 || fresh[0].ID != 13 {
		t.Fatalf("second receive: %+v, %v", fresh, err)
	}
	s = h.reopen()
	pend, err := s.PendingUpdates()
	must(t, err)
	var got []string
	for _, p := range pend {
		got = append(got, fmt.Sprintf("%d:%v:%s", p.ID, p.Sending, p.Raw))
	}
	if strings.Join(got, " ") != `11:true:{"update_id":11} 12:false:{"update_id":12} 13:false:{"update_id":13}` {
		t.Errorf("pending after reopen = %v", got)
	}
	// A day later an answered ID counts as new (Telegram renumbers).
	h.advance(25 * time.Hour)
	if fresh, _ := s.ReceiveUpdates(ups[:1]); len(fresh) != 1 {
		t.Errorf("update 10 a day after it was answered: %d fresh, want 1", len(fresh))
	}
	must(t, s.Check())
}

func testFeedback(t *testing.T, h *harness) {
	const clip = 500 // runes kept of a question
	s := h.s
	long := strings.Repeat("问", clip+50)
	in := []store.Feedback{
		{Helpful: true, Question: " 湖北2025年GDP ", Figure: "62661亿元", Answered: true, Report: "2026-hubei-gwr", ReportTitle: "湖北", Paragraph: "p12", ChatID: 5, UserID: 5},
		{Helpful: false, Question: long, ChatID: -100, UserID: 7},
	}
	for i, f := range in {
		got, err := s.AddFeedback(f)
		must(t, err)
		if got.ID != uint64(i+1) || !got.At.Equal(h.clock()) {
			t.Errorf("AddFeedback = ID %d at %v; want ID %d now", got.ID, got.At, i+1)
		}
	}
	s = h.reopen()
	got, err := s.Feedbacks(0)
	must(t, err)
	if len(got) != 2 || got[0].ID != 2 || got[1].ID != 1 {
		t.Fatalf("feedback = %+v; want IDs 2, 1", got)
	}
	want := in[0]
	want.ID, want.Question = 1, "湖北2025年GDP"
	first := got[1]
	if !first.At.Equal(h.clock()) {
		t.Errorf("first entry at %v, want %v", first.At, h.clock())
	}
	first.At = time.Time{}
	if first != want {
		t.Errorf("first entry = %+v, want %+v", first, want)
	}
	if n := len([]rune(got[0].Question)); n != clip {
		t.Errorf("long question kept %d runes, want %d", n, clip)
	}
	if one, _ := s.Feedbacks(1); len(one) != 1 || one[0].ID != 2 {
		t.Errorf("Feedbacks(1) = %+v", one)
	}
}
