package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/govbot/govbot/answer"
)

// The browser tests drive a real headless Chromium (Debian's package
// chromium; .ci/run installs it) through the DevTools protocol. Without a
// Chromium they skip, and under CI=true they fail.
//
// GOVBOT_WEB_SCREENSHOTS=DIR saves the pages' screenshots there (the
// ones in docs/img are made so).

// chromiumPath finds the browser: $GOVBOT_CHROMIUM, else chromium on PATH.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("GOVBOT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found (apt-get install chromium, or set GOVBOT_CHROMIUM)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI=true, so this is a failure")
	}
	t.Skip(msg + "; skipping")
	return ""
}

// browser starts a fresh headless Chromium for the test and returns a tab
// context, and the messages the page logged (CSP violations among them).
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	// A fresh profile, removed after the browser has exited: Chromium's
	// helper processes may still write to it for a moment after the main
	// one is gone, which t.TempDir's cleanup reports as a failure.
	profile, err := os.MkdirTemp("", "govbot-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(800, 760),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 5*time.Minute) // generous: the machine may be loaded
	t.Cleanup(func() {
		_ = chromedp.Cancel(ctx) // closes the browser and waits for it
		cancelTime()
		cancelTab()
		cancelAlloc()
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove the browser profile %s", profile)
	})

	var mu sync.Mutex
	var logged []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *log.EventEntryAdded:
			logged = append(logged, string(ev.Entry.Level)+": "+ev.Entry.Text)
		case *runtime.EventExceptionThrown:
			logged = append(logged, "exception: "+ev.ExceptionDetails.Text)
		}
	})
	if err := chromedp.Run(ctx, log.Enable()); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), logged...)
	}
}

// screenshot saves the viewport as name.png in $GOVBOT_WEB_SCREENSHOTS, if set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("GOVBOT_WEB_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&png)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// loaded waits until the page at a URL whose query contains want has
// loaded, so that nothing is read from the page before. It polls from Go:
// an evaluation that meets the navigation fails and is tried again.
func loaded(want string) chromedp.Action {
	expr := `location.search.includes(` + strconvQuote(want) + `) && document.readyState === "complete"`
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var ok bool
			if err := chromedp.Evaluate(expr, &ok).Do(ctx); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("page with %q in its URL: %w", want, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// strconvQuote quotes s as a JavaScript string.
func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestBrowser(t *testing.T) {
	srv := httptest.NewServer(newServer(t, Options{RateBurst: -1}))
	defer srv.Close()
	ctx, logged := browser(t)
	run := func(actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("figure and citation", func(t *testing.T) {
		q := "2024年全国城镇新增就业多少人"
		a := ask(t, q)
		if a.Figure == nil || len(a.Answers) == 0 {
			t.Fatalf("engine gives no figure for %s", q)
		}
		var err error
		var fig, cite, marked string
		run(
			chromedp.Navigate(srv.URL+"/"),
			chromedp.WaitVisible(`#q`, chromedp.ByID),
			chromedp.SendKeys(`#q`, q, chromedp.ByID),
			chromedp.Submit(`#q`, chromedp.ByID),
			loaded("q="),
			chromedp.WaitVisible(`.card h2.figure`),
			chromedp.Text(`.card h2.figure`, &fig),
			chromedp.Text(`.card p.cite`, &cite),
			chromedp.Text(`.card .excerpt mark.fig`, &marked),
		)
		if !strings.HasPrefix(strings.TrimSpace(fig), answer.FigureLine(a.Figure)) {
			t.Errorf("figure %q, want %q", fig, answer.FigureLine(a.Figure))
		}
		if !strings.Contains(cite, a.Answers[0].Report.Title) || !strings.Contains(cite, a.Answers[0].Citation()) {
			t.Errorf("citation %q, want %q", cite, a.Answers[0].Citation())
		}
		if marked != a.Figure.Text {
			t.Errorf("marked %q, want %q", marked, a.Figure.Text)
		}
		screenshot(t, ctx, "web-answer")

		// Following the citation opens the report at the paragraph.
		var where, target string
		run(
			chromedp.Click(`.card p.cite a.para`),
			chromedp.WaitVisible(`.text p:target`),
			chromedp.Evaluate(`location.pathname + location.hash`, &where),
			chromedp.Text(`.text p:target`, &target),
		)
		if want := reportLink(a.Answers[0].Report.ID, a.Answers[0].Paragraph); where != want {
			t.Errorf("citation opened %q, want %q", where, want)
		}
		before, mark, after := a.Answers[0].Marked()
		if !strings.Contains(target, mark) || !strings.Contains(target, strings.TrimSpace(before+mark+after)) {
			t.Errorf("target paragraph %q lacks the excerpt", target)
		}
		run(chromedp.Navigate(srv.URL+reportLink(a.Answers[0].Report.ID, "")), chromedp.WaitVisible(`dl.meta`))
		screenshot(t, ctx, "web-report")

		// A follow-up in the same browser is read with the conversation,
		// as the engine reads it in a chat.
		follow := "那2023年呢？"
		var conv answer.Session
		for _, q := range []string{q, follow} {
			if a, err = testEngine(t).AskIn(context.Background(), &conv, q); err != nil {
				t.Fatal(err)
			}
		}
		var history string
		run(
			chromedp.Navigate(srv.URL+"/"),
			chromedp.WaitVisible(`#q`, chromedp.ByID),
			chromedp.SendKeys(`#q`, follow, chromedp.ByID),
			chromedp.Submit(`#q`, chromedp.ByID),
			loaded("q="),
			chromedp.WaitVisible(`section.history`),
			chromedp.Text(`section.history`, &history),
		)
		if !strings.Contains(history, q) {
			t.Errorf("conversation %q lacks the first question", history)
		}
		if a.Figure != nil {
			run(chromedp.Text(`.card h2.figure`, &fig))
			if !strings.HasPrefix(strings.TrimSpace(fig), answer.FigureLine(a.Figure)) {
				t.Errorf("follow-up figure %q, want %q (the engine's in a conversation)", fig, answer.FigureLine(a.Figure))
			}
		}
	})

	t.Run("comparison", func(t *testing.T) {
		q := "湖北2024年和2025年地区生产总值对比"
		a := ask(t, q)
		var bars, rows, labels int
		var label, csvHref string
		run(
			chromedp.Navigate(srv.URL+"/?q="+url.QueryEscape(q)),
			chromedp.WaitVisible(`figure.chart svg`),
			chromedp.Evaluate(`document.querySelectorAll('figure.chart svg rect.bar').length`, &bars),
			chromedp.Evaluate(`document.querySelectorAll('table.series tbody tr').length`, &rows),
			chromedp.Evaluate(`document.querySelectorAll('figure.chart svg text.label').length`, &labels),
			chromedp.Evaluate(`document.querySelector('figure.chart svg text.label').textContent`, &label),
			chromedp.AttributeValue(`a.csv`, "href", &csvHref, nil),
		)
		if len(a.Series) < 2 || bars != len(a.Series) || rows != len(a.Series) || labels != len(a.Series) {
			t.Errorf("%d series points: %d bars, %d rows, %d labels", len(a.Series), bars, rows, labels)
		}
		if want := answer.SeriesRows(a)[0].Label; label != want {
			t.Errorf("first bar label %q, want %q", label, want)
		}
		if !strings.HasPrefix(csvHref, "/csv?q=") {
			t.Errorf("CSV link %q", csvHref)
		}
		// The bars' drawn heights follow the values.
		var h0, h1 float64
		run(
			chromedp.Evaluate(`document.querySelectorAll('figure.chart svg rect.bar')[0].getBBox().height`, &h0),
			chromedp.Evaluate(`document.querySelectorAll('figure.chart svg rect.bar')[1].getBBox().height`, &h1),
		)
		if v0, v1 := a.Series[0].Figure.Value, a.Series[1].Figure.Value; (v0 < v1) != (h0 < h1) {
			t.Errorf("bar heights %.1f, %.1f for values %g, %g", h0, h1, v0, v1)
		}
		screenshot(t, ctx, "web-compare")
	})

	t.Run("filter reports", func(t *testing.T) {
		var issuers []string
		var loc string
		run(
			chromedp.Navigate(srv.URL+"/reports"),
			chromedp.WaitVisible(`table.reports`),
			chromedp.SendKeys(`input[name=issuer]`, "湖北"),
			chromedp.Submit(`input[name=issuer]`),
			loaded("issuer=%E6%B9%96%E5%8C%97"),
			chromedp.WaitVisible(`table.reports`),
			chromedp.Location(&loc),
			chromedp.Evaluate(`[...document.querySelectorAll('table.reports tbody tr td:nth-child(2)')].map(td => td.textContent)`, &issuers),
		)
		// 湖北 lists the province's reports and those of places within it
		// (房县).
		want := testEngine(t).ReportsOf("湖北", 0)
		if !strings.Contains(loc, "issuer=") || len(issuers) != len(want) || len(want) != 3 {
			t.Fatalf("at %s: issuers %q, want %d reports", loc, issuers, len(want))
		}
		for _, is := range issuers {
			if is != "湖北省人民政府" && is != "房县人民政府" {
				t.Errorf("issuer %q in the filtered list", is)
			}
		}
		var years []string
		run(
			chromedp.Navigate(srv.URL+"/reports"),
			chromedp.WaitVisible(`table.reports`),
			chromedp.SetValue(`select[name=year]`, "2024"),
			chromedp.Submit(`select[name=year]`),
			loaded("year=2024"),
			chromedp.Evaluate(`[...document.querySelectorAll('table.reports tbody tr td:first-child')].map(td => td.textContent)`, &years),
		)
		if len(years) != len(testEngine(t).ReportsOf("", 2024)) || len(years) == 0 {
			t.Errorf("2024: %q", years)
		}
		for _, y := range years {
			if !strings.HasPrefix(y, "2024") {
				t.Errorf("date %q in the 2024 list", y)
			}
		}
		run(chromedp.Navigate(srv.URL + "/reports"))
		screenshot(t, ctx, "web-reports")
	})

	t.Run("narrow screen", func(t *testing.T) {
		for _, path := range []string{
			"/?q=" + url.QueryEscape("湖北2024年和2025年地区生产总值对比"),
			"/reports",
			"/reports/2025-hubei-gwr",
		} {
			var scroll, client int
			run(
				chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile),
				chromedp.Navigate(srv.URL+path),
				chromedp.WaitVisible(`main`),
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
				chromedp.Evaluate(`document.documentElement.clientWidth`, &client),
			)
			if scroll > client+1 {
				t.Errorf("%s: page %dpx wide on a %dpx screen", path, scroll, client)
			}
		}
		run(chromedp.EmulateViewport(800, 760))
	})

	for _, m := range logged() {
		if strings.Contains(m, "Content Security Policy") || strings.HasPrefix(m, "exception") {
			t.Errorf("page logged: %s", m)
		}
	}
}
