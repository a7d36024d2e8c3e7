package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/govbot/govbot/internal/zhtext"
)

// Page chrome is the text a scraper copies from a web page around the
// report: the site line under the title (时间：… 作者：… 来源：…政府网 阅读：170
// 评论：0), the site's abstract of the article (内容摘要：…), and at the end
// the disclaimer, share buttons, tags and lists of other articles' links
// (上一篇 / 下一篇 / 相关文章 / 阅读排行 …). Parse keeps it out of the
// paragraphs and lists it in Report.Chrome. A run of two or more "?" is
// where a scraper lost characters it could not encode (non-breaking and
// ideographic spaces, mostly): it is read as a space.

// lostChars matches the marks a scraper leaves for characters it lost.
var lostChars = regexp.MustCompile(`\?{2,}`)

// siteLabels are the labels of a site's article info line.
var siteLabels = []string{"时间", "发布时间", "更新时间", "作者", "来源", "阅读", "评论", "点击", "浏览", "浏览次数", "点击数", "访问量", "编辑", "责任编辑", "字号", "字体", "发布者", "供稿"}

// siteLabelRE matches one "label：" of a site info line.
var siteLabelRE = regexp.MustCompile(`(` + strings.Join(siteLabels, "|") + `)\s*[：:]`)

// abstractLabels introduce the site's abstract of the article, which
// repeats its opening.
var abstractLabels = []string{"内容摘要", "摘要", "内容提要", "导读"}

// isSiteLine reports whether s is a site's article info line: two or more
// site labels ("时间：2025-02-22 作者：中国县域 来源：易县政府网 阅读："), one
// label with a short value ("来源：易县政府网", "【字体：大 中 小】"), a lone
// counter label ("阅读："), or a breadcrumb ("当前位置：首页 > …").
func isSiteLine(s string) bool {
	if n := len(siteLabelRE.FindAllStringIndex(s, -1)); n >= 2 {
		return true
	}
	// One label with a short value: "来源：易县政府网", "【字体：大 中 小】".
	t := strings.TrimLeft(s, "【[ ")
	if loc := siteLabelRE.FindStringIndex(t); loc != nil && loc[0] == 0 && utf8.RuneCountInString(t) <= maxSiteLine && !strings.ContainsAny(t, zhtext.FullStop+zhtext.Semicolons+zhtext.ExclamationMarks) {
		return true
	}
	for _, l := range []string{"阅读", "评论", "点击", "浏览", "浏览次数", "点击数", "访问量", "字号", "字体"} {
		if rest, ok := strings.CutPrefix(s, l); ok {
			rest = strings.TrimLeft(rest, " "+zhtext.Colons)
			if rest == "" || isCount(rest) || rest == "大中小" || rest == "【大中小】" {
				return true
			}
		}
	}
	return strings.HasPrefix(s, "当前位置") || strings.HasPrefix(s, "您现在的位置") || strings.HasPrefix(s, "首页>") || strings.HasPrefix(s, "首页 >")
}

// maxSiteLine bounds a site info line with a single label.
const maxSiteLine = 40

// isCount reports whether s is a bare counter value ("170", "0", "170次").
func isCount(s string) bool {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "次"), "人")
	if s == "" || len(s) > 9 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// abstractLabel returns the value of an abstract line ("内容摘要：…", "" when
// the value is on the next line) and whether s is one.
func abstractLabel(s string) (string, bool) {
	for _, l := range abstractLabels {
		if rest, ok := strings.CutPrefix(s, l); ok {
			rest = strings.TrimSpace(rest)
			if v, ok := strings.CutPrefix(rest, "："); ok {
				return strings.TrimSpace(v), true
			}
			if v, ok := strings.CutPrefix(rest, ":"); ok {
				return strings.TrimSpace(v), true
			}
			if rest == "" {
				return "", true
			}
		}
	}
	return "", false
}

// tailMarkers start the page chrome after the article: once one is seen
// near the end, it and every line after it are chrome.
var tailMarkers = regexp.MustCompile(`^(免责声明|版权声明|版权所有|本站为|本站声明|本网声明|声明：|标签[：:]|tags[：:]|分享到|分享：|上一篇|下一篇|上一条|下一条|相关文章|相关阅读|相关链接|相关新闻|相关文件|相关评论|相关稿件|推荐阅读|热门文章|热点文章|阅读排行|本栏最新|本栏推荐|最新文章|标签云|网友评论|发表评论|我要评论|打印本页|【打印|关闭窗口|【关闭|下载、打印|扫一扫|责任编辑[：:]|\[打印\]|\[关闭\])`)

// maxTailChrome is how far from the end a tail marker may be: chrome is a
// few dozen short lines; a marker word deep in a long report is text.
const maxTailChrome = 150

// linkLike reports whether a line near the end reads like a link list
// entry, a date stamp or a button rather than report text: short, without
// sentence punctuation.
func linkLike(s string) bool {
	return utf8.RuneCountInString(s) <= 40 && !strings.ContainsAny(s, zhtext.SentenceEnders+zhtext.Commas+zhtext.Semicolons)
}

// cutTailChrome splits off the page chrome at the end of lines: from the
// first tail marker of the trailing run of link-like and marker lines to
// the end, or a trailing run of three or more lines that are titles of
// other reports. It returns the lines kept and the chrome.
func cutTailChrome(ls []line) (keep, chrome []line) {
	cut := -1
	for i := len(ls) - 1; i >= 0 && len(ls)-i <= maxTailChrome; i-- {
		t := ls[i].text
		if tailMarkers.MatchString(t) {
			cut = i
			continue
		}
		if !linkLike(t) {
			break
		}
	}
	if cut < 0 {
		// No marker: a list of other reports' titles closing the page.
		n := 0
		for i := len(ls) - 1; i >= 0 && isOtherReportLink(ls[i].text); i-- {
			n++
		}
		if n >= 3 && n < len(ls) {
			cut = len(ls) - n
		}
	}
	if cut < 0 {
		return ls, nil
	}
	return ls[:cut], ls[cut:]
}

// isOtherReportLink reports whether s is a bare report title as link lists
// show them ("平顶山市2025年政府工作报告") or a date stamp of such a list ("02-22").
func isOtherReportLink(s string) bool {
	if isDateStamp(s) {
		return true
	}
	return linkLike(s) && utf8.RuneCountInString(s) <= 30 && strings.HasSuffix(s, "报告") && titleYear.MatchString(s)
}

// dateStamp matches the dates of link lists: "02-22", "2025-02-22", "[2025-02-22]".
var dateStamp = regexp.MustCompile(`^[\[（(]?([0-9]{4}[-/.])?[0-9]{1,2}[-/.][0-9]{1,2}[\]）)]?$`)

func isDateStamp(s string) bool { return dateStamp.MatchString(s) }
