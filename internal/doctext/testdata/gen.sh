#!/bin/sh
# gen.sh makes the PDF and Word fixtures of internal/doctext from shared
# reports, as a government site would publish them: an A4 document typeset by
# LibreOffice Writer in a CJK font (title centred, numbered headings bold,
# paragraphs indented two characters, 16 pt body as in 公文), exported to PDF
# with subset fonts and ToUnicode maps, to .docx, and to legacy .doc. One
# more PDF is printed by Chromium in a TrueType CJK font, which gives CID
# (Type0, Identity-H) fonts as Word and WPS exports do, and Type 3 fonts
# for the title's synthetic bold, with a running header and "— N —" page
# numbers. qpdf makes encrypted copies.
#
# The fixtures are committed: CI never runs this. To regenerate (Debian):
#
#	apt-get update
#	apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk \
#		chromium fonts-wqy-microhei qpdf
#	sh internal/doctext/testdata/gen.sh ../shared/reports
#
# Each fixture NAME.{pdf,docx} has NAME.txt beside it: the text version it
# was made from (a copy of the shared report), which the tests compare the
# extracted text with.
set -eu
reports=${1:-../shared/reports}
locals=${2:-$(dirname "$reports")/reports-local}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# html SRC.txt: the report as an HTML page Writer imports with its styles.
html() {
	awk -v p='text-indent: 32pt; margin-top: 0; margin-bottom: 0; line-height: 150%; text-align: justify' '
	BEGIN {
		print "<html><head><meta charset=\"utf-8\"><style>"
		print "body { font-family: \"Noto Serif CJK SC\"; font-size: 16pt; }"
		print "h1 { font-family: \"Noto Sans CJK SC\"; font-size: 22pt; text-align: center; }"
		print "</style></head><body>"
	}
	/^[ \t　]*$/ { next }
	{
		gsub(/&/, "\\&amp;"); gsub(/</, "\\&lt;"); gsub(/>/, "\\&gt;")
		if (NR == 1) { print "<h1>" $0 "</h1>"; next }
		if ($0 ~ /^[一二三四五六七八九十]+、/) { print "<p style=\"" p "\"><font face=\"Noto Sans CJK SC\">" $0 "</font></p>"; next }
		if ($0 ~ /^[（(][一二三四五六七八九十]+[）)]/ && length($0) <= 120) { print "<p style=\"" p "\"><b>" $0 "</b></p>"; next }
		print "<p style=\"" p "\">" $0 "</p>"
	}
	END { print "</body></html>" }' "$1"
}

# make NAME SRC FORMATS: NAME.txt and NAME.<format> for each format.
make_fixture() {
	name=$1 src=$2
	shift 2
	cp "$src" "$here/$name.txt"
	chmod 644 "$here/$name.txt"
	html "$src" >"$work/$name.html"
	for f in "$@"; do
		case $f in
		pdf) filter=pdf:writer_pdf_Export ;;
		docx) filter='docx:MS Word 2007 XML' ;;
		doc) filter='doc:MS Word 97' ;;
		esac
		soffice --headless --infilter='HTML (StarWriter)' --convert-to "$filter" --outdir "$work" "$work/$name.html" >/dev/null
		cp "$work/$name.$f" "$here/$name.$f"
	done
}

# chromium NAME SRC HEADER: NAME.pdf printed by Chromium, HEADER atop each page.
chromium_fixture() {
	name=$1 src=$2 header=$3
	html "$src" | sed -e 's/Noto S[a-z]* CJK SC/WenQuanYi Micro Hei/g' -e 's|<b>||; s|</b>||' \
		-e "s|</style>|@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; @top-center { content: \"$header\"; font-size: 10pt; } @bottom-center { content: \"— \" counter(page) \" —\"; font-size: 14pt; } }</style>|" \
		>"$work/$name.html"
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$here/$name.pdf" "$work/$name.html" 2>/dev/null
}

make_fixture fangxian-fzzf "$reports/2024-fangxian-fzzf.txt" pdf docx doc
make_fixture hebei-gwr "$reports/2026-hebei-gwr.txt" pdf
make_fixture longhua-fzzf "$locals/2019-longhua-fzzf.txt" docx pdf
chromium_fixture fangxian-fzzf-chromium "$reports/2024-fangxian-fzzf.txt" 房县人民政府文件

# A PDF that opens only with a password (AES-256), as some sites attach.
qpdf --encrypt secret owner 256 -- "$here/longhua-fzzf.pdf" "$here/encrypted.pdf"
# Locked with an owner password only (printing, copying restricted), as
# many sites publish: AES-128 opens without a password; AES-256 the reader
# cannot decrypt.
qpdf --encrypt "" owner 128 --use-aes=y -- "$here/longhua-fzzf.pdf" "$here/restricted-aes128.pdf"
qpdf --encrypt "" owner 256 -- "$here/longhua-fzzf.pdf" "$here/restricted-aes256.pdf"
ls -l "$here"
