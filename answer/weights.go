package answer

// The engine's weights and bonuses, in one place. A candidate's score is a
// sum: its coverages of the question's words (each times its weight), its
// BM25 score against the best hit, the prior of its report, how well its
// year fits the year asked, and the rules below that fire for it. `govbot
// ask --explain` prints which fired for the best candidates and why the
// answer won.

// First stage: the paragraphs found are ranked on what is cheap to know.
const (
	rankCovPara = 0.8 // the paragraph's (and its section's) coverage
	rankBM25    = 0.4 // its BM25 score over the best hit's
	// rankCanAnswer lifts a paragraph that choose could take as relevant.
	rankCanAnswer = 1.0
)

// A sentence's base score, shared by its passage and figure candidates.
const (
	baseCovSent = 1.0 // the sentence's coverage
	baseCovPara = 0.8 // the paragraph's
	baseCovNear = 0.4 // the sentence's with its section headings
	baseBM25    = 0.4
)

// Passage candidates (questions that ask no number).
const (
	passageCovSent = 0.6 // the sentence's coverage again: a passage is a sentence
	passageBigram  = 0.5 // the question's wording, two characters at a time
	// targetFigurePerFigure and targetFigureMax: "预期目标" is answered by
	// the sentence that lists the numbers, not by the comment on them.
	targetFigurePerFigure = 0.1
	targetFigureMax       = 0.6
	headingPenalty        = 0.3 // the heading is already cited as the section
	leadInPenalty         = 0.8 // "重点做好以下工作：" announces without giving
	// noFigurePenalty: a sentence without a number, to a number question.
	noFigurePenalty = 1.0
)

// Figure candidates (questions that ask a number).
const (
	figCovSubject = 2.0 // the figure's subject's coverage
	figCovClause  = 1.5 // its clause's (with the subject)
	figPrecision  = 1.0 // how little else the subject says
	figBigram     = 1.0 // the question's wording in clause and subject

	aggregatePenalty = 0.6 // 年均/累计 figures, to a question on one year
	perHeadPenalty   = 0.8 // per head, to a question on the total
	// modifiedPenalty: the key word qualified otherwise (海洋生产总值).
	modifiedPenalty  = 0.8
	ratePenalty      = 1.5 // a rate, to a question asking an amount
	milestonePenalty = 0.6 // "迈上6万亿元台阶": the threshold, not the value
	fromValuePenalty = 0.8 // "从4.16万亿元增加到…": the old value
	changePenalty    = 1.0 // "比上年增加505万吨": a change, to a level asked
	unitBonus        = 1.0 // the unit asked
	unitPenalty      = 1.5 // another unit than asked
	// countedBonus: the figure followed by the noun a count question counts.
	countedBonus = 1.0
)

// The prior of a report, from the question's scope.
const (
	priorNewest = 0.3 // no year asked: the newest report of its issuer
	// priorAgePerYear and priorAgeMax: no year asked, older reports fade.
	priorAgePerYear = 0.1
	priorAgeMax     = 1.0
	priorPreferred  = 0.4 // the report that reviews (or plans) the year asked
	// priorNational: a question naming no place, among many issuers, is
	// most often about the country.
	priorNational = 1.0
)
