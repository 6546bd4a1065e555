package gsi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// TODO(formats): digital-level words (330-series staff readings) have 3-digit
// word indexes; they are read as their first two digits until levels are
// supported.

// parseWord decodes "WWWWWU±DDDDDDDD" (or 16 data characters).
func parseWord(f string) (word, error) {
	if len(f) < 8 {
		return word{}, errors.New("too short for a GSI word (expected 6-character word info, sign, data)")
	}

	if !isDigit(f[0]) || !isDigit(f[1]) {
		return word{}, errors.New("word info does not start with a 2-digit word index")
	}

	if f[6] != '+' && f[6] != '-' {
		return word{}, errors.New("expected '+' or '-' after the 6-character word info")
	}

	return word{
		wi:   int(f[0]-'0')*10 + int(f[1]-'0'),
		unit: f[5],
		neg:  f[6] == '-',
		data: f[7:],
	}, nil
}

// unpad removes the leading '0' padding of an id or code field.
func (rd *reader) unpad(s string) string {
	if rd.s.KeepPadding {
		return s
	}

	t := strings.TrimLeft(s, "0")
	if t == "" && s != "" {
		return "0"
	}

	if strings.HasPrefix(t, ".") {
		return "0" + t
	}

	return t
}

// length decodes a distance or coordinate word to metres.
func length(w *word) (float64, survey.Unit, error) {
	digits := strings.TrimLeft(w.data, "0")
	var n int64
	if digits != "" {
		v, err := strconv.ParseInt(digits, 10, 64)
		if err != nil || v < 0 {
			return 0, "", fmt.Errorf("word %d: data %q is not a whole number", w.wi, clip(w.data))
		}

		n = v
	}

	// The whole number is divided by a power of ten, which gives the float
	// nearest the decimal value (515836 mm is 515.836 m, where multiplying
	// by 0.001 gave 515.8360000000001); feet are then converted.
	div, toMetre := 0.0, 1.0
	unit := survey.Metre
	switch w.unit {
	case '0':
		div = 1e3
	case '1':
		div, toMetre, unit = 1e3, 0.3048, survey.Foot
	case '6':
		div = 1e4
	case '7':
		div, toMetre, unit = 1e4, 0.3048, survey.Foot
	case '8':
		div = 1e5
	default:
		return 0, "", fmt.Errorf("word %d: unit digit %q is not a length unit (expected 0, 1, 6, 7 or 8)",
			w.wi, w.unit)
	}

	v := float64(n) / div * toMetre
	if w.neg {
		v = -v
	}

	return v, unit, nil
}

// observationAttrs decodes the angles (decimal degrees) and distances
// (metres) of a record for Attrs; words that cannot be decoded are left out
// with a warning.
func (rd *reader) observationAttrs(rec *record) map[string]string {
	attrs := map[string]string{}
	for key, w := range map[string]*word{"hz": rec.hz, "v": rec.v} {
		if w == nil {
			continue
		}

		deg, err := angle(w)
		if err != nil {
			rd.warn(rec.line, fmt.Sprintf("point %q: %v; angle not kept", rec.id, err))

			continue
		}

		attrs[key] = strconv.FormatFloat(deg, 'f', 6, 64)
	}

	for key, w := range map[string]*word{"slopeDistance": rec.sd, "targetHeight": rec.th} {
		if w == nil {
			continue
		}

		if m, _, err := length(w); err == nil {
			attrs[key] = strconv.FormatFloat(m, 'f', 5, 64)
		}
	}

	if len(attrs) == 0 {
		return nil
	}

	return attrs
}

// angle decodes an angle word to decimal degrees from its unit digit:
// 2 gon, 3 decimal degrees, 4 packed ddd.mmss, all with 5 implied decimals,
// and 5 mil.
func angle(w *word) (float64, error) {
	n, err := strconv.ParseUint(strings.TrimLeft(w.data, "0")+"0", 10, 64)
	if err != nil {
		return 0, fmt.Errorf("word %d: data %q is not a whole number", w.wi, clip(w.data))
	}

	raw := float64(n/10) / 1e5
	var deg float64
	switch w.unit {
	case '2':
		deg = raw * 0.9
	case '3':
		deg = raw
	case '4':
		d := n / 10 / 100000
		m := n / 10 / 1000 % 100
		s := float64(n/10%1000) / 10
		if m >= 60 || s >= 60 {
			return 0, fmt.Errorf("word %d: %q is not ddd.mmss", w.wi, clip(w.data))
		}

		deg = float64(d) + float64(m)/60 + s/3600
	case '5':
		// TODO(formats): check the implied decimals of mil words against a real file.
		deg = float64(n/10) / 1e4 * 360 / 6400
	default:
		return 0, fmt.Errorf("word %d: unit digit %q is not an angle unit (expected 2, 3, 4 or 5)",
			w.wi, w.unit)
	}

	if w.neg {
		deg = -deg
	}

	return deg, nil
}
