package buildinfo

import (
	"runtime"
	"testing"
)

func TestRead(t *testing.T) {
	info := Read()
	if info.Go != runtime.Version() || info.Version == "" || info.Fyne == "" {
		t.Errorf("Read() = %+v", info)
	}
}
