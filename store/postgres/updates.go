package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/govbot/govbot/store"
)

// The update journal as the bbolt store keeps it (store/updates.go):
// pending updates until answered, then their IDs for a day.
const (
	// doneKept is how many answered update IDs are remembered.
	doneKept = 4096
	// doneTTL is how long an answered update ID counts as seen.
	doneTTL = 24 * time.Hour
	// trimEvery: FinishUpdate forgets the oldest IDs beyond doneKept when
	// the finished ID is a multiple of it.
	trimEvery = 128
)

// ReceiveUpdates records the updates in one transaction and returns those
// not seen before: an update already pending or recently finished is one
// Telegram delivered again, and is left out.
func (s *Store) ReceiveUpdates(ups []store.PendingUpdate) ([]store.PendingUpdate, error) {
	var fresh []store.PendingUpdate
	now := s.clock()
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		fresh = fresh[:0]
		for _, u := range ups {
			var doneAt *int64
			err := tx.QueryRowContext(ctx, `SELECT done_at FROM govbot_updates_done WHERE id = $1`, u.ID).Scan(&doneAt)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if doneAt != nil && now.Sub(time.Unix(*doneAt, 0)) < doneTTL {
				continue
			}
			if u.Received.IsZero() {
				u.Received = now
			}
			u.Received = stamp(u.Received)
			res, err := tx.ExecContext(ctx, `INSERT INTO govbot_updates_pending (id, raw, received, sending) VALUES ($1, $2, $3, $4)
				ON CONFLICT (id) DO NOTHING`, u.ID, []byte(u.Raw), u.Received, u.Sending)
			if err != nil {
				return err
			}
			if added, err := affected(res); err != nil {
				return err
			} else if added {
				fresh = append(fresh, u)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: record updates: %w", err)
	}
	return fresh, nil
}

// MarkUpdateSending records that the reply to update id is being sent.
func (s *Store) MarkUpdateSending(id int64) error {
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE govbot_updates_pending SET sending = true WHERE id = $1`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: mark update %d sending: %w", id, err)
	}
	return nil
}

// FinishUpdate removes update id from the journal (it was answered) and
// remembers its ID.
func (s *Store) FinishUpdate(id int64) error {
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM govbot_updates_pending WHERE id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO govbot_updates_done (id, done_at) VALUES ($1, $2)
			ON CONFLICT (id) DO UPDATE SET done_at = EXCLUDED.done_at`, id, s.now().Unix()); err != nil {
			return err
		}
		if id%trimEvery != 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM govbot_updates_done WHERE id < (SELECT id FROM govbot_updates_done ORDER BY id DESC OFFSET $1 LIMIT 1)`, doneKept-1)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: finish update %d: %w", id, err)
	}
	return nil
}

// PendingUpdates returns the updates received and not finished, oldest
// first.
func (s *Store) PendingUpdates() ([]store.PendingUpdate, error) {
	var out []store.PendingUpdate
	err := s.tx(func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = collect(ctx, tx, func(rows *sql.Rows) (store.PendingUpdate, error) {
			var u store.PendingUpdate
			var raw []byte
			err := rows.Scan(&u.ID, &raw, &u.Received, &u.Sending)
			u.Raw, u.Received = raw, u.Received.UTC()
			return u, err
		}, `SELECT id, raw, received, sending FROM govbot_updates_pending ORDER BY id`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: pending updates: %w", err)
	}
	return out, nil
}
