// Package doctext extracts the text of the document formats government
// sites attach reports as — PDF and Word (.docx) — in reading order, one
// paragraph or heading a line, so that corpus.Parse finds sections and
// figures as it does in a plain-text report. Legacy binary formats (.doc,
// .wps) are recognised and refused with an error naming the format.
package doctext

import (
	"bytes"
	"errors"
	"mime"
	"path"
	"strings"
)

// Format is a document format recognised by Detect.
type Format int

// Formats. The zero value, Text, is anything not recognised as another
// format (plain text in some encoding, left to corpus.Parse).
const (
	Text Format = iota
	HTML
	PDF
	DOCX
	// DOC is legacy binary Word (Word 97–2003), an OLE compound file.
	DOC
	// WPS is a Kingsoft WPS Office document (.wps), also an OLE compound file.
	WPS
	// OLE is an OLE compound file that is neither (.xls, .ppt …) or could
	// not be told apart.
	OLE
	// EncryptedOffice is a password-protected Office file: an OLE compound
	// file holding an EncryptedPackage stream, whatever its extension says.
	EncryptedOffice
	// Zip is a zip archive that is not a Word document.
	Zip
)

var formatNames = [...]string{
	Text: "text", HTML: "HTML", PDF: "PDF", DOCX: "Word (.docx)",
	DOC: "legacy Word 97-2003 (.doc)", WPS: "WPS Office (.wps)",
	OLE:             "legacy Office binary (OLE compound file)",
	EncryptedOffice: "password-protected Office document", Zip: "zip archive",
}

// String names the format for messages.
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "unknown"
}

// Errors wrapped by Extract and Check.
var (
	// ErrUnsupported is a format govbot cannot read (legacy .doc/.wps, other
	// Office files, an archive).
	ErrUnsupported = errors.New("unsupported document format")
	// ErrEncrypted is a document that cannot be read without a password
	// (or with an encryption this reader does not implement).
	ErrEncrypted = errors.New("encrypted document")
	// ErrBroken is a damaged or truncated file.
	ErrBroken = errors.New("damaged or truncated document")
	// ErrNoText is a document with no extractable text (a scanned PDF).
	ErrNoText = errors.New("no text in document")
)

// Magic numbers.
var (
	magicPDF = []byte("%PDF-")
	magicZip = []byte("PK\x03\x04")
	magicOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// pdfSearch is how far into a file the %PDF- header may be (readers allow
// junk before it; 1024 bytes as Acrobat does).
const pdfSearch = 1024

// Media types by format, for Content-Type headers.
var mediaTypes = map[string]Format{
	"application/pdf":   PDF,
	"application/x-pdf": PDF,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": DOCX,
	"application/msword":          DOC,
	"application/vnd.ms-word":     DOC,
	"application/wps-office.doc":  DOC,
	"application/vnd.ms-works":    WPS,
	"application/kswps":           WPS,
	"application/wps-office.wps":  WPS,
	"application/wps-office.docx": DOCX,
	"text/html":                   HTML,
	"application/xhtml+xml":       HTML,
}

// Extensions by format.
var extensions = map[string]Format{
	".pdf": PDF, ".docx": DOCX, ".doc": DOC, ".wps": WPS, ".wpt": WPS, ".dot": DOC,
	".html": HTML, ".htm": HTML, ".shtml": HTML, ".xhtml": HTML,
}

// Detect tells the format of a document from its content (magic bytes),
// then its Content-Type (contentType, "" for a file) and its name's
// extension (a file name or URL). Content wins: a PDF served as
// application/octet-stream or named .html is a PDF, and an OLE compound
// file is named .doc or .wps by its extension or type. Text with no other
// sign is Text.
func Detect(name, contentType string, data []byte) Format {
	declared := declaredFormat(name, contentType)
	head := data[:min(len(data), pdfSearch)]
	switch {
	case bytes.Contains(head, magicPDF):
		return PDF
	case bytes.HasPrefix(data, magicZip):
		if zipHas(data, "word/document.xml") {
			return DOCX
		}
		if declared == DOCX {
			return DOCX // let the reader say what is wrong with it
		}
		return Zip
	case bytes.HasPrefix(data, magicOLE):
		return oleFormat(data, declared)
	}
	if declared == HTML {
		return HTML
	}
	lower := bytes.ToLower(data[:min(len(data), 512)])
	if bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<!doctype html")) {
		return HTML
	}
	switch declared {
	case PDF, DOCX, DOC, WPS:
		// Says it is a document but does not start like one: most likely
		// cut short or not the file it claims to be; the reader tells.
		return declared
	}
	return Text
}

// declaredFormat is the format the Content-Type, else the extension, names.
func declaredFormat(name, contentType string) Format {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		if f, ok := mediaTypes[strings.ToLower(mt)]; ok {
			return f
		}
	}
	if i := strings.IndexAny(name, "?#"); i >= 0 && strings.Contains(name, "://") {
		name = name[:i]
	}
	return extensions[strings.ToLower(path.Ext(name))]
}

// oleFormat tells the OLE compound files apart by the stream names in
// their directory (UTF-16LE): WordDocument for Word, WpsContent (or the
// .wps extension) for WPS, EncryptedPackage for a password-protected
// .docx/.xlsx.
func oleFormat(data []byte, declared Format) Format {
	switch {
	case bytes.Contains(data, utf16le("EncryptedPackage")):
		return EncryptedOffice
	case declared == WPS || bytes.Contains(data, utf16le("WpsContent")):
		return WPS
	case bytes.Contains(data, utf16le("WordDocument")) || declared == DOC:
		return DOC
	}
	return OLE
}

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}
