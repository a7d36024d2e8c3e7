// Package sample embeds govbot's default corpus: the 2023 rule-of-law
// government report of 房县 (Fang County, Hubei), used when no index has been
// built yet so that a fresh checkout can answer questions.
package sample

import _ "embed"

// FileName is the name of the embedded report file.
const FileName = "2024-fangxian-fzzf.txt"

// Fangxian is the UTF-8 text of 2024-fangxian-fzzf.txt.
//
//go:embed 2024-fangxian-fzzf.txt
var Fangxian []byte

// URL is where the embedded report was published.
// URL is the source link of the embedded report; the disclosure page is not
// recorded in the manifest, so it is empty and replies cite index number instead.
const URL = ""
