package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/govbot/govbot/store"
)

// Subscribe records sub, replacing the chat's earlier subscription, and
// reports whether the chat was new.
func (s *Store) Subscribe(sub store.Subscription) (created bool, err error) {
	if err := sub.Valid(); err != nil {
		return false, err
	}
	if sub.At.IsZero() {
		sub.At = s.clock()
	}
	data, err := json.Marshal(sub)
	if err != nil {
		return false, fmt.Errorf("store: subscribe chat %d: %w", sub.ChatID, err)
	}
	err = s.tx(func(ctx context.Context, tx *sql.Tx) error {
		// xmax is 0 on a row this statement inserted.
		return tx.QueryRowContext(ctx, `INSERT INTO govbot_subscriptions (chat_id, data) VALUES ($1, $2)
			ON CONFLICT (chat_id) DO UPDATE SET data = EXCLUDED.data
			RETURNING xmax = 0`, sub.ChatID, data).Scan(&created)
	})
	if err != nil {
		return false, fmt.Errorf("store: subscribe chat %d: %w", sub.ChatID, err)
	}
	return created, nil
}

// Unsubscribe removes the chat's subscription and cancels its pending
// outbox entries; entries in flight are left to their sender.
func (s *Store) Unsubscribe(chatID int64) (removed bool, err error) {
	err = s.tx(func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM govbot_subscriptions WHERE chat_id = $1`, chatID)
		if err != nil {
			return err
		}
		if removed, err = affected(res); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE govbot_outbox SET state = 'cancelled', last_error = 'unsubscribed', updated = $2
			WHERE chat_id = $1 AND state = 'pending'`, chatID, s.clock())
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: unsubscribe chat %d: %w", chatID, err)
	}
	return removed, nil
}

// Subscription returns the chat's subscription, or an error wrapping
// store.ErrNotFound.
func (s *Store) Subscription(chatID int64) (store.Subscription, error) {
	var sub store.Subscription
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		return getJSON(ctx, tx, &sub, `SELECT data FROM govbot_subscriptions WHERE chat_id = $1`, chatID)
	})
	if err != nil {
		return store.Subscription{}, fmt.Errorf("store: subscription of chat %d: %w", chatID, err)
	}
	return sub, nil
}

// Subscriptions returns every subscription, ordered by chat ID.
func (s *Store) Subscriptions() ([]store.Subscription, error) {
	var subs []store.Subscription
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var err error
		subs, err = loadSubs(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list subscriptions: %w", err)
	}
	return subs, nil
}

func loadSubs(ctx context.Context, tx *sql.Tx) ([]store.Subscription, error) {
	return listJSON[store.Subscription](ctx, tx, `SELECT data FROM govbot_subscriptions ORDER BY chat_id`)
}

// getJSON decodes the one JSON value query returns into v; no row is
// store.ErrNotFound.
func getJSON(ctx context.Context, tx *sql.Tx, v any, query string, args ...any) error {
	var data []byte
	err := tx.QueryRowContext(ctx, query, args...).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode record: %w", err)
	}
	return nil
}

// listJSON decodes the JSON values query returns, in its order.
func listJSON[T any](ctx context.Context, tx *sql.Tx, query string, args ...any) ([]T, error) {
	datas, err := collect(ctx, tx, scanOne[[]byte], query, args...)
	if err != nil {
		return nil, err
	}
	var out []T
	for _, data := range datas {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, fmt.Errorf("decode record: %w", err)
		}
		out = append(out, v)
	}
	return out, nil
}

// reportKey is one secondary key a report is recognised by.
type reportKey struct {
	kind, key string
	m         store.Match
}

// reportKeys are rec's secondary keys, strongest first.
func reportKeys(hash, indexNumber, url string) []reportKey {
	return []reportKey{{"hash", hash, store.MatchHash}, {"index_number", indexNumber, store.MatchIndexNumber}, {"url", url, store.MatchURL}}
}

// FindReport looks for a recorded report with the same text hash, then the
// same 索引号, then the same URL, then the same ID; empty arguments are not
// looked up. It returns store.MatchNone and a zero record when nothing
// matches.
func (s *Store) FindReport(hash, indexNumber, url, id string) (store.ReportRecord, store.Match, error) {
	var rec store.ReportRecord
	m := store.MatchNone
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		for _, k := range reportKeys(hash, indexNumber, url) {
			if k.key == "" {
				continue
			}
			err := getJSON(ctx, tx, &rec, `SELECT r.data FROM govbot_report_keys k JOIN govbot_reports r ON r.id = k.report_id
				WHERE k.kind = $1 AND k.key = $2`, k.kind, k.key)
			if err == nil {
				m = k.m
				return nil
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if id == "" {
			return nil
		}
		err := getJSON(ctx, tx, &rec, `SELECT data FROM govbot_reports WHERE id = $1`, id)
		if err == nil {
			m = store.MatchID
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return store.ReportRecord{}, store.MatchNone, fmt.Errorf("store: find report: %w", err)
	}
	if m == store.MatchNone {
		rec = store.ReportRecord{}
	}
	return rec, m, nil
}

// Report returns the record of report id, or an error wrapping
// store.ErrNotFound.
func (s *Store) Report(id string) (store.ReportRecord, error) {
	var rec store.ReportRecord
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		return getJSON(ctx, tx, &rec, `SELECT data FROM govbot_reports WHERE id = $1`, id)
	})
	if err != nil {
		return store.ReportRecord{}, fmt.Errorf("store: report %q: %w", id, err)
	}
	return rec, nil
}

// Reports returns every recorded report, most recently updated first.
func (s *Store) Reports() ([]store.ReportRecord, error) {
	var out []store.ReportRecord
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = listJSON[store.ReportRecord](ctx, tx, `SELECT data FROM govbot_reports`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list reports: %w", err)
	}
	store.SortReports(out)
	return out, nil
}

// PutReport records rec, replacing the record with the same ID (see
// store.ReportRecord.Revise), and returns the record as stored.
func (s *Store) PutReport(rec store.ReportRecord) (store.ReportRecord, error) {
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var err error
		rec, err = putReport(ctx, tx, rec, s.clock())
		return err
	})
	if err != nil {
		return store.ReportRecord{}, fmt.Errorf("store: record report %q: %w", rec.ID, err)
	}
	return rec, nil
}

// putReport writes rec and its secondary keys. A transaction-scoped
// advisory lock on the report ID serialises writers of one report, so that
// two replicas recording it at once count one revision after the other.
func putReport(ctx context.Context, tx *sql.Tx, rec store.ReportRecord, now time.Time) (store.ReportRecord, error) {
	if rec.ID == "" {
		return rec, fmt.Errorf("empty report ID")
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('govbot report ' || $1, 0))`, rec.ID); err != nil {
		return rec, err
	}
	var old store.ReportRecord
	err := getJSON(ctx, tx, &old, `SELECT data FROM govbot_reports WHERE id = $1`, rec.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		rec = rec.Revise(nil, now)
	case err != nil:
		return rec, err
	default:
		rec = rec.Revise(&old, now)
		// Drop the old keys this report holds; those still true come back.
		for _, k := range reportKeys(old.TextHash, old.IndexNumber, old.URL) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM govbot_report_keys WHERE kind = $1 AND key = $2 AND report_id = $3`, k.kind, k.key, rec.ID); err != nil {
				return rec, err
			}
		}
	}
	for _, k := range reportKeys(rec.TextHash, rec.IndexNumber, rec.URL) {
		if k.key == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO govbot_report_keys (kind, key, report_id) VALUES ($1, $2, $3)
			ON CONFLICT (kind, key) DO UPDATE SET report_id = EXCLUDED.report_id`, k.kind, k.key, rec.ID); err != nil {
			return rec, err
		}
	}
	return rec, saveReport(ctx, tx, rec)
}

func saveReport(ctx context.Context, tx *sql.Tx, rec store.ReportRecord) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO govbot_reports (id, data) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data`, rec.ID, data)
	return err
}

// AnnounceReport records rec (as PutReport does) and, if the report was not
// announced before, queues one outbox entry for every subscribed chat whose
// filters match fields, in the same transaction. It returns the stored
// record and the number of entries queued.
func (s *Store) AnnounceReport(rec store.ReportRecord, matchFields ...string) (store.ReportRecord, int, error) {
	queued := 0
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		queued = 0
		now := s.clock()
		var err error
		if rec, err = putReport(ctx, tx, rec, now); err != nil {
			return err
		}
		if !rec.Announced.IsZero() {
			return nil
		}
		subs, err := loadSubs(ctx, tx)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			if !sub.Matches(matchFields...) {
				continue
			}
			added, err := enqueue(ctx, tx, rec.ID, sub.ChatID, now, false)
			if err != nil {
				return err
			}
			if added {
				queued++
			}
		}
		rec.Announced = now
		return saveReport(ctx, tx, rec)
	})
	if err != nil {
		return store.ReportRecord{}, 0, fmt.Errorf("store: announce report %q: %w", rec.ID, err)
	}
	return rec, queued, nil
}
