package textline

import (
	"bufio"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var splitTests = []struct {
	name string
	in   string
	want []string
}{
	{"empty", "", nil},
	{"no break", "a", []string{"a"}},
	{"LF", "a\nb\n", []string{"a", "b"}},
	{"CRLF", "a\r\nb\r\n", []string{"a", "b"}},
	{"CR only", "a\rb\r", []string{"a", "b"}},
	{"mixed", "a\r\nb\rc\nd", []string{"a", "b", "c", "d"}},
	{"empty lines", "\n\r\n\r0\n\n", []string{"", "", "", "0", ""}},
	{"CR then LF line", "a\r\n\nb", []string{"a", "", "b"}},
	{"CR CR", "a\r\rb", []string{"a", "", "b"}},
	{"trailing CR", "a\r", []string{"a"}},
}

func lines(t *testing.T, r io.Reader) []string {
	t.Helper()
	sc := bufio.NewScanner(r)
	sc.Split(Split)
	var out []string
	for sc.Scan() {
		out = append(out, sc.Text())
	}

	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	return out
}

func TestSplit(t *testing.T) {
	for _, tt := range splitTests {
		t.Run(tt.name, func(t *testing.T) {
			opt := cmpopts.EquateEmpty()
			if d := cmp.Diff(tt.want, lines(t, strings.NewReader(tt.in)), opt); d != "" {
				t.Errorf("whole (-want +got):\n%s", d)
			}

			// One byte at a time puts every CR at the end of the buffer.
			if d := cmp.Diff(tt.want, lines(t, iotest.OneByteReader(strings.NewReader(tt.in))), opt); d != "" {
				t.Errorf("byte by byte (-want +got):\n%s", d)
			}
		})
	}
}

func FuzzSplit(f *testing.F) {
	for _, tt := range splitTests {
		f.Add(tt.in)
	}

	f.Fuzz(func(t *testing.T, in string) {
		whole := lines(t, strings.NewReader(in))
		bytewise := lines(t, iotest.OneByteReader(strings.NewReader(in)))
		if !cmp.Equal(whole, bytewise, cmpopts.EquateEmpty()) {
			t.Errorf("%q: whole %q, byte by byte %q", in, whole, bytewise)
		}

		if strings.Join(whole, "") != strings.NewReplacer("\r", "", "\n", "").Replace(in) {
			t.Errorf("%q: lines %q lose text", in, whole)
		}
	})
}
