// Package zhtext holds the Chinese-text helpers that the corpus parser, the
// index, the answer engine and the bot share: punctuation classes, sentence
// and clause splitting, and width folding (full-width ASCII forms and the
// ideographic space to their half-width twins).
//
// A punctuation class is a set of runes written as a string, for
// strings.ContainsRune, ContainsAny, IndexAny and LastIndexAny; the order
// of its runes carries no meaning. Where reports also type a half-width
// twin of a full-width mark (，and ,), the class holds both. Classes are composed by
// concatenation (Commas + Semicolons), so that a caller that wants a set of
// its own still names what it holds.
package zhtext

// Punctuation classes.
const (
	// FullStop is the Chinese full stop "。". The ASCII '.' is not one:
	// it is the decimal point of "2.5%" and the mark of "1." numbering.
	FullStop = "。"

	// ExclamationMarks are the exclamation mark in both widths.
	ExclamationMarks = "！!"

	// QuestionMarks are the question mark in both widths.
	QuestionMarks = "？?"

	// SentenceEnders end a sentence: full stop, exclamation mark and
	// question mark.
	SentenceEnders = FullStop + ExclamationMarks + QuestionMarks

	// Commas are the comma in both widths; the enumeration comma "、"
	// is a class of its own (EnumerationComma).
	Commas = "，,"

	// Semicolons are the semicolon in both widths.
	Semicolons = "；;"

	// Colons are the colon in both widths.
	Colons = "：:"

	// EnumerationComma is the 顿号 "、", which separates the items of a
	// list rather than clauses.
	EnumerationComma = "、"

	// ClauseSeparators separate the clauses of a sentence: commas,
	// semicolons and colons.
	ClauseSeparators = Commas + Semicolons + Colons

	// ClauseBoundaries are where a clause ends: a clause separator or a
	// sentence ender.
	ClauseBoundaries = ClauseSeparators + SentenceEnders

	// Punctuation is the punctuation of running text: sentence enders,
	// clause separators and the enumeration comma. A short line with none
	// of it is a candidate heading or label.
	Punctuation = SentenceEnders + ClauseSeparators + EnumerationComma

	// SentenceClosers are the closing quotes and brackets that stay with
	// the sentence whose end mark they follow: "……。”" ends after "”".
	// Title marks and other brackets (》】〕) are not among them.
	SentenceClosers = "”’」』）)"

	// OpeningBrackets are the opening quotes, title marks and brackets.
	OpeningBrackets = "《“（(「『【〔‘"

	// ClosingBrackets are the closing quotes, title marks and brackets,
	// the twins of OpeningBrackets.
	ClosingBrackets = "》”）)」』】〕’"

	// QuoteMarks are the quotation and title marks that wrap a name
	// ("“放管服”改革", "《政府工作报告》") and carry no word of their own.
	QuoteMarks = "“”‘’\"'《》"

	// Dashes are the dashes and hyphens that join ranges and set off
	// subtitles: em dash, horizontal bar, hyphen-minus, full-width
	// hyphen-minus and en dash.
	Dashes = "—―-－–"
)

// IsSentenceEnder reports whether r ends a sentence (SentenceEnders).
func IsSentenceEnder(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?':
		return true
	}
	return false
}
