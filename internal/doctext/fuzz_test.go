package doctext

import (
	"errors"
	"testing"
)

// FuzzExtract: whatever the bytes, Extract returns text or one of the
// package's errors, without panicking or hanging.
func FuzzExtract(f *testing.F) {
	for _, name := range []string{"longhua-fzzf.docx", "fangxian-fzzf-chromium.pdf", "fangxian-fzzf.doc"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 1 0 R>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n9\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		format := Detect("", "", data)
		text, _, err := Extract(format, data)
		if err != nil && !errors.Is(err, ErrBroken) && !errors.Is(err, ErrEncrypted) &&
			!errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrNoText) {
			t.Fatalf("%s: unclassified error %v", format, err)
		}
		if err != nil && text != "" {
			t.Fatalf("text with an error")
		}
	})
}
