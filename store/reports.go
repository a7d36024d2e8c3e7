package store

import (
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ReportRecord is what the store remembers of an ingested report, to
// recognise it when it comes again and to announce it once.
type ReportRecord struct {
	// ID is the index's report ID.
	ID string `json:"id"`
	// TextHash is the hex SHA-256 of the report's paragraph texts (see
	// source.TextHash): the same text under other metadata has the same
	// TextHash. It is stored as "hash".
	TextHash string `json:"hash"`
	// IndexNumber is the disclosure index number (索引号), URL the source
	// link; either may be empty.
	IndexNumber string `json:"index_number,omitempty"`
	URL         string `json:"url,omitempty"`
	// Title and Issuer are kept for listings.
	Title  string `json:"title,omitempty"`
	Issuer string `json:"issuer,omitempty"`
	// Revision counts text changes: 1 for the first version.
	Revision int `json:"revision"`
	// MetaChanged, set by the caller of PutReport, counts a change of the
	// metadata alone (a corrected issuer or date) as a new revision.
	MetaChanged bool `json:"-"`
	// Added is when the first version was ingested, Updated the last change.
	Added   time.Time `json:"added"`
	Updated time.Time `json:"updated"`
	// Announced is when the report's announcements were queued; zero if
	// they were not (the report came before any subscriber cared, or was
	// ingested without announcing).
	Announced time.Time `json:"announced,omitempty"`
}

// Match says how FindReport recognised a report.
type Match string

// Ways a report is recognised, strongest first.
const (
	MatchNone        Match = ""
	MatchHash        Match = "same text"
	MatchIndexNumber Match = "same 索引号"
	MatchURL         Match = "same source URL"
	MatchID          Match = "same report ID"
)

// FindReport looks for a recorded report with the same text hash, then the
// same 索引号, then the same URL, then the same ID. Empty arguments are not
// looked up. It returns MatchNone and a zero record when nothing matches.
func (s *Store) FindReport(textHash, indexNumber, url, id string) (ReportRecord, Match, error) {
	var rec ReportRecord
	var m Match
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		rec, m, err = findReport(tx, textHash, indexNumber, url, id)
		return err
	})
	if err != nil {
		return ReportRecord{}, MatchNone, fmt.Errorf("store: find report: %w", err)
	}
	return rec, m, nil
}

func findReport(tx *bolt.Tx, textHash, indexNumber, url, id string) (ReportRecord, Match, error) {
	lookups := []struct {
		bucket []byte
		key    string
		m      Match
	}{{bByHash, textHash, MatchHash}, {bByIndexNo, indexNumber, MatchIndexNumber}, {bByURL, url, MatchURL}}
	for _, l := range lookups {
		if l.key == "" {
			continue
		}
		if rid := tx.Bucket(l.bucket).Get([]byte(l.key)); rid != nil {
			var rec ReportRecord
			ok, err := getJSON(tx.Bucket(bReports), rid, &rec)
			if err != nil {
				return rec, MatchNone, err
			}
			if ok {
				return rec, l.m, nil
			}
		}
	}
	if id != "" {
		var rec ReportRecord
		ok, err := getJSON(tx.Bucket(bReports), []byte(id), &rec)
		if err != nil || ok {
			return rec, MatchID, err
		}
	}
	return ReportRecord{}, MatchNone, nil
}

// Report returns the record of report id, or an error wrapping ErrNotFound.
func (s *Store) Report(id string) (ReportRecord, error) {
	var rec ReportRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bReports), []byte(id), &rec)
		if err == nil && !ok {
			err = ErrNotFound
		}
		return err
	})
	if err != nil {
		return ReportRecord{}, fmt.Errorf("store: report %q: %w", id, err)
	}
	return rec, nil
}

// Reports returns every recorded report, most recently updated first.
func (s *Store) Reports() ([]ReportRecord, error) {
	var out []ReportRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bReports).ForEach(func(k, _ []byte) error {
			var rec ReportRecord
			if _, err := getJSON(tx.Bucket(bReports), k, &rec); err != nil {
				return err
			}
			out = append(out, rec)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: list reports: %w", err)
	}
	SortReports(out)
	return out, nil
}

// SortReports orders recs as a Backend's Reports returns them: most
// recently updated first, then by ID. Each backend sorts with it.
func SortReports(recs []ReportRecord) {
	sort.Slice(recs, func(i, j int) bool {
		if !recs[i].Updated.Equal(recs[j].Updated) {
			return recs[i].Updated.After(recs[j].Updated)
		}
		return recs[i].ID < recs[j].ID
	})
}

// PutReport records rec, replacing the record with the same ID (see
// ReportRecord.Revise), and returns the record as stored.
func (s *Store) PutReport(rec ReportRecord) (ReportRecord, error) {
	err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		rec, err = putReport(tx, rec, s.now().UTC())
		return err
	})
	if err != nil {
		return ReportRecord{}, fmt.Errorf("store: record report %q: %w", rec.ID, err)
	}
	return rec, nil
}

func putReport(tx *bolt.Tx, rec ReportRecord, now time.Time) (ReportRecord, error) {
	if rec.ID == "" {
		return rec, fmt.Errorf("empty report ID")
	}
	b := tx.Bucket(bReports)
	var old ReportRecord
	had, err := getJSON(b, []byte(rec.ID), &old)
	if err != nil {
		return rec, err
	}
	var prev *ReportRecord
	if had {
		prev = &old
		// Drop the old secondary keys; those still true are put back below.
		for _, ix := range []struct {
			bucket []byte
			key    string
		}{{bByHash, old.TextHash}, {bByIndexNo, old.IndexNumber}, {bByURL, old.URL}} {
			if ix.key != "" && string(tx.Bucket(ix.bucket).Get([]byte(ix.key))) == rec.ID {
				if err := tx.Bucket(ix.bucket).Delete([]byte(ix.key)); err != nil {
					return rec, err
				}
			}
		}
	}
	rec = rec.Revise(prev, now)
	for _, ix := range []struct {
		bucket []byte
		key    string
	}{{bByHash, rec.TextHash}, {bByIndexNo, rec.IndexNumber}, {bByURL, rec.URL}} {
		if ix.key == "" {
			continue
		}
		if err := tx.Bucket(ix.bucket).Put([]byte(ix.key), []byte(rec.ID)); err != nil {
			return rec, err
		}
	}
	return rec, putJSON(b, []byte(rec.ID), rec)
}

// AnnounceReport records rec (as PutReport does) and, if the report was not
// announced before, queues one outbox entry for every subscribed chat whose
// filters match the given fields (see Subscription.Matches), in the same
// transaction: a crash leaves either the report recorded with all its
// entries queued, or neither. It returns the stored record and the number of
// entries queued (0 when the report had been announced already).
func (s *Store) AnnounceReport(rec ReportRecord, matchFields ...string) (ReportRecord, int, error) {
	queued := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		now := s.now().UTC()
		var err error
		if rec, err = putReport(tx, rec, now); err != nil {
			return err
		}
		if !rec.Announced.IsZero() {
			return nil
		}
		subs, err := loadSubs(tx)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			if !sub.Matches(matchFields...) {
				continue
			}
			added, err := enqueue(tx, rec.ID, sub.ChatID, now, false)
			if err != nil {
				return err
			}
			if added {
				queued++
			}
		}
		rec.Announced = now
		return putJSON(tx.Bucket(bReports), []byte(rec.ID), rec)
	})
	if err != nil {
		return ReportRecord{}, 0, fmt.Errorf("store: announce report %q: %w", rec.ID, err)
	}
	return rec, queued, nil
}
