// Package landxml reads LandXML 1.0, 1.1 and 1.2 files (and files with no
// namespace) and writes LandXML 1.2.
//
// The reader streams the document with xml.Decoder.Token and decodes one
// element at a time, so the whole tree is never held. It collects every
// CgPoint wherever it sits, observed TargetPoints that carry coordinates,
// TIN surfaces, and the Line, Curve and Spiral geometry of PlanFeatures,
// Alignments and Parcels as lines. Coordinates (N E Z in the file) are
// converted to metres from the file's Units.
//
// Observed points: a Survey RawObservation whose TargetPoint carries
// coordinates becomes a point with id from the TargetPoint name (else its
// desc), code from its code attribute (else the first non-empty
// Feature/Property value) and Attrs["role"] = "observed", plus its angles
// converted to decimal degrees. A RawObservation without target coordinates
// is counted in Dataset.Observations.
package landxml

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// Namespace12 is the LandXML 1.2 namespace the writer uses.
const Namespace12 = "http://www.landxml.org/schema/LandXML-1.2"

// ReadSettings tunes the reader. The zero value is ready to use.
type ReadSettings struct {
	// ArcTolerance is the largest distance in metres between an arc or
	// spiral and the chords that replace it; 0 means 0.005 m.
	ArcTolerance float64
	// DefaultUnit is the linear unit assumed when the file has no Units
	// element; "" means metres.
	DefaultUnit survey.Unit
}

// WriteSettings tunes the writer. The zero value writes metres with the
// shortest exact decimals and a fixed date, so output is deterministic.
type WriteSettings struct {
	// Unit is the linear unit written (Metric meter, Imperial foot or
	// USSurveyFoot); "" means metres.
	Unit survey.Unit
	// Date and Time fill the root date ("2006-01-02") and time ("15:04:05")
	// attributes. Empty values give "1970-01-01" and "00:00:00"; pass the
	// project time, never time.Now, to keep exports reproducible.
	Date, Time string
	// Application is the Application name; "" means "Backsight".
	Application string
	// ApplicationVersion is the Application version attribute.
	ApplicationVersion string
	// Project is the Project name; "" leaves the Project element out.
	Project string
	// Decimals is the number of decimals written for coordinates; 0 writes
	// the shortest text that reads back to the same float64.
	Decimals int
}

// Sniff returns a 0..100 confidence that head (the first bytes of the file
// called name) is LandXML.
func Sniff(name string, head []byte) int {
	ext := 0
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".xml") || strings.HasSuffix(lower, ".landxml") {
		ext = 10
	}

	h := head
	if len(h) > 8192 {
		h = h[:8192]
	}

	switch {
	case bytes.Contains(h, []byte("<LandXML")):
		return 90 + ext
	case bytes.Contains(h, []byte("landxml.org/schema")):
		return 80 + ext
	case bytes.Contains(h, []byte("<?xml")) && ext > 0:
		return 20
	}

	return 0
}

// linearUnit maps a LandXML linearUnit value to metres per unit and the
// survey.Unit recorded as the source unit.
func linearUnit(v string, imperial bool) (float64, survey.Unit, bool) {
	key := strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "").Replace(v))
	switch key {
	case "":
		if imperial {
			return 0.3048, survey.Foot, true
		}

		return 1, survey.Metre, true
	case "meter", "metre", "meters", "metres", "m":
		return 1, survey.Metre, true
	case "millimeter", "millimetre", "mm":
		return 1e-3, survey.Metre, true
	case "centimeter", "centimetre", "cm":
		return 1e-2, survey.Metre, true
	case "kilometer", "kilometre", "km":
		return 1e3, survey.Metre, true
	case "foot", "feet", "ft", "internationalfoot", "intlfoot":
		return 0.3048, survey.Foot, true
	case "ussurveyfoot", "ussurveyfeet", "usfoot", "usfeet", "surveyfoot", "usft":
		return 1200.0 / 3937.0, survey.USSurveyFoot, true
	case "inch", "in":
		return 0.0254, survey.Foot, true
	case "mile":
		return 1609.344, survey.Foot, true
	}

	return 1, survey.Metre, false
}

// normaliseAngular collapses whitespace and case in an angularUnit or
// directionUnit value ("decimal  dd.mm.ss" becomes "decimal dd.mm.ss").
func normaliseAngular(v string) string {
	return strings.ToLower(strings.Join(strings.Fields(v), " "))
}

// toDegrees converts an angle written in unit (a normalised LandXML angular
// unit) to decimal degrees.
func toDegrees(text, unit string) (float64, error) {
	text = strings.TrimSpace(text)
	if unit == "decimal dd.mm.ss" {
		return dmsToDegrees(text)
	}

	v, err := parseNum(text)
	if err != nil {
		return 0, err
	}

	switch unit {
	case "grads", "grad", "gon", "gons":
		return v * 0.9, nil
	case "radians", "radian":
		return v * 180 / math.Pi, nil
	case "", "decimal degrees", "degrees":
		return v, nil
	}

	return 0, fmt.Errorf("unknown angular unit %q", unit)
}

// dmsToDegrees reads packed "ddd.mmss[s…]" text.
func dmsToDegrees(text string) (float64, error) {
	neg := strings.HasPrefix(text, "-")
	text = strings.TrimLeft(text, "+-")
	deg, frac, _ := strings.Cut(text, ".")
	d, err := strconv.ParseUint(deg, 10, 32)
	if err != nil && deg != "" {
		return 0, fmt.Errorf("angle %q is not ddd.mmss", text)
	}

	frac += "0000"
	m, err1 := strconv.ParseUint(frac[:2], 10, 8)
	s, err2 := strconv.ParseFloat(frac[2:4]+"."+frac[4:], 64)
	if err1 != nil || err2 != nil || m >= 60 || s >= 60 {
		return 0, fmt.Errorf("angle %q is not ddd.mmss", text)
	}

	v := float64(d) + float64(m)/60 + s/3600
	if neg {
		v = -v
	}

	return v, nil
}

// parseNum reads a number as LandXML writers produce it: surrounding spaces,
// "0." and "INF" (which is returned as +Inf).
func parseNum(s string) (float64, error) {
	s = strings.TrimSpace(s)
	switch strings.ToUpper(s) {
	case "INF", "+INF", "INFINITY":
		return math.Inf(1), nil
	case "-INF", "-INFINITY":
		return math.Inf(-1), nil
	}

	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) {
		return 0, fmt.Errorf("%q is not a number", clip(s))
	}

	return v, nil
}

// clip shortens s for messages.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}

	return s
}
