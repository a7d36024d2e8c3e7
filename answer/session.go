package answer

import (
	"regexp"
	"strings"
	"sync"

	"github.com/govbot/govbot/index"
)

// Session is one conversation: a chat, or the questions of one `govbot ask -`
// stream. It remembers what the conversation is about, so that a follow-up
// can leave it out: the report of the previous answer ("这份报告的发布机构是
// 谁"), the place ("咱们县", "那湖南呢？" keeps the topic and changes the
// place), the year, period and topic ("那2024年呢？", "那目标是多少").
// A Session is safe for concurrent use; the zero value is ready.
type Session struct {
	mu     sync.Mutex
	report string // ID of the report the last answer came from
	place  string // issuer the conversation is about
	last   *question
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

// Place returns the issuer whose place the conversation is about, "" when
// none.
func (s *Session) Place() string {
	if s == nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.place
}

// previous returns the last question the conversation answered, nil for none.
func (s *Session) previous() *question {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// remember records what an answer was about: its report, its place, and
// the question (as understood, follow-up merged), for the next follow-up.
func (s *Session) remember(a *Answer, q *question) {
	if s == nil || a == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if q != nil && q.meta == metaNone && (a.Answered || len(a.Answers) > 0) {
		s.last = q
	}
	if q != nil && len(q.issuers) == 1 {
		s.place = q.issuers[0]
	}
	if !a.Answered || len(a.Answers) == 0 {
		return
	}
	if len(a.Series) == 0 {
		s.place = a.Answers[0].Report.Issuer
		if id := a.Answers[0].Report.ID; id != "" {
			s.report = id
		}
	}
}

// deicticRe matches a question's reference to "this report" (这份报告,
// 该报告, 本报告, 上述报告, 这个文件 …).
var deicticRe = regexp.MustCompile(`(这份|这个|这篇|该|本|此|上述|上面的?|刚才的?)(报告|文件|材料)`)

// followOpen marks a message that continues the conversation: 那…, 那么…,
// 还有…; one that ends with 呢 may too (question.closesNe).
var followOpen = regexp.MustCompile(`^(那么|那|还有|另外|再问一下|再问下|然后)`)

// cueWords are the words of a follow-up that change what is asked of the
// same topic (那目标呢, 那增速呢) rather than name a new topic.
var cueWords = regexp.MustCompile(`目标|预期|计划|增速|增幅|涨幅|增长|下降|总量|规模|比重|占比|实际|完成|多少|是|的|了|呢|吗`)

// askWords are the words of a follow-up that only ask (那目标是多少呢).
var askWords = regexp.MustCompile(`多少|是|的|了|呢|吗`)

// hasTopic reports whether content has a word that can carry a topic.
func hasTopic(content string) bool {
	if strings.TrimSpace(content) == "" {
		return false
	}
	for _, w := range index.Words(content) {
		if w = strings.TrimSpace(w); w != "" && meaningful(w) {
			return true
		}
	}
	return false
}

// followUp merges a follow-up question with the conversation's last one.
// A message that opens as a follow-up (那…) or ends as one (…呢) and names
// no topic of its own keeps the last question's topic, and replaces only
// what it names: the place, the year, target or result, rate or amount.
// One that opens as a follow-up and names a topic keeps the last place and
// year when it names none. Anything else is a new question.
func followUp(q, last *question) *question {
	if last == nil || q.meta != metaNone || q.deictic {
		return q
	}
	open := followOpen.MatchString(q.norm)
	topicless := !hasTopic(blank(q.content, cueWords))
	switch {
	case topicless && (open || q.closesNe):
		m := *last
		m.raw, m.norm = q.raw, q.norm
		if len(q.issuers) > 0 || q.unknownPlace != "" || q.place != "" {
			m.issuers, m.unknownPlace, m.place, m.placeFrom, m.placeChoices = q.issuers, q.unknownPlace, q.place, "", nil
		}
		if len(q.years) > 0 || q.hasRelative || q.reportYear > 0 {
			m.years, m.relative, m.hasRelative, m.reportYear = q.years, q.relative, q.hasRelative, q.reportYear
			m.compare = q.compare || len(q.years) > 1
		}
		if q.target {
			m.target = true
		}
		if q.percent && !m.percent {
			m.percent, m.unit, m.wantsNumber = true, "%", true
		}
		if q.wantsNumber {
			m.wantsNumber = true
		}
		if c := strings.TrimSpace(blank(q.content, askWords)); c != "" && !strings.Contains(m.content, c) {
			// 那增速呢: the same topic's growth.
			m.content = strings.TrimSpace(m.content + " " + c)
		}
		return &m
	case open && !topicless:
		m := *q
		if len(q.issuers) == 0 && q.unknownPlace == "" && q.place == "" {
			m.issuers = last.issuers
		}
		if len(q.years) == 0 && !q.hasRelative && q.reportYear == 0 {
			m.years, m.relative, m.hasRelative, m.reportYear = last.years, last.relative, last.hasRelative, last.reportYear
		}
		return &m
	}
	return q
}
