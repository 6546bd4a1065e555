package formats

import (
	"bytes"
	"net/http"
	"slices"
	"strings"

	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/formats/dxf"
	"github.com/backsight/backsight/internal/formats/geojson"
	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/formats/landxml"
)

// HeadSize is how much of a file Detect needs to see.
const HeadSize = 64 << 10

// minConfidence is the lowest sniff score taken as a match.
const minConfidence = 20

var sniffers = []struct {
	name  string
	sniff func(name string, head []byte) int
}{
	{LandXML, landxml.Sniff},
	{DXF, dxf.Sniff},
	{GSI, gsi.Sniff},
	{GeoJSON, geojson.Sniff},
	{CSV, csv.Sniff},
}

// Detect recognises a file from its name and first bytes (HeadSize is
// enough): attachment signatures first (PDF, images, DWG, LAS/LAZ, E57,
// zip), then each data format's Sniff, with the file extension breaking
// ties. It returns the format name and a 0..100 confidence. A file whose
// content matches nothing is read by its extension's format when it has one
// (confidence 10, so that the reader reports what is wrong), else it is
// Attachment with confidence 0: the project keeps it.
func Detect(name string, head []byte) (string, int) {
	if k := attachmentKind(name, head); k != "" {
		return k, 100
	}

	exts := byExtension(name)
	best, score := "", 0
	for _, s := range sniffers {
		c := s.sniff(name, head)
		if slices.Contains(exts, s.name) && c > 0 {
			c += 5 // extension breaks ties between close content scores
		}

		if c > score {
			best, score = s.name, min(c, 100)
		}
	}

	if score >= minConfidence {
		return best, score
	}

	for _, e := range exts {
		if IsAttachment(e) {
			return e, 50
		}
	}

	// A data extension whose content did not convince: read it as that
	// format, so that the reader reports what is wrong with the file.
	if len(exts) > 0 {
		return exts[0], 10
	}

	return Attachment, 0
}

// attachmentKind recognises files that are kept unparsed, by signature.
func attachmentKind(name string, head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(head, []byte("LASF")):
		if strings.HasSuffix(strings.ToLower(name), ".laz") {
			return LAZ
		}

		return LAS
	case bytes.HasPrefix(head, []byte("ASTM-E57")):
		return E57
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return Zip
	case len(head) >= 6 && bytes.HasPrefix(head, []byte("AC10")) && isDigits(head[4:6]):
		return DWG
	}

	ct := http.DetectContentType(head)
	switch {
	case strings.HasPrefix(ct, "image/"):
		return Image
	case ct == "application/pdf":
		return PDF
	case ct == "application/zip", ct == "application/x-gzip", ct == "application/x-rar-compressed":
		return Zip
	}

	return ""
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}

	return true
}
