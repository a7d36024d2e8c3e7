package index

// IsStopWord reports whether w is one of the stop words the analyzer drops
// (function words and question words), after width folding.
func IsStopWord(w string) bool { return stopWords()[foldString(w)] }
