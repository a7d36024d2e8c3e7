package store

import "time"

// The interfaces below are what govbot asks of its durable state, split by
// concern so that a consumer can ask for just its part (the announcer an
// Outbox and Subscriptions, the ingester a ReportCatalog). *Store, the
// embedded bbolt file, implements all of them and is the default; a shared
// implementation (PostgreSQL, for several replicas: see docs/scaling.md)
// implements Backend with the same guarantees: every method atomic and
// durable when it returns, Due/BeginSend safe to call from several
// processes (one of them wins a delivery).

// Subscriptions are the chats subscribed to announcements.
type Subscriptions interface {
	// Subscribe adds or replaces sub; created is false when it replaced.
	Subscribe(sub Subscription) (created bool, err error)
	// Unsubscribe removes chatID's subscription and cancels its
	// deliveries.
	Unsubscribe(chatID int64) (removed bool, err error)
	// Subscription returns chatID's subscription or ErrNotFound.
	Subscription(chatID int64) (Subscription, error)
	// Subscriptions returns every subscription.
	Subscriptions() ([]Subscription, error)
}

// Outbox is the announcement outbox: one delivery per report and chat,
// sent at most once.
type Outbox interface {
	Enqueue(reportID string, chatIDs ...int64) (int, error)
	Requeue(reportID string, chatIDs ...int64) (int, error)
	Due(now time.Time, limit int) ([]Delivery, error)
	NextDue() (at time.Time, ok bool, err error)
	BeginSend(reportID string, chatID int64) (Delivery, error)
	MarkSent(d Delivery, messageID int) error
	MarkRetry(d Delivery, at time.Time, cause error) error
	MarkFailed(d Delivery, cause error) error
	RecoverInflight(resend bool) ([]Delivery, error)
	Deliveries(reportID string) ([]Delivery, error)
	SentSince(t time.Time) ([]Delivery, error)
}

// ReportCatalog records the reports ingested and announced.
type ReportCatalog interface {
	FindReport(hash, indexNumber, url, id string) (ReportRecord, Match, error)
	Report(id string) (ReportRecord, error)
	Reports() ([]ReportRecord, error)
	PutReport(rec ReportRecord) (ReportRecord, error)
	AnnounceReport(rec ReportRecord, matchFields ...string) (ReportRecord, int, error)
}

// Admin holds the admin user IDs and the recent errors.
type Admin interface {
	SetAdmins(userIDs ...int64) error
	IsAdmin(userID int64) bool
	LogError(where string, cause error) error
	Stats(n int) (Stats, error)
}

// SourceState is the poll state of watched sources.
type SourceState interface {
	PollState(source string) (PollState, error)
	SetPollState(source string, ps PollState) error
	Seen(source string, links ...string) (map[string]bool, error)
	MarkSeen(source string, links map[string]string) error
	SeenLinks(source string) ([]string, error)
}

// Backend is all of govbot's durable state.
type Backend interface {
	Subscriptions
	Outbox
	ReportCatalog
	Admin
	SourceState
	// Check verifies the state's invariants.
	Check() error
	// Close releases the state.
	Close() error
}

// The bbolt file is the default Backend.
var _ Backend = (*Store)(nil)
