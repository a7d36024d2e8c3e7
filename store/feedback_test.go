package store

import (
	"strings"
	"testing"
)

func TestFeedbackNewestFirstAndSurvivesReopen(t *testing.T) {
	s, path := openTemp(t)
	long := strings.Repeat("问", maxFeedbackText+50)
	in := []Feedback{
		{Helpful: true, Question: "湖北2025年GDP", Figure: "62661亿元", Answered: true, Report: "2026-hubei-gwr", Paragraph: "p12", ChatID: 5, UserID: 5},
		{Helpful: false, Question: long, ChatID: -100, UserID: 7},
	}
	for _, f := range in {
		if _, err := s.AddFeedback(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Feedbacks(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 2 || got[1].ID != 1 {
		t.Fatalf("feedback = %+v; want IDs 2, 1", got)
	}
	if got[1].Report != "2026-hubei-gwr" || got[1].Paragraph != "p12" || !got[1].Helpful || got[1].At.IsZero() {
		t.Errorf("first entry lost fields: %+v", got[1])
	}
	if n := len([]rune(got[0].Question)); n != maxFeedbackText {
		t.Errorf("long question kept %d runes, want %d", n, maxFeedbackText)
	}
	if one, _ := s.Feedbacks(1); len(one) != 1 || one[0].ID != 2 {
		t.Errorf("Feedbacks(1) = %+v", one)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}
