package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"
)

func init() {
	register(&command{Name: "reports", Summary: "list the indexed reports (title, issuer, date, paragraphs, figures)", Run: runReports})
}

func runReports(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("reports", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", "", "data directory with the index (env GOVBOT_DATA)")
	issuer := fs.String("issuer", "", "only reports of this issuer or place and the places inside it, by name or short name (湖北, 内蒙古, 全国, 罗湖, 深圳罗湖区)")
	year := fs.Int("year", 0, "only reports published (delivered) in this year; a work report of year Y reviews Y-1")
	asJSON := fs.Bool("json", false, "print JSON")
	corpusF := corpusFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	eng, err := openDataEngine(ctx, e, *corpusF, *data)
	if err != nil {
		return err
	}
	defer eng.Close()
	list := eng.ReportsOf(*issuer, *year)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	rows := [][]string{{"DATE", "PARAGRAPHS", "FIGURES", "ISSUER", "TITLE"}}
	for _, r := range list {
		date := ""
		switch {
		case !r.Published.IsZero():
			date = r.Published.Format("2006-01-02")
		case r.Year > 0:
			date = fmt.Sprint(r.Year)
		}
		rows = append(rows, []string{date, fmt.Sprint(r.Paragraphs), fmt.Sprint(r.Figures), r.Issuer, r.Title})
	}
	if err := writeTable(e.stdout, rows); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d report(s)\n", len(list))
	return nil
}

// writeTable writes rows as columns padded to their widest cell, measured
// as a terminal shows them: text/tabwriter counts a Chinese character as one
// column, but terminals draw it two columns wide, so its tables of issuers
// and titles come out ragged.
func writeTable(w io.Writer, rows [][]string) error {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// displayWidth is the number of terminal columns s takes: two for East
// Asian wide and full-width characters, one for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
