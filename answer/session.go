package answer

import (
	"regexp"
	"sync"
)

// Session is one conversation: a chat, or the questions of one `govbot ask -`
// stream. It remembers which report the conversation is about, so that a
// follow-up such as "这份报告的发布机构是谁" refers to the report of the
// previous answers rather than to whichever of many reports is newest.
// A Session is safe for concurrent use; the zero value is ready.
type Session struct {
	mu     sync.Mutex
	report string // ID of the report the last answer came from
}

// Focus returns the ID of the report the conversation is about, "" when none.
func (s *Session) Focus() string {
	if s == nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.report
}

// remember records the report an answer came from.
func (s *Session) remember(a *Answer) {
	if s == nil || a == nil || !a.Answered || len(a.Answers) == 0 || len(a.Series) > 0 {
		return
	}
	id := a.Answers[0].Report.ID
	if id == "" {
		return
	}
	s.mu.Lock()
	s.report = id
	s.mu.Unlock()
}

// deicticRe matches a question's reference to "this report" (这份报告,
// 该报告, 本报告, 上述报告, 这个文件 …).
var deicticRe = regexp.MustCompile(`(这份|这个|这篇|该|本|此|上述|上面的?|刚才的?)(报告|文件|材料)`)
