package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// maxFeedbackText bounds the question and figure kept with a feedback entry.
const maxFeedbackText = 500

// Feedback is a reader's verdict on one answer (答案有误 or 有帮助), kept
// with what staff need to check it against the corpus.
type Feedback struct {
	// ID is assigned by AddFeedback, increasing with each entry.
	ID uint64    `json:"id"`
	At time.Time `json:"at"`
	// Helpful is true for 有帮助, false for 答案有误.
	Helpful bool `json:"helpful"`
	// Question is the question as asked; Figure the figure answered ("" for none).
	Question string `json:"question"`
	Figure   string `json:"figure,omitempty"`
	// Answered is false when the bot said the reports do not say.
	Answered bool `json:"answered"`
	// Report and Paragraph identify the passage the reader was shown;
	// ReportTitle names the report.
	Report      string `json:"report,omitempty"`
	ReportTitle string `json:"report_title,omitempty"`
	Paragraph   string `json:"paragraph,omitempty"`
	// ChatID is the chat the answer was in; UserID who pressed.
	ChatID int64 `json:"chat_id"`
	UserID int64 `json:"user_id"`
}

// Stamped returns f as a Backend records it: At set to at (UTC), the
// question and figure trimmed and clipped to 500 characters.
func (f Feedback) Stamped(at time.Time) Feedback {
	f.At = at.UTC()
	f.Question = clipText(f.Question, maxFeedbackText)
	f.Figure = clipText(f.Figure, maxFeedbackText)
	return f
}

// AddFeedback records f with a new ID and the current time, and returns it.
func (s *Store) AddFeedback(f Feedback) (Feedback, error) {
	f = f.Stamped(s.now())
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bFeedback)
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		f.ID = id
		return putJSON(b, seqKey(id), f)
	})
	if err != nil {
		return Feedback{}, fmt.Errorf("store: add feedback: %w", err)
	}
	return f, nil
}

// Feedbacks returns the feedback entries newest first, at most limit of
// them (all when limit <= 0).
func (s *Store) Feedbacks(limit int) ([]Feedback, error) {
	var out []Feedback
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bFeedback).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			if limit > 0 && len(out) == limit {
				break
			}
			var f Feedback
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("decode feedback %x: %w", k, err)
			}
			out = append(out, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: feedback: %w", err)
	}
	return out, nil
}

// seqKey is a sequence number as a key that sorts in numeric order.
func seqKey(id uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], id)
	return k[:]
}

// clipText keeps at most n runes of s.
func clipText(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
