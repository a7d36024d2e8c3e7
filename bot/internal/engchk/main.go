package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/govbot/govbot/answer"
)

func main() {
	t := time.Now()
	e, err := answer.OpenDefault()
	fmt.Println("open", time.Since(t), err)
	if err != nil {
		return
	}
	for _, q := range []string{"房县去年一共办了多少件行政复议案件?", "火星基地今年建了几座?", "房县法治政府建设有哪些举措?"} {
		t = time.Now()
		a, err := e.Ask(context.Background(), q)
		b, _ := json.MarshalIndent(a, "", " ")
		fmt.Println(time.Since(t), err, string(b)[:min(len(b), 1500)])
	}
	fmt.Println(len(e.Reports()))
}
