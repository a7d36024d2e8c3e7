package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/govbot/govbot/answer"
)

func init() {
	register(&command{name: "reports", summary: "list the indexed reports (title, issuer, date, paragraphs, figures)", run: runReports})
}

func runReports(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("reports", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", "", "data directory with the index (env GOVBOT_DATA)")
	issuer := fs.String("issuer", "", "only reports of this issuer, by name or short name (湖北, 内蒙古, 全国, 房县)")
	year := fs.Int("year", 0, "only reports published (delivered) in this year; a work report of year Y reviews Y-1")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	eng, err := answer.Open(dataDir(e, *data))
	if err != nil {
		return err
	}
	defer eng.Close()
	var named []string
	if *issuer != "" {
		named = eng.IssuersNamed(*issuer)
	}
	var list []answer.ReportSummary
	for _, r := range eng.Reports() {
		if *issuer != "" && !slices.Contains(named, r.Issuer) && !strings.Contains(r.Issuer, *issuer) {
			continue
		}
		if *year != 0 && r.Year != *year {
			continue
		}
		list = append(list, r)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tISSUER\tTITLE\tPARAGRAPHS\tFIGURES")
	for _, r := range list {
		date := ""
		switch {
		case !r.Published.IsZero():
			date = r.Published.Format("2006-01-02")
		case r.Year > 0:
			date = fmt.Sprint(r.Year)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", date, r.Issuer, r.Title, r.Paragraphs, r.Figures)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d report(s)\n", len(list))
	return nil
}
