package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// openTemp opens a store in a fresh temporary directory.
func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestSubscriptionMatches(t *testing.T) {
	tests := []struct {
		filters []string
		fields  []string
		want    bool
	}{
		{nil, []string{"国务院", "政府工作报告"}, true},
		{[]string{"湖北"}, []string{"湖北省人民政府", "2025年湖北省政府工作报告"}, true},
		{[]string{"湖北"}, []string{"湖南省人民政府", "2025年湖南省政府工作报告"}, false},
		{[]string{"湖北", "就业"}, []string{"国务院", "城镇新增就业1256万人"}, true},
		{[]string{""}, []string{"国务院"}, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.filters, tt.fields), func(t *testing.T) {
			sub := Subscription{Filters: tt.filters}
			if got := sub.Matches(tt.fields...); got != tt.want {
				t.Errorf("Matches = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOpenLocked(t *testing.T) {
	_, path := openTemp(t)
	_, err := Open(path, &Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: err = %v, want ErrLocked", err)
	}
}
