package doctext

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxDocumentXML caps the uncompressed size of word/document.xml: a
// report is well under a megabyte of XML; a zip bomb is not.
const maxDocumentXML = 64 << 20

// zipHas reports whether a zip archive holds the named member. Member
// names are stored uncompressed, in the local headers and the central
// directory, so a truncated archive still shows them.
func zipHas(data []byte, name string) bool {
	return bytes.Contains(data, []byte(name))
}

// DOCXText returns the text of a Word (.docx) document's body: each
// paragraph (w:p) on its own line, a table row's cells on one line
// separated by tabs, manual line breaks as line breaks. Deleted text of
// tracked changes, field codes, headers, footers and footnotes are left
// out. Errors wrap ErrBroken or ErrNoText.
//
// A .docx is a zip of XML; the body is word/document.xml, read here with
// encoding/xml as a token stream (see docs/formats.md for why no library).
func DOCXText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("read .docx: %v: %w", err, ErrBroken)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
			break
		}
	}
	if doc == nil {
		return "", fmt.Errorf("read .docx: no word/document.xml (not a Word document): %w", ErrBroken)
	}
	rc, err := doc.Open()
	if err != nil {
		return "", fmt.Errorf("read .docx: %v: %w", err, ErrBroken)
	}
	defer rc.Close()
	text, err := docxBody(io.LimitReader(rc, maxDocumentXML), readNumbering(zr.File))
	if err != nil {
		return "", fmt.Errorf("read .docx word/document.xml: %v: %w", err, ErrBroken)
	}
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("read .docx: %w", ErrNoText)
	}
	return text, nil
}

// docxBody walks the WordprocessingML body; num (nil for none) renders
// automatic numbering.
func docxBody(r io.Reader, num *numbering) (string, error) {
	dec := xml.NewDecoder(r)
	var (
		out      strings.Builder
		para     strings.Builder
		row      []string
		inText   bool // inside w:t
		skip     int  // depth inside an element whose text is not shown
		tblDepth int
		ref      numRef // the paragraph's numbering (numId "" for none)
		inPPr    bool   // inside the paragraph's properties
	)
	flush := func() {
		line := strings.TrimSpace(para.String())
		para.Reset()
		if num != nil && line != "" && ref.id != "" && ref.id != "0" {
			line = num.label(ref) + line
		}
		ref = numRef{}
		if tblDepth > 0 {
			row = append(row, line)
			return
		}
		if line != "" {
			out.WriteString(line)
			out.WriteString("\n")
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "delText", "instrText", "del", "moveFrom", "fldData", "pPrChange", "rPrChange", "numberingChange":
				skip = 1
			case "pPr":
				inPPr = true
			case "pStyle":
				if inPPr && num != nil {
					if r, ok := num.styles[attr(t, "val")]; ok && ref.id == "" {
						ref = r
					}
				}
			case "numId":
				if inPPr {
					ref.id = attr(t, "val")
				}
			case "ilvl":
				if inPPr {
					ref.level, _ = strconv.Atoi(attr(t, "val"))
				}
			case "t":
				inText = true
			case "tab", "ptab":
				para.WriteByte('\t')
			case "br", "cr":
				if attr(t, "type") == "" || attr(t, "type") == "textWrapping" {
					para.WriteByte('\n')
				}
			case "noBreakHyphen":
				para.WriteByte('-')
			case "sym":
				if c := attr(t, "char"); c != "" {
					var r rune
					if _, err := fmt.Sscanf(c, "%x", &r); err == nil && r >= 0x20 && r < 0xF000 {
						para.WriteRune(r)
					}
				}
			case "tbl":
				tblDepth++
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "pPr":
				inPPr = false
			case "t":
				inText = false
			case "p":
				flush()
			case "tr":
				// A nested table's row comes out with the cells of the
				// outer row before it.
				if line := strings.TrimSpace(strings.Join(row, "\t")); line != "" {
					out.WriteString(line)
					out.WriteString("\n")
				}
				row = row[:0]
			case "tbl":
				tblDepth--
			}
		case xml.CharData:
			if inText && skip == 0 {
				para.Write(t)
			}
		}
	}
	return out.String(), nil
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
