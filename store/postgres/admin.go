package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lib/pq"

	"github.com/govbot/govbot/store"
)

// maxErrors is how many entries the error log keeps, as the bbolt store.
const maxErrors = 50

// SetAdmins replaces the set of admin user IDs.
func (s *Store) SetAdmins(userIDs ...int64) error {
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM govbot_admins`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO govbot_admins (user_id) SELECT DISTINCT unnest($1::bigint[])`, pq.Array(userIDs))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set admins: %w", err)
	}
	return nil
}

// IsAdmin reports whether userID is an admin; false when the database
// cannot be asked.
func (s *Store) IsAdmin(userID int64) bool {
	ok := false
	_ = s.tx(func(ctx context.Context, tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM govbot_admins WHERE user_id = $1)`, userID).Scan(&ok)
	})
	return ok
}

// LogError appends an error to the log kept for /stats, dropping the
// oldest beyond the last 50.
func (s *Store) LogError(where string, cause error) error {
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO govbot_errors (at, "where", message) VALUES ($1, $2, $3)`, s.clock(), where, errString(cause)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM govbot_errors WHERE seq <= (SELECT seq FROM govbot_errors ORDER BY seq DESC OFFSET $1 LIMIT 1)`, maxErrors)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: log error: %w", err)
	}
	return nil
}

// Stats returns counts and the last n logged errors, newest first.
func (s *Store) Stats(n int) (store.Stats, error) {
	st := store.Stats{Deliveries: map[store.State]int{}}
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM govbot_reports), (SELECT count(*) FROM govbot_subscriptions)`).Scan(&st.Reports, &st.Subscribers); err != nil {
			return err
		}
		type stateCount struct {
			state store.State
			count int
		}
		counts, err := collect(ctx, tx, func(rows *sql.Rows) (stateCount, error) {
			var c stateCount
			err := rows.Scan(&c.state, &c.count)
			return c, err
		}, `SELECT state, count(*) FROM govbot_outbox GROUP BY state`)
		if err != nil {
			return err
		}
		for _, c := range counts {
			st.Deliveries[c.state] = c.count
		}
		st.LastErrors, err = collect(ctx, tx, func(rows *sql.Rows) (store.ErrorEntry, error) {
			var e store.ErrorEntry
			err := rows.Scan(&e.At, &e.Where, &e.Message)
			e.At = e.At.UTC()
			return e, err
		}, `SELECT at, "where", message FROM govbot_errors ORDER BY seq DESC LIMIT $1`, max(n, 0))
		return err
	})
	if err != nil {
		return store.Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	if len(st.LastErrors) == 0 {
		st.LastErrors = nil
	}
	return st, nil
}

// PollState returns the state of source; a zero state if it was never
// polled.
func (s *Store) PollState(source string) (store.PollState, error) {
	var ps store.PollState
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		err := getJSON(ctx, tx, &ps, `SELECT data FROM govbot_poll WHERE source = $1`, source)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return store.PollState{}, fmt.Errorf("store: poll state of %q: %w", source, err)
	}
	return ps, nil
}

// SetPollState records the state of source.
func (s *Store) SetPollState(source string, ps store.PollState) error {
	data, err := json.Marshal(ps)
	if err == nil {
		err = s.tx(func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO govbot_poll (source, data) VALUES ($1, $2)
				ON CONFLICT (source) DO UPDATE SET data = EXCLUDED.data`, source, data)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("store: set poll state of %q: %w", source, err)
	}
	return nil
}

// Seen reports which of links the watcher already handled for source.
func (s *Store) Seen(source string, links ...string) (map[string]bool, error) {
	seen := map[string]bool{}
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		found, err := collect(ctx, tx, scanOne[string], `SELECT link FROM govbot_poll_seen WHERE source = $1 AND link = ANY($2)`, source, pq.Array(links))
		for _, l := range found {
			seen[l] = true
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: seen links of %q: %w", source, err)
	}
	return seen, nil
}

// MarkSeen records links as handled for source, with the report ID each
// became ("" for a link that was not a report).
func (s *Store) MarkSeen(source string, links map[string]string) error {
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		for l, id := range links {
			if _, err := tx.ExecContext(ctx, `INSERT INTO govbot_poll_seen (source, link, report_id) VALUES ($1, $2, $3)
				ON CONFLICT (source, link) DO UPDATE SET report_id = EXCLUDED.report_id`, source, l, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: mark links seen for %q: %w", source, err)
	}
	return nil
}

// SeenLinks returns every link recorded for source, sorted.
func (s *Store) SeenLinks(source string) ([]string, error) {
	var out []string
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = collect(ctx, tx, scanOne[string], `SELECT link FROM govbot_poll_seen WHERE source = $1 ORDER BY link`, source)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: seen links of %q: %w", source, err)
	}
	if len(out) == 0 {
		out = nil
	}
	return out, nil
}

// AddFeedback records f with a new ID and the current time, and returns it.
func (s *Store) AddFeedback(f store.Feedback) (store.Feedback, error) {
	f = f.Stamped(s.clock())
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT nextval(pg_get_serial_sequence('govbot_feedback', 'id'))`).Scan(&id); err != nil {
			return err
		}
		f.ID = uint64(id)
		data, err := json.Marshal(f)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO govbot_feedback (id, data) VALUES ($1, $2)`, id, data)
		return err
	})
	if err != nil {
		return store.Feedback{}, fmt.Errorf("store: add feedback: %w", err)
	}
	return f, nil
}

// Feedbacks returns the feedback entries newest first, at most limit of
// them (all when limit <= 0).
func (s *Store) Feedbacks(limit int) ([]store.Feedback, error) {
	var out []store.Feedback
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = listJSON[store.Feedback](ctx, tx, `SELECT data FROM govbot_feedback ORDER BY id DESC LIMIT $1`, limitOrAll(limit))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: feedback: %w", err)
	}
	return out, nil
}

// limitOrAll is a LIMIT argument: NULL (no limit) for limit <= 0.
func limitOrAll(limit int) *int {
	if limit <= 0 {
		return nil
	}
	return &limit
}
