package answer

import (
	"fmt"
	"unicode/utf8"
)

// MaxQuestionRunes is the longest question govbot analyses; longer input is
// refused (a question, not a document).
const MaxQuestionRunes = 500

// TooLongError is the refusal of a question over a length limit. Its
// message, the same in every medium (terminal, Telegram, web), gives the
// question's length and the limit.
type TooLongError struct {
	// Runes is the question's length in characters, Limit the most allowed.
	Runes, Limit int
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("问题太长了（%d 个字），请控制在 %d 个字以内。", e.Runes, e.Limit)
}

// CheckLength returns a *TooLongError when q is longer than limit
// characters (MaxQuestionRunes when limit <= 0), else nil. It is the one
// length check: the bot and the web pages call it before they ask, with
// their configured limit, and the engine with MaxQuestionRunes.
func CheckLength(q string, limit int) error {
	if limit <= 0 {
		limit = MaxQuestionRunes
	}
	if n := utf8.RuneCountInString(q); n > limit {
		return &TooLongError{Runes: n, Limit: limit}
	}
	return nil
}
