package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/govbot/govbot/store"
)

// deliveryCols are the outbox columns scanDelivery reads, in its order.
const deliveryCols = `report_id, chat_id, state, attempts, next_attempt, last_error, token, message_id, created, updated, sent_at`

// scanDelivery reads one outbox row selected with deliveryCols.
func scanDelivery(row *sql.Rows) (store.Delivery, error) {
	var d store.Delivery
	var next, sent *time.Time
	var msg int64
	err := row.Scan(&d.ReportID, &d.ChatID, &d.State, &d.Attempts, &next, &d.LastError, &d.Token, &msg, &d.Created, &d.Updated, &sent)
	d.NextAttempt, d.SentAt, d.MessageID = orZero(next), orZero(sent), int(msg)
	d.Created, d.Updated = d.Created.UTC(), d.Updated.UTC()
	return d, err
}

// deliveries runs query and reads the outbox rows it returns.
func deliveries(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]store.Delivery, error) {
	return collect(ctx, tx, scanDelivery, query, args...)
}

// enqueue adds a pending entry for (reportID, chatID). An existing entry is
// left alone unless reset is set, in which case a finished entry (sent,
// failed, cancelled) starts again as a new pending one, keeping its
// creation time; one pending or in flight is never doubled.
func enqueue(ctx context.Context, tx *sql.Tx, reportID string, chatID int64, now time.Time, reset bool) (bool, error) {
	q := `INSERT INTO govbot_outbox (report_id, chat_id, state, next_attempt, created, updated)
		VALUES ($1, $2, 'pending', $3, $3, $3) ON CONFLICT (report_id, chat_id) DO NOTHING`
	if reset {
		q = `INSERT INTO govbot_outbox AS o (report_id, chat_id, state, next_attempt, created, updated)
			VALUES ($1, $2, 'pending', $3, $3, $3) ON CONFLICT (report_id, chat_id) DO UPDATE
			SET state = 'pending', attempts = 0, next_attempt = $3, last_error = '', token = '',
				message_id = 0, updated = $3, sent_at = NULL
			WHERE o.state NOT IN ('pending', 'sending')`
	}
	res, err := tx.ExecContext(ctx, q, reportID, chatID, now)
	if err != nil {
		return false, err
	}
	return affected(res)
}

// Enqueue queues report reportID for each chat that has no entry for it
// yet, and returns how many entries it added.
func (s *Store) Enqueue(reportID string, chatIDs ...int64) (int, error) {
	return s.enqueueAll(reportID, chatIDs, false)
}

// Requeue queues report reportID again for the given chats even if it was
// sent before; entries pending or in flight are left as they are. It
// returns how many entries it (re)queued.
func (s *Store) Requeue(reportID string, chatIDs ...int64) (int, error) {
	return s.enqueueAll(reportID, chatIDs, true)
}

func (s *Store) enqueueAll(reportID string, chatIDs []int64, reset bool) (int, error) {
	n := 0
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		n = 0
		var known bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM govbot_reports WHERE id = $1)`, reportID).Scan(&known); err != nil {
			return err
		}
		if !known {
			return fmt.Errorf("report not recorded: %w", store.ErrNotFound)
		}
		now := s.clock()
		for _, id := range chatIDs {
			added, err := enqueue(ctx, tx, reportID, id, now, reset)
			if err != nil {
				return err
			}
			if added {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: enqueue report %q: %w", reportID, err)
	}
	return n, nil
}

// Due returns up to limit pending entries whose NextAttempt is not after
// now, earliest first (then by report ID and chat ID as text, the bbolt
// store's key order); now counts to the microsecond, as the table keeps
// times. Rows another transaction holds (a BeginSend under way in another
// replica) are skipped rather than waited for.
func (s *Store) Due(now time.Time, limit int) ([]store.Delivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	var out []store.Delivery
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = deliveries(ctx, tx, `SELECT `+deliveryCols+` FROM govbot_outbox
			WHERE state = 'pending' AND next_attempt <= $1
			ORDER BY next_attempt, report_id, chat_id::text COLLATE "C"
			LIMIT $2 FOR UPDATE SKIP LOCKED`, stamp(now), limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: due deliveries: %w", err)
	}
	return out, nil
}

// NextDue returns when the earliest pending entry is due; ok is false when
// nothing is pending.
func (s *Store) NextDue() (at time.Time, ok bool, err error) {
	err = s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var t *time.Time
		if err := tx.QueryRowContext(ctx, `SELECT min(next_attempt) FROM govbot_outbox WHERE state = 'pending'`).Scan(&t); err != nil {
			return err
		}
		at, ok = orZero(t), t != nil
		return nil
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next due delivery: %w", err)
	}
	return at, ok, nil
}

// BeginSend moves a pending entry to sending with a new token and counts
// the attempt, committed before the caller makes the Telegram call. The
// update is conditional on the entry being pending, so of several
// processes claiming it one wins and the others get an error wrapping
// store.ErrStale, as does a claim of an entry no longer pending.
func (s *Store) BeginSend(reportID string, chatID int64) (store.Delivery, error) {
	var d store.Delivery
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		ds, err := deliveries(ctx, tx, `UPDATE govbot_outbox SET state = 'sending', token = $3, attempts = attempts + 1, updated = $4
			WHERE report_id = $1 AND chat_id = $2 AND state = 'pending'
			RETURNING `+deliveryCols, reportID, chatID, store.NewToken(), s.clock())
		if err != nil {
			return err
		}
		if len(ds) == 0 {
			return store.ErrStale
		}
		d = ds[0]
		return nil
	})
	if err != nil {
		return store.Delivery{}, fmt.Errorf("store: begin send %s to %d: %w", reportID, chatID, err)
	}
	return d, nil
}

// finish moves the entry in flight under d.Token to its next state: set
// is the SET list, with $4 the current time and $5 on its arguments.
func (s *Store) finish(d store.Delivery, what, set string, args ...any) error {
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE govbot_outbox SET token = '', updated = $4, `+set+`
			WHERE report_id = $1 AND chat_id = $2 AND state = 'sending' AND token = $3`,
			append([]any{d.ReportID, d.ChatID, d.Token, s.clock()}, args...)...)
		if err != nil {
			return err
		}
		changed, err := affected(res)
		if err == nil && !changed {
			err = store.ErrStale
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("store: %s %s to %d: %w", what, d.ReportID, d.ChatID, err)
	}
	return nil
}

// MarkSent records that the attempt d (from BeginSend) delivered message
// messageID.
func (s *Store) MarkSent(d store.Delivery, messageID int) error {
	return s.finish(d, "mark sent", `state = 'sent', message_id = $5, sent_at = $4, last_error = ''`, int64(messageID))
}

// MarkRetry records that the attempt d failed with a temporary error and
// should be tried again at at.
func (s *Store) MarkRetry(d store.Delivery, at time.Time, cause error) error {
	return s.finish(d, "mark retry", `state = 'pending', next_attempt = $5, last_error = $6`, stamp(at), errString(cause))
}

// MarkFailed records that the attempt d failed for good.
func (s *Store) MarkFailed(d store.Delivery, cause error) error {
	return s.finish(d, "mark failed", `state = 'failed', last_error = $5`, errString(cause))
}

// RecoverInflight resolves entries left in state sending by a process that
// stopped between BeginSend and MarkSent/MarkRetry: with resend they
// become pending again (at least once), without they are marked failed (at
// most once). It returns the entries it changed, ordered by report and
// chat ID as text. Every entry in flight is taken, also those of a live
// replica: call it where no other sender runs (see docs/scaling.md).
func (s *Store) RecoverInflight(resend bool) ([]store.Delivery, error) {
	set := `state = 'failed', last_error = 'interrupted while sending; not re-sent (may be lost)'`
	if resend {
		set = `state = 'pending', next_attempt = $1, last_error = 'interrupted while sending; re-sent (may duplicate)'`
	}
	var out []store.Delivery
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = deliveries(ctx, tx, `UPDATE govbot_outbox SET token = '', updated = $1, `+set+`
			WHERE state = 'sending' RETURNING `+deliveryCols, s.clock())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: recover in-flight deliveries: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ReportID != out[j].ReportID {
			return out[i].ReportID < out[j].ReportID
		}
		return strconv.FormatInt(out[i].ChatID, 10) < strconv.FormatInt(out[j].ChatID, 10)
	})
	return out, nil
}

// Deliveries returns the outbox entries of report reportID ("" for all),
// ordered by report then chat.
func (s *Store) Deliveries(reportID string) ([]store.Delivery, error) {
	var out []store.Delivery
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = deliveries(ctx, tx, `SELECT `+deliveryCols+` FROM govbot_outbox
			WHERE $1 = '' OR report_id = $1 ORDER BY report_id, chat_id`, reportID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list deliveries: %w", err)
	}
	return out, nil
}

// SentSince returns the entries sent at or after t (to the microsecond),
// oldest first.
func (s *Store) SentSince(t time.Time) ([]store.Delivery, error) {
	var out []store.Delivery
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = deliveries(ctx, tx, `SELECT `+deliveryCols+` FROM govbot_outbox
			WHERE state = 'sent' AND sent_at >= $1 ORDER BY sent_at`, stamp(t))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: recent deliveries: %w", err)
	}
	return out, nil
}
