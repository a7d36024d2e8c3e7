package corpus

import (
	"fmt"
	"math/rand"
	"os"
	"testing"
	"time"

	"github.com/govbot/govbot/corpus/sample"
)

func TestZZStress(t *testing.T) {
	if os.Getenv("STRESS") == "" {
		t.Skip()
	}
	figureExtractor = nil
	rng := rand.New(rand.NewSource(1))
	seeds := [][]byte{sample.Fangxian[:1200], []byte("各位代表：\n一、回顾\n（一）经济。增长。\n1.就业。就业。\n")}
	deadline := time.Now().Add(20 * time.Second)
	n := 0
	for time.Now().Before(deadline) {
		d := append([]byte(nil), seeds[rng.Intn(len(seeds))]...)
		for k := rng.Intn(8); k >= 0; k-- {
			switch rng.Intn(4) {
			case 0:
				if len(d) > 0 {
					i := rng.Intn(len(d))
					d[i] = byte(rng.Intn(256))
				}
			case 1:
				if len(d) > 1 {
					i := rng.Intn(len(d))
					j := i + rng.Intn(len(d)-i)
					d = append(d[:i], d[j:]...)
				}
			case 2:
				i := rng.Intn(len(d) + 1)
				ins := []byte([]string{"\n", "---\n", "（", "一、", "1.", "。", "：", "\r", "文号\n", "2024年3月5日在第十四届全国人民代表大会"}[rng.Intn(10)])
				d = append(d[:i], append(ins, d[i:]...)...)
			case 3:
				d = append(d, d...)
			}
		}
		done := make(chan struct{})
		go func() { Parse("x.txt", d, Meta{}); close(done) }()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			os.WriteFile("/tmp/hang.bin", d, 0o644)
			t.Fatalf("hang on %q", d)
		}
		n++
	}
	fmt.Println("ran", n)
}
