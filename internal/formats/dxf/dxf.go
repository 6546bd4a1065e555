// Package dxf reads ASCII DXF drawings (R12 to 2018) and writes R12 (AC1009)
// ASCII DXF.
//
// The reader is a tolerant group-code/value pair reader: code lines are
// trimmed, any line ending is accepted, unknown sections and entities are
// skipped and counted in a warning, and group 100 subclass markers are
// ignored (so R12 files with R2000 markers, such as Leica DISTO exports,
// read). Strings are decoded with $DWGCODEPAGE before AC1021 (Windows-1252
// when absent) and as UTF-8 from AC1021 on; \U+XXXX and \M+nXXXX escapes are
// decoded everywhere. Binary DXF is refused with [ErrBinary].
//
// What becomes what:
//   - POINT and INSERT: points (code = layer; the default layer "0" gives
//     an empty code). An INSERT's ATTRIB values are
//     attributes; a tag such as POINT, PNT, PT, PN, NUMBER, ID or NAME gives
//     the id and CODE, DESC or DESCRIPTION the code.
//   - LINE, LWPOLYLINE, 2-D and 3-D POLYLINE, ARC and CIRCLE: lines. Bulges
//     and arcs are densified within ReadSettings.ArcTolerance, LWPOLYLINE
//     elevation (38) and the extrusion direction (210/220/230) are applied
//     through the arbitrary-axis algorithm.
//   - POLYLINE polygon meshes (flag 16) and polyface meshes (flag 64): one
//     surface each; 3DFACE: triangles (quads split in two) merged into one
//     surface per layer.
//   - TEXT and MTEXT: labels. With ReadSettings.PairLabels a label at the
//     same position as a POINT (or an INSERT without an id attribute) gives
//     its id. Labels that are not used are counted in a warning, or become
//     points with Attrs["text"] when ReadSettings.TextAsPoints is set.
//
// Points that get no id from a label or attribute are numbered "1", "2", …
// in drawing order. A POINT without group 30 has no elevation (HasZ false).
package dxf

import (
	"bytes"
	"errors"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// binarySentinel starts every binary DXF file.
const binarySentinel = "AutoCAD Binary DXF\r\n\x1a\x00"

// ErrBinary is wrapped by the error Read returns for a binary DXF file.
var ErrBinary = errors.New("dxf: binary DXF")

// ErrDWG is wrapped by the error Read returns when the file is a DWG drawing.
var ErrDWG = errors.New("dxf: DWG drawing")

// ReadSettings tunes the reader. The zero value reads coordinates as metres.
type ReadSettings struct {
	// Unit is the drawing unit. $INSUNITS is often a template default, so it
	// is only reported, never trusted; "" means metres.
	Unit survey.Unit
	// PairLabels gives each POINT the id of the TEXT or MTEXT label at the
	// same position (within LabelTolerance).
	PairLabels bool
	// LabelTolerance is the largest distance, in drawing units, between a
	// point and its label; 0 means 0.001.
	LabelTolerance float64
	// TextAsPoints turns labels that are not paired into points with the
	// label text in Attrs["text"].
	TextAsPoints bool
	// ArcTolerance is the largest distance in metres between an arc and the
	// chords that replace it; 0 means 0.005 m.
	ArcTolerance float64
}

// WriteSettings tunes the writer. The zero value writes metres, point labels
// with ids, 0.2-unit text.
type WriteSettings struct {
	// Unit is the drawing unit written; "" means metres.
	Unit survey.Unit
	// TextHeight is the label height in drawing units; 0 means 0.2.
	TextHeight float64
	// NoLabels leaves out the TEXT label with each point's id.
	NoLabels bool
	// LabelElevation and LabelCode add labels with the elevation and the code
	// below the id label.
	LabelElevation, LabelCode bool
	// Decimals is the number of decimals written for coordinates; 0 writes
	// the shortest text that reads back to the same float64.
	Decimals int
}

// Sniff returns a 0..100 confidence that head (the first bytes of the file
// called name) is DXF. Binary DXF is recognised too, so that Read can refuse
// it with a clear message.
func Sniff(name string, head []byte) int {
	ext := 0
	if strings.HasSuffix(strings.ToLower(name), ".dxf") {
		ext = 10
	}

	if bytes.HasPrefix(head, []byte(binarySentinel)) {
		return 90 + ext
	}

	h := head
	if len(h) > 4096 {
		h = h[:4096]
	}

	lines := strings.FieldsFunc(string(h), func(r rune) bool { return r == '\r' || r == '\n' })
	for i := 0; i+1 < len(lines) && i < 40; i += 2 {
		code, val := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
		if code == "999" {
			continue
		}

		if code == "0" && val == "SECTION" {
			return 90 + ext
		}

		break
	}

	if ext > 0 {
		return 20
	}

	return 0
}
