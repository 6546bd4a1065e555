package sandbox

import (
	"bytes"
	"io"
	"os"
	"testing"
)

func TestBlobStoreMemoryAndDisk(t *testing.T) {
	dir := t.TempDir()
	b, err := newBlobStore(dir, memBlobLimit)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		size   int
		onDisk bool
	}{
		{"small in memory", 1000, false},
		{"limit in memory", memBlobLimit, false},
		{"large on disk", memBlobLimit + 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := testData(tc.size, 1)

			id, h, err := b.put(bytes.NewReader(data), -1)
			if err != nil || h.size != int64(tc.size) || h.sha256 != sha(data) {
				t.Fatalf("put: %v %+v", err, h)
			}

			if _, err := os.Stat(b.path(id)); (err == nil) != tc.onDisk {
				t.Fatalf("on disk: %v", err)
			}

			r, err := b.open(id)
			if err != nil {
				t.Fatal(err)
			}

			got, _ := io.ReadAll(r)
			_ = r.Close()

			if !bytes.Equal(got, data) {
				t.Fatal("content differs")
			}

			b.remove(id)
			if _, err := b.open(id); err == nil {
				t.Fatal("removed blob still opens")
			}
		})
	}

	if _, _, err := b.put(bytes.NewReader(testData(10, 1)), 5); err == nil {
		t.Fatal("over-long body accepted")
	}

	if b.memUsed != 0 {
		t.Fatalf("memory accounting: %d", b.memUsed)
	}
}
