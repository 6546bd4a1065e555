// Package gsi reads and writes Leica GSI-8 and GSI-16 files.
//
// One parser handles both variants: a GSI-16 record starts with '*' and its
// words carry 16 data characters instead of 8. Every word is decoded with its
// own unit digit, records may end in CR, LF or CRLF, and zero easting and
// northing words (with or without a height) mean "no coordinates": such a
// record is reported in a warning, never placed at the origin.
//
// Point ids and codes: GSI pads its data field with leading '0' characters
// (the GSI-16 id "000000002160STKE" is the point "2160STKE"), so leading
// zeros are removed from every id and code, numeric or not; a field of zeros
// only becomes "0". Set [ReadSettings.KeepPadding] to keep the field as
// written.
//
// Stations (records with words 84/85/86 or 88, and 41 code blocks) are
// counted and reported in a warning; they become points only when
// [ReadSettings.StationsAsPoints] is set.
//
// Records that carry observations (words 21/22/31/32/33) but no coordinates
// are reduced to points from their station as [ReadSettings.Polar] says (see
// [PolarMode] for the conventions); Dataset.Observations counts those that gave
// no point. Observations of coordinate records never replace the
// instrument's own coordinates; they are kept as attributes only with
// [ReadSettings.KeepObservations].
//
// A file holding raw observations but no coordinates, and none reduced, is
// not an empty success: [Read] returns the dataset (0 points,
// Dataset.Observations set) together with a *survey.ParseError that wraps
// [ErrObservationsOnly].
package gsi

import (
	"errors"
	"fmt"
	"strings"
)

// ErrObservationsOnly is wrapped by the error Read returns when the file
// holds raw observations but no coordinates. The dataset returned alongside
// it carries the observation count and warnings.
var ErrObservationsOnly = errors.New("gsi: file holds only raw observations, no coordinates")

// ErrNoRecords is wrapped by the error Read returns when the file holds no
// GSI record that yields a point, a station or an observation.
var ErrNoRecords = errors.New("gsi: no coordinate or observation records")

// ReadSettings tunes the reader. The zero value suits Leica exports.
type ReadSettings struct {
	// LeftHanded swaps easting and northing (words 81/82 and 84/85), as the
	// Leica "left handed" import option does.
	LeftHanded bool
	// StationsAsPoints adds every station record that has coordinates as a
	// point with Attrs["role"] = "station".
	StationsAsPoints bool
	// KeepPadding keeps the leading '0' padding of ids and codes.
	KeepPadding bool
	// KeepObservations stores the observations of coordinate records in the
	// point's Attrs: "hz" and "v" in decimal degrees, "slopeDistance" and
	// "targetHeight" in metres.
	KeepObservations bool
	// Polar says when observations without coordinates are reduced to
	// points. The zero value, [PolarOff], only counts them; the command line
	// and the import window default to [PolarAuto].
	Polar PolarMode
}

// PolarMode says when [Read] reduces polar observations (Hz, V and a
// distance from a station) to coordinates.
//
// A station setup is a record with words 84/85/86 (station E, N, H) or 88
// (instrument height), or a 41 code block. Consecutive station records (a 41
// block followed by 84–86 and 88 records, or one Stonex record with all four
// words) make one setup, and a later record naming the current station again
// keeps the words it does not repeat. All-zero station coordinates are the
// instrument's local origin, a real setup.
//
// An observation record (point id 11, Hz 21, zenith angle V 22, slope
// distance 31 or horizontal distance 32, optional height difference 33 and
// target height 87) without words 81/82, or with all-zero ones (the
// instruments' "no coordinates"), becomes a point:
//
//	E = E0 + hd·sin(Az)    N = N0 + hd·cos(Az)    H = H0 + ih + dh − th
//
// hd is word 32, else 31·sin V; dh is 31·cos V, else word 33, else hd·cot V.
// Az is Hz as recorded: Leica instruments store Hz already oriented after a
// station setup, so the 25 word of a station record (the orientation the
// instrument has applied) is not added again, while a 25 word in the
// observation record itself is. A zenith angle past 200 gon (face II) turns
// Az by half a turn. th is the record's 87, else the last 87 recorded since
// the setup began, else 0. The point has no height when the station has none
// or the record gives no dh. Angles and distances are decoded by each word's
// unit digit.
//
// Observations with a zero or missing distance (station and backsight
// shots) are not points; they and other shots that give no point are counted
// in warnings. A file with no station record at all is reduced from an
// assumed station at 0, 0, 0 with Hz as the bearing, and one warning says
// so. Records with both coordinates and observations keep the instrument's
// coordinates.
type PolarMode int

// Polar reduction modes.
const (
	// PolarOff reduces nothing: observations without coordinates are counted
	// in Dataset.Observations.
	PolarOff PolarMode = iota
	// PolarAuto reduces observations only in a file that holds no
	// coordinate records (81/82, not all zero) of its own, a raw observation
	// file. In a
	// coordinate file the records without coordinates are orientation and
	// check shots to known points: reducing them would add second copies of
	// those points that differ from the instrument's.
	PolarAuto
	// PolarOn reduces every complete observation without coordinates.
	PolarOn
)

var polarNames = [...]string{"off", "auto", "on"}

// String returns the mode's name as [ParsePolarMode] takes it.
func (m PolarMode) String() string {
	if m < 0 || int(m) >= len(polarNames) {
		return fmt.Sprintf("PolarMode(%d)", int(m))
	}

	return polarNames[m]
}

// ParsePolarMode parses "off", "auto" or "on" (case-insensitive).
func ParsePolarMode(s string) (PolarMode, error) {
	for i, n := range polarNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return PolarMode(i), nil
		}
	}

	return PolarOff, fmt.Errorf("gsi: polar mode %q is not off, auto or on", s)
}

// WriteSettings tunes the writer.
type WriteSettings struct {
	// TenthMillimetre writes coordinates with unit digit 6 (1/10 mm) instead
	// of 0 (mm).
	TenthMillimetre bool
	// GSI8 writes GSI-8 records (8 data characters per word, no leading
	// '*') instead of GSI-16. Coordinates must then fit 8 digits.
	GSI8 bool
}

// Sniff returns a 0..100 confidence that head (the first bytes of the file
// called name) is a GSI file.
func Sniff(name string, head []byte) int {
	score := 0
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".gsi") {
		score = 20
	}

	recs, good := 0, 0
	for _, line := range strings.FieldsFunc(string(head), func(r rune) bool {
		return r == '\r' || r == '\n'
	}) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}

		recs++
		if looksLikeRecord(line) {
			good++
		}

		if recs >= 10 {
			break
		}
	}

	if recs == 0 || good == 0 {
		return score
	}

	content := 50 + 40*good/recs
	if score > 0 {
		content += 10
	}

	return min(content, 100)
}

// looksLikeRecord reports whether line starts with a GSI word "11nnnn+".
func looksLikeRecord(line string) bool {
	line = strings.TrimPrefix(line, "*")
	if len(line) < 8 {
		return false
	}

	first, _, _ := strings.Cut(line, " ")
	if len(first) != 15 && len(first) != 23 {
		return false
	}

	return isDigit(first[0]) && isDigit(first[1]) && (first[6] == '+' || first[6] == '-')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
