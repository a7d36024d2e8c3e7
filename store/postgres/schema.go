package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// migrations create and then change govbot's tables, in order; the
// number applied is kept in govbot_meta. Append to the list, never edit an
// entry that was released: a database that applied it will not again.
//
// Text keys are COLLATE "C" so that they sort by bytes, as the bbolt
// store's keys do (report IDs, links).
var migrations = []string{
	// 1: the tables of the bbolt store's buckets.
	`CREATE TABLE govbot_subscriptions (
		chat_id bigint PRIMARY KEY,
		data    jsonb  NOT NULL
	);
	CREATE TABLE govbot_reports (
		id   text COLLATE "C" PRIMARY KEY,
		data jsonb NOT NULL
	);
	-- The secondary keys a report is recognised by: kind is hash,
	-- index_number or url. A key names the report that last claimed it.
	CREATE TABLE govbot_report_keys (
		kind      text NOT NULL,
		key       text NOT NULL,
		report_id text COLLATE "C" NOT NULL,
		PRIMARY KEY (kind, key)
	);
	CREATE TABLE govbot_outbox (
		report_id    text COLLATE "C" NOT NULL REFERENCES govbot_reports (id),
		chat_id      bigint NOT NULL,
		state        text   NOT NULL,
		attempts     integer NOT NULL DEFAULT 0,
		next_attempt timestamptz,
		last_error   text   NOT NULL DEFAULT '',
		token        text   NOT NULL DEFAULT '',
		message_id   bigint NOT NULL DEFAULT 0,
		created      timestamptz NOT NULL,
		updated      timestamptz NOT NULL,
		sent_at      timestamptz,
		PRIMARY KEY (report_id, chat_id)
	);
	CREATE INDEX govbot_outbox_due ON govbot_outbox (next_attempt) WHERE state = 'pending';
	CREATE INDEX govbot_outbox_chat ON govbot_outbox (chat_id) WHERE state = 'pending';
	CREATE INDEX govbot_outbox_sent ON govbot_outbox (sent_at) WHERE state = 'sent';
	CREATE TABLE govbot_admins (user_id bigint PRIMARY KEY);
	CREATE TABLE govbot_errors (
		seq     bigserial PRIMARY KEY,
		at      timestamptz NOT NULL,
		"where" text NOT NULL,
		message text NOT NULL
	);
	CREATE TABLE govbot_poll (
		source text PRIMARY KEY,
		data   jsonb NOT NULL
	);
	CREATE TABLE govbot_poll_seen (
		source    text NOT NULL,
		link      text COLLATE "C" NOT NULL,
		report_id text NOT NULL,
		PRIMARY KEY (source, link)
	);
	CREATE TABLE govbot_feedback (
		id   bigserial PRIMARY KEY,
		data jsonb NOT NULL
	);
	CREATE TABLE govbot_updates_pending (
		id       bigint PRIMARY KEY,
		raw      bytea  NOT NULL,
		received timestamptz NOT NULL,
		sending  boolean NOT NULL DEFAULT false
	);
	-- done_at is Unix seconds, as the bbolt store keeps it.
	CREATE TABLE govbot_updates_done (
		id      bigint PRIMARY KEY,
		done_at bigint NOT NULL
	);`,
}

// migrateLock is the advisory lock key that makes concurrent Opens
// migrate one at a time ("govbot" in ASCII).
const migrateLock = 0x676f76626f74

// migrate brings the schema to the last migration, in one transaction
// under a transaction-scoped advisory lock, so that replicas starting
// together do not race.
func migrate(ctx context.Context, db *sql.DB) error {
	return inTx(ctx, db, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
			return fmt.Errorf("lock schema: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS govbot_meta (key text PRIMARY KEY, value text NOT NULL)`); err != nil {
			return fmt.Errorf("create govbot_meta: %w", err)
		}
		applied := 0
		err := tx.QueryRowContext(ctx, `SELECT value::int FROM govbot_meta WHERE key = 'schema_version'`).Scan(&applied)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read schema version: %w", err)
		}
		if applied > len(migrations) {
			return fmt.Errorf("schema version %d is newer than this govbot knows (%d)", applied, len(migrations))
		}
		for i := applied; i < len(migrations); i++ {
			if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
				return fmt.Errorf("migration %d: %w", i+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO govbot_meta (key, value) VALUES ('schema_version', $1)
			ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, fmt.Sprint(len(migrations))); err != nil {
			return fmt.Errorf("record schema version: %w", err)
		}
		return nil
	})
}
