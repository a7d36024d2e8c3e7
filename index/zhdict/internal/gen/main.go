// Command gen writes the gse dictionary snapshot that package zhdict embeds:
// it loads gse's embedded simplified Chinese dictionary the way gse does
// (LoadDictEmbed("zh_s")) and encodes it with package snap.
//
// Usage (from index/zhdict, as go generate runs it):
//
//	go run ./internal/gen -o zh_s.snap
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/govbot/govbot/index/zhdict/internal/snap"
)

func main() {
	out := flag.String("o", "zh_s.snap", "output `file`")
	flag.Parse()
	data, err := snap.Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("gen: wrote %s (%d bytes)\n", *out, len(data))
}
