package doctext

import "fmt"

// Extract returns the text of a document of format f (from Detect) for
// corpus.Parse: PDF and .docx through PDFText and DOCXText; legacy and
// other binary formats are refused with an error naming the format and
// what to do. Text and HTML are not handled here (ok is false).
func Extract(f Format, data []byte) (text string, ok bool, err error) {
	switch f {
	case PDF:
		text, err = PDFText(data)
		return text, true, err
	case DOCX:
		text, err = DOCXText(data)
		return text, true, err
	case DOC, WPS:
		return "", true, fmt.Errorf("%s files are not supported: open it in Word or WPS, save as .docx or PDF, and add that: %w", f, ErrUnsupported)
	case EncryptedOffice:
		return "", true, fmt.Errorf("the Office document is password-protected: save an unprotected .docx and add that: %w", ErrEncrypted)
	case OLE, Zip:
		return "", true, fmt.Errorf("a %s is not a report govbot can read (it reads text, HTML, PDF and .docx): %w", f, ErrUnsupported)
	}
	return "", false, nil
}
