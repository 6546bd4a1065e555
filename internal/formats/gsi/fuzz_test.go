package gsi

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"110001+00000101 81..00+00001000 82..00+00002000 83..00-00000500\r\n",
		"*110001+0000000000000101 81..06+0000000000010000 82..06-0000000000020000\n",
		"110001+00000100 21.102+11545200 22.102+09885300 31..00+00000000\r\r\r",
		"410001+00000001 42....+00000STN\n110498+STAZLIB3 84..40+00519659 85..40+00465244 88..10+1\n",
		"51..1.+0000+000 81..9+x\n*\n\r\n",
		"110001+0 81..00+99999999999999999999 82..00+-1\n",
		"*110001+0000000000000001 81..10+0000000005000000 82..16+0000000020000000 83..10+0000000000100000 \r\n" +
			"*110002+0000000000000002 81..11+0000000016404199 82..17+0000000656167980 \r\n",
		station + "110002+00000101 21.322+05000000 22.322+10000000 31..00+00010000 87..00+00001500\n",
		"410001+0000STN1\n110002+00000000 88..00+00001600\n110003+0000001 21.325+16000000 22.324+1\n",
		"110001+00000101 21.322+25000000 25.322-99999999 22.322+30000000 32..01+99999999 33..00-1\n",
	} {
		f.Add([]byte(s))
	}

	for _, b := range samplefiles.Seeds("gsi8_ertola_crlf_coords.gsi", "gsi8_rilievo_cr_only_polar.gsi",
		"GSI16_rycon_cartesian_zero_placeholders.GSI") {
		f.Add(b)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mode := range []PolarMode{PolarOff, PolarAuto, PolarOn} {
			fuzzRead(t, data, ReadSettings{Polar: mode})
		}

		_ = Sniff("fuzz.gsi", data)
	})
}

// fuzzRead reads data and checks that it fails with a *survey.ParseError or
// gives finite points that the writer takes.
func fuzzRead(t *testing.T, data []byte, s ReadSettings) {
	ds, err := Read(t.Context(), bytes.NewReader(data), "fuzz.gsi", s)
	if err != nil {
		if _, ok := err.(*survey.ParseError); !ok {
			t.Fatalf("error %T is not a *survey.ParseError: %v", err, err)
		}

		return
	}

	for _, p := range ds.Points {
		if math.IsNaN(p.E+p.N+p.Z) || math.IsInf(p.E+p.N+p.Z, 0) {
			t.Fatalf("polar %v: point %+v is not finite", s.Polar, p)
		}
	}

	if ds.Observations < 0 {
		t.Fatalf("polar %v: observations %d", s.Polar, ds.Observations)
	}

	if err := Write(t.Context(), io.Discard, ds, WriteSettings{}); err != nil &&
		!strings.HasPrefix(err.Error(), "gsi: point") {
		t.Fatalf("write: %v", err)
	}
}

func BenchmarkRead(b *testing.B) {
	var sb strings.Builder
	for i := range 200000 {
		sb.WriteString("*110001+")
		sb.WriteString(strings.Repeat("0", 10))
		sb.WriteString("P")
		sb.WriteString(string(rune('A' + i%26)))
		sb.WriteString("0001 81..06+0000000065639031 82..06+0000000020773762 83..06+0000000002995666\r\n")
	}

	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Read(b.Context(), bytes.NewReader(data), "b.gsi", ReadSettings{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadPolar(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(station)
	for i := range 200000 {
		fmt.Fprintf(&sb, "*110002+%016d 21.322+%016d 22.322+0000000009876500 "+
			"31..00+%016d 87..00+0000000000001500\r\n", i, i*7919%40000000, 1000+i%90000)
	}

	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		ds, err := Read(b.Context(), bytes.NewReader(data), "b.gsi", ReadSettings{Polar: PolarAuto})
		if err != nil || len(ds.Points) != 200000 {
			b.Fatal(err)
		}
	}
}
