package store

import "time"

// The interfaces below are what govbot asks of its durable state, split by
// concern so that a consumer can ask for just its part (the announcer an
// Outbox and Subscriptions, the ingester a ReportCatalog). *Store, the
// embedded bbolt file, implements all of them and is the default; a shared
// implementation (package store/postgres, for several replicas: see
// docs/scaling.md) implements Backend with the same guarantees: every method atomic and
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
// sent at most once. The methods are those of *Store, which documents them.
type Outbox interface {
	// Enqueue queues a report for the chats that have no entry for it.
	Enqueue(reportID string, chatIDs ...int64) (int, error)
	// Requeue queues a report again for chats it was sent to.
	Requeue(reportID string, chatIDs ...int64) (int, error)
	// Due lists pending entries due at now, earliest first.
	Due(now time.Time, limit int) ([]Delivery, error)
	// NextDue says when the earliest pending entry is due.
	NextDue() (at time.Time, ok bool, err error)
	// BeginSend claims a pending entry for one send attempt; a second
	// claim, from this process or another, fails with ErrStale.
	BeginSend(reportID string, chatID int64) (Delivery, error)
	// MarkSent, MarkRetry and MarkFailed end the attempt BeginSend began.
	MarkSent(d Delivery, messageID int) error
	MarkRetry(d Delivery, at time.Time, cause error) error
	MarkFailed(d Delivery, cause error) error
	// RecoverInflight resolves the attempts a crash left in flight.
	RecoverInflight(resend bool) ([]Delivery, error)
	// Deliveries lists a report's entries ("" for all).
	Deliveries(reportID string) ([]Delivery, error)
	// SentSince lists the entries sent since t, oldest first.
	SentSince(t time.Time) ([]Delivery, error)
}

// ReportCatalog records the reports ingested and announced.
type ReportCatalog interface {
	// FindReport recognises a report by text hash, 索引号, URL or ID.
	FindReport(hash, indexNumber, url, id string) (ReportRecord, Match, error)
	// Report returns one record or ErrNotFound.
	Report(id string) (ReportRecord, error)
	// Reports lists the records, most recently updated first (SortReports).
	Reports() ([]ReportRecord, error)
	// PutReport records a report, counting its revisions.
	PutReport(rec ReportRecord) (ReportRecord, error)
	// AnnounceReport records a report and queues its announcements once.
	AnnounceReport(rec ReportRecord, matchFields ...string) (ReportRecord, int, error)
}

// Admin holds the admin user IDs and the recent errors.
type Admin interface {
	// SetAdmins replaces the admin user IDs.
	SetAdmins(userIDs ...int64) error
	// IsAdmin reports whether userID is an admin (false on error).
	IsAdmin(userID int64) bool
	// LogError keeps an error for /stats (the last 50).
	LogError(where string, cause error) error
	// Stats counts records and returns the last n errors.
	Stats(n int) (Stats, error)
}

// SourceState is the poll state of watched sources.
type SourceState interface {
	// PollState returns a source's validators and last poll.
	PollState(source string) (PollState, error)
	// SetPollState records them.
	SetPollState(source string, ps PollState) error
	// Seen reports which links a source already handled.
	Seen(source string, links ...string) (map[string]bool, error)
	// MarkSeen records links as handled, with the report each became.
	MarkSeen(source string, links map[string]string) error
	// SeenLinks lists a source's handled links, sorted.
	SeenLinks(source string) ([]string, error)
}

// FeedbackLog keeps the readers' verdicts on answers.
type FeedbackLog interface {
	// AddFeedback records an entry with a new, increasing ID.
	AddFeedback(f Feedback) (Feedback, error)
	// Feedbacks lists entries newest first (all when limit <= 0).
	Feedbacks(limit int) ([]Feedback, error)
}

// UpdateJournal keeps received Telegram updates until they are answered.
type UpdateJournal interface {
	// ReceiveUpdates records updates and returns those not seen before.
	ReceiveUpdates(ups []PendingUpdate) ([]PendingUpdate, error)
	// MarkUpdateSending records that an update's reply is going out.
	MarkUpdateSending(id int64) error
	// FinishUpdate forgets an answered update (remembering its ID a day).
	FinishUpdate(id int64) error
	// PendingUpdates lists the updates not answered yet, oldest first.
	PendingUpdates() ([]PendingUpdate, error)
}

// Backend is all of govbot's durable state.
type Backend interface {
	Subscriptions
	Outbox
	ReportCatalog
	Admin
	SourceState
	FeedbackLog
	UpdateJournal
	// Check verifies the state's invariants.
	Check() error
	// Close releases the state.
	Close() error
}

// The bbolt file is the default Backend.
var _ Backend = (*Store)(nil)
