package store

import "time"

// Revise returns rec as PutReport stores it over old (nil for a new
// report): a new report is revision 1, added now; a changed hash (or
// MetaChanged) counts a revision, updated now; Added and Announced stay
// those of old. Both stores (bbolt's putReport and store/postgres) call it;
// the conformance suite (store/storetest) holds them to it.
func (rec ReportRecord) Revise(old *ReportRecord, now time.Time) ReportRecord {
	if old == nil {
		rec.Revision = 1
		rec.Added, rec.Updated = now, now
		return rec
	}
	rec.Added, rec.Announced = old.Added, old.Announced
	rec.Revision, rec.Updated = old.Revision, old.Updated
	if old.TextHash != rec.TextHash || rec.MetaChanged {
		rec.Revision++
		rec.Updated = now
	}
	return rec
}
