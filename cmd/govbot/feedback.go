package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/govbot/govbot/internal/cli"
)

func init() {
	register(&command{
		Name:    "feedback",
		Summary: "export the chat users' answer feedback (答案有误 / 有帮助) as CSV",
		Run:     runFeedback,
	})
}

// feedbackHeader is the CSV header of `govbot feedback`.
var feedbackHeader = []string{"id", "time", "verdict", "question", "figure", "answered", "report", "report_title", "paragraph", "chat_id", "user_id"}

func runFeedback(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("feedback", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", "", "data directory holding state.db (default $GOVBOT_DATA, else ~/.local/share/govbot)")
	stateSpec := storeFlag(fs)
	limit := fs.Int("n", 0, "export only the latest `N` entries (0: all)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: govbot feedback [--data DIR] [--store URL] [-n N] > feedback.csv\n\nWrites the feedback pressed under the bot's answers as CSV, newest first:\n"+
			"the verdict (wrong or helpful), the question, the figure answered, the report and\nparagraph shown, and the chat. Stop govbot serve first: the state file is locked while it runs.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := cli.ParseNoArgs(fs, args); err != nil {
		return err
	}
	st, _, err := openState(ctx, e, *stateSpec, dataDir(e, *data), "stop govbot serve first")
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.Feedbacks(*limit)
	if err != nil {
		return err
	}
	w := csv.NewWriter(e.stdout)
	if err := w.Write(feedbackHeader); err != nil {
		return err
	}
	for _, f := range list {
		verdict := "helpful"
		if !f.Helpful {
			verdict = "wrong"
		}
		rec := []string{strconv.FormatUint(f.ID, 10), f.At.Format(time.RFC3339), verdict, csvSafe(f.Question), csvSafe(f.Figure), strconv.FormatBool(f.Answered),
			f.Report, csvSafe(f.ReportTitle), f.Paragraph, strconv.FormatInt(f.ChatID, 10), strconv.FormatInt(f.UserID, 10)}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// csvSafe keeps a spreadsheet from reading user text as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
