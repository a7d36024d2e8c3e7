package answer

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/corpus/place"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/sharedtest"
)

// placeFiles are the reports of the place tests: the county, a province
// with a city inside it that has no report (湖北: 十堰, 丹江口, 武汉), a
// province whose cities have none (山东: 青岛), the national report, and
// every report of ../shared/reports-local (深圳, its districts 罗湖 and 龙华,
// the counties 易县 and 涞源).
var placeFiles = map[string][]string{
	"reports": {
		"2024-fangxian-fzzf.txt", "2025-state-council-gwr.txt",
		"2025-hubei-gwr.txt", "2026-hubei-gwr.txt", "2025-shandong-gwr.txt",
	},
	"reports-local": nil, // all
}

var (
	placeOnce sync.Once
	placeEng  *Engine
	placeErr  error
)

// placeEngine returns the engine over placeFiles, built once.
func placeEngine(tb testing.TB) *Engine {
	tb.Helper()
	shared := sharedtest.Dir(tb)
	placeOnce.Do(func() {
		var reps []*corpus.Report
		for dir, files := range placeFiles {
			dir = filepath.Join(shared, dir)
			man, err := corpus.LoadManifest(filepath.Join(dir, corpus.ManifestName))
			if err != nil {
				placeErr = err
				return
			}
			if files == nil {
				for f := range man {
					files = append(files, f)
				}
			}
			for _, f := range files {
				r, err := corpus.ParseFile(filepath.Join(dir, f), man[f])
				if err != nil {
					placeErr = err
					return
				}
				reps = append(reps, r)
			}
		}
		dataDir := filepath.Join(tmpRoot, "places")
		if _, err := index.Update(context.Background(), dataDir, reps); err != nil {
			placeErr = err
			return
		}
		placeEng, placeErr = Open(dataDir)
	})
	if placeErr != nil {
		tb.Fatal(placeErr)
	}
	return placeEng
}

// TestPlaceQuestions asks about places under their full and short names,
// with and without reports. A place with a report is answered from it; one
// without says so and shows no other issuer's figure: not its province's
// (青岛, 武汉), not a neighbour county's (丹江口 vs 房县), not the State
// Council's (福田区).
func TestPlaceQuestions(t *testing.T) {
	e := placeEngine(t)
	const luohu, longhua, yixian = "深圳市罗湖区人民政府", "深圳市龙华区人民政府", "易县人民政府"
	tests := []struct {
		q      string
		issuer string // the issuer answering; "" when the place has no report
		none   string // the place named in "没有收录X的报告"
		names  string // a name the excerpt must contain
	}{
		{q: "罗湖区去年一般公共预算收入多少", issuer: luohu},
		{q: "罗湖去年进出口总额多少", issuer: luohu},
		{q: "深圳罗湖去年进出口总额是多少？", issuer: luohu},
		{q: "请问深圳市罗湖区2024年一般公共预算收入是多少", issuer: luohu},
		{q: "龙华区2019年收到多少宗行政复议申请", issuer: longhua},
		{q: "深圳龙华2019年一共收到多少宗行政复议申请", issuer: longhua},
		{q: "保定易县去年接待了多少游客", issuer: yixian},
		{q: "河北易县去年一般公共预算收入多少", issuer: yixian},
		{q: "涞源去年地区生产总值多少", issuer: "涞源县人民政府"},
		{q: "深圳2024年地区生产总值是多少", issuer: "深圳市人民政府"},
		{q: "房县办理了多少件行政复议案件", issuer: "房县人民政府"},
		{q: "湖北省去年地区生产总值多少", issuer: "湖北省人民政府"},
		// A place without reports whose figure its province's report states.
		{q: "襄阳2024年经济总量是多少", issuer: "湖北省人民政府", names: "襄阳"},
		{q: "丹江口办理了多少件行政复议案件", none: "丹江口"},
		{q: "房县和丹江口分别办理了多少件行政复议案件", none: "丹江口"},
		{q: "山东省内的青岛市去年GDP多少", none: "青岛市"},
		{q: "丹江口市去年行政复议案件多少件", none: "丹江口市"},
		{q: "十堰市去年GDP多少", none: "十堰市"},
		{q: "湖北十堰去年GDP多少", none: "湖北十堰"},
		{q: "武汉去年地区生产总值多少", none: "武汉"},
		// Hubei's 2026 report has 武汉都市圈经济总量达到3.8万亿元: a
		// metropolitan area's total, not 武汉's.
		{q: "武汉去年GDP多少", none: "武汉"},
		{q: "青岛去年GDP是多少", none: "青岛"},
		{q: "山东省的青岛市去年GDP是多少", none: "山东省的青岛市"},
		{q: "福田区的报告是谁发布的", none: "福田区"},
		{q: "龙岗去年一般公共预算收入多少", none: "龙岗"},
		{q: "海口龙华区去年GDP多少", none: "海口龙华区"},
		{q: "湘西州去年GDP多少", none: "湘西州"},
	}
	for _, tc := range tests {
		a, err := e.Ask(context.Background(), tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		if tc.issuer != "" {
			if !a.Answered || len(a.Answers) == 0 || a.Answers[0].Report.Issuer != tc.issuer {
				t.Errorf("%s: want an answer from %s; got %s", tc.q, tc.issuer, describe(a))
			} else if !strings.Contains(a.Answers[0].Excerpt, tc.names) {
				t.Errorf("%s: want an excerpt naming %s; got %s", tc.q, tc.names, describe(a))
			}
			continue
		}
		want := "没有收录" + tc.none + "的报告"
		if a.Answered || a.Figure != nil || len(a.Answers) > 0 || !strings.Contains(a.Reason, want) {
			t.Errorf("%s: want %q and no answer; got %s", tc.q, want, describe(a))
		}
		if tc.none == "丹江口" && !strings.Contains(a.Reason, "十堰市内收录的是房县") {
			t.Errorf("%s: want the reports near 丹江口 named; got %s", tc.q, a.Reason)
		}
	}
}

// TestIssuersNamed checks the names `govbot reports --issuer` and the
// questions share.
func TestIssuersNamed(t *testing.T) {
	e := placeEngine(t)
	const luohu = "深圳市罗湖区人民政府"
	named := map[string][]string{
		"罗湖":         {luohu},
		"罗湖区":        {luohu},
		"深圳罗湖":       {luohu},
		"深圳市罗湖区":     {luohu},
		"深圳市罗湖区人民政府": {luohu},
		"龙华区":        {"深圳市龙华区人民政府"},
		"深圳":         {"深圳市人民政府"},
		"湖北":         {"湖北省人民政府"},
		"易县":         {"易县人民政府"},
		"全国":         {"国务院"},
		"国务院":        {"国务院"},
		"丹江口":        nil,
		"青岛":         nil,
	}
	for name, want := range named {
		if got := e.IssuersNamed(name); !slices.Equal(got, want) {
			t.Errorf("IssuersNamed(%s) = %v, want %v", name, got, want)
		}
	}
	within := map[string][]string{
		"深圳": {"深圳市人民政府", luohu, "深圳市龙华区人民政府"},
		"湖北": {"湖北省人民政府", "房县人民政府"},
		"河北": {"易县人民政府", "涞源县人民政府"},
		"十堰": {"房县人民政府"},
		"青岛": nil,
	}
	for name, want := range within {
		got := e.IssuersWithin(name)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("IssuersWithin(%s) = %v, want %v", name, got, want)
		}
	}
	// Two places with reports, one inside the other, are both asked about.
	if got, _ := e.directory().find(normalize("深圳和罗湖区去年地区生产总值分别是多少")); !slices.Equal(got, []string{"深圳市人民政府", luohu}) {
		t.Errorf("深圳和罗湖区: issuers %v, want 深圳市人民政府 and %s", got, luohu)
	}
	counties := e.IssuersAt(place.County)
	slices.Sort(counties)
	if want := []string{"房县人民政府", "易县人民政府", "涞源县人民政府", luohu, "深圳市龙华区人民政府"}; !slices.Equal(counties, sorted(want)) {
		t.Errorf("IssuersAt(County) = %v, want %v", counties, sorted(want))
	}
	if p := e.PlaceOf(luohu); p == nil || p.Name != "罗湖区" || p.City().Name != "深圳市" || p.Province().Name != "广东省" {
		t.Errorf("PlaceOf(%s) = %v, want 罗湖区 of 深圳市, 广东省", luohu, p)
	}
}

// TestQuestionSetPlaces measures the resolver's false hits on real
// questions: over every question of ../shared/eval, a place it finds must
// be one the shared corpus has reports from, unless the question is one
// that must abstain. A false hit (合作 in 国际合作, 中山 in 中山路) would make
// the question abstain with "没有收录X的报告".
func TestQuestionSetPlaces(t *testing.T) {
	shared := sharedtest.Dir(t)
	var issuers []string
	for _, dir := range []string{"reports", "reports-local"} {
		man, err := corpus.LoadManifest(filepath.Join(shared, dir, corpus.ManifestName))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range man {
			issuers = appendNew(issuers, m.Issuer)
		}
	}
	dir := newIssuerDirectory(issuers)
	files, err := filepath.Glob(filepath.Join(sharedtest.Eval(t), "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no question sets: %v", err)
	}
	var questions, withPlace, falseHits int
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			var q struct{ Q, Kind string }
			if json.Unmarshal(sc.Bytes(), &q) != nil || q.Q == "" {
				continue
			}
			questions++
			ms := dir.mentions(normalize(q.Q))
			if len(ms) > 0 {
				withPlace++
			}
			for _, m := range ms {
				if len(m.issuers) == 0 && q.Kind != "abstain" {
					falseHits++
					t.Errorf("%s: %s (%s) found as a place without reports in %q", filepath.Base(f), m.Text, m.Places[0].Qualified(), q.Q)
				}
			}
		}
		fh.Close()
	}
	t.Logf("%d questions, %d name a place, %d false hits", questions, withPlace, falseHits)
}

func sorted(xs []string) []string {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return xs
}

// TestIssuersWithoutCity checks issuers whose names the division list does
// not resolve to one place: a district named without its city (two 龙华区)
// and a body that is not a government.
func TestIssuersWithoutCity(t *testing.T) {
	d := newIssuerDirectory([]string{"龙华区人民政府", "深圳市司法局", "国务院"})
	tests := []struct {
		q, want, unknown string
	}{
		{q: "龙华区去年收到多少宗行政复议申请", want: "龙华区人民政府"},
		{q: "龙华去年收到多少宗行政复议申请", want: "龙华区人民政府"},
		{q: "深圳市司法局的报告是哪天发布的", want: "深圳市司法局"},
		{q: "全国去年GDP增长多少", want: "国务院"},
		{q: "福田区去年GDP多少", unknown: "福田区"},
	}
	for _, tc := range tests {
		q := normalize(tc.q)
		got, rest := d.find(q)
		if tc.want != "" && !slices.Equal(got, []string{tc.want}) {
			t.Errorf("%s: issuers %v, want %s", tc.q, got, tc.want)
		}
		if tc.unknown != "" && (got != nil || d.unknownPlace(rest) != tc.unknown) {
			t.Errorf("%s: issuers %v, unknown place %q; want none and %s", tc.q, got, d.unknownPlace(rest), tc.unknown)
		}
	}
}
