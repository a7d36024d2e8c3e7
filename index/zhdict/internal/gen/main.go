// Command gen writes the gse dictionary snapshot that package zhdict embeds:
// it loads gse's embedded simplified Chinese dictionary the way gse does
// (LoadDictEmbed("zh_s")) and encodes it with package snap.
//
// The file is zstd-compressed at klauspost/compress's best level, one
// goroutine, so that the same snapshot gives the same file.
//
// Usage (from index/zhdict, as go generate runs it):
//
//	go run ./internal/gen -o zh_s.snap.zst
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/klauspost/compress/zstd"

	"github.com/govbot/govbot/index/zhdict/internal/snap"
)

func main() {
	out := flag.String("o", "zh_s.snap.zst", "output `file`")
	flag.Parse()
	data, err := snap.Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(4<<20))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	data = enc.EncodeAll(data, nil)
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("gen: wrote %s (%d bytes)\n", *out, len(data))
}
