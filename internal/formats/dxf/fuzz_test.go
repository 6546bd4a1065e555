package dxf

import (
	"bytes"
	"io"
	"testing"

	"github.com/backsight/backsight/internal/formats/internal/formattest"
	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

func FuzzRead(f *testing.F) {
	f.Add([]byte(drawing(grp(9, "$ACADVER", 1, "AC1009", 9, "$DWGCODEPAGE", 3, "ANSI_1251"),
		grp(0, "POINT", 8, "\xcf", 10, 1, 20, 2, 30, 3, 0, "TEXT", 8, "T", 10, 1, 20, 2, 1, `a\U+00DF%%d`))))
	f.Add([]byte(drawing("", grp(0, "LWPOLYLINE", 8, "L", 90, 2, 70, 1, 38, 5, 10, 0, 20, 0, 42, 1,
		10, 1, 20, 0, 210, 0, 220, 1, 230, 0))))
	f.Add([]byte(drawing("", grp(0, "POLYLINE", 66, 1, 70, 64, 71, 2, 72, 1, 0, "VERTEX", 70, 192,
		0, "VERTEX", 70, 128, 71, 1, 72, -2, 73, 3, 0, "SEQEND", 0, "POLYLINE", 70, 16, 71, 2, 72, 2,
		0, "VERTEX", 10, 1, 0, "VERTEX", 0, "VERTEX", 0, "VERTEX", 0, "SEQEND"))))
	f.Add([]byte(drawing("", grp(0, "INSERT", 2, "B", 10, 1, 0, "ATTRIB", 2, "PT", 1, "7", 0, "SEQEND",
		0, "3DFACE", 10, 0, 11, 1, 12, 1, 22, 1, 0, "MTEXT", 3, `{\fA;x`, 1, `\S1^2;}`, 0, "ARC", 40, 1, 50, 10))))
	f.Add([]byte(binarySentinel))
	f.Add([]byte(drawing("", grp(0, "LWPOLYLINE", 8, "KERB", 90, 2, 70, 0, 38, 12.5, 210, 0, 220, 0, 230, -1,
		10, 100, 20, 200, 10, 110, 20, 210, 0, "HATCH", 8, "tree", 0, "POINT", 8, "TREE", 10, 0, 20, 0))))
	f.Add([]byte("0\rSECTION\r2\rENTITIES\r0\rCIRCLE\r40\r1e308\r0\rENDSEC\r0\rEOF\r"))

	for _, b := range samplefiles.Seeds("dxf_r12label_leica_disto_s910.dxf",
		"DXF_r12_polyline_vertex_POLI-ALL210_12.DXF") {
		f.Add(b)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.ReadThenWrite(t, func() (*survey.Dataset, error) {
			return Read(t.Context(), bytes.NewReader(data), "fuzz.dxf",
				ReadSettings{PairLabels: true, TextAsPoints: true})
		}, func(ds *survey.Dataset) error {
			return Write(t.Context(), io.Discard, ds, WriteSettings{})
		})

		_ = Sniff("fuzz.dxf", data)
	})
}
