// Package numtext writes the lengths of the format writers as text: with a
// fixed number of decimals when the user asks for one, otherwise in the
// fewest digits, without the last-digit noise a unit conversion leaves.
package numtext

import "strconv"

// AppendLength appends v, a length already in the output unit, to b. With
// dec > 0 it writes dec decimals; otherwise it writes the fewest digits that
// read back to v after [DropNoise]: the last-digit noise of a unit
// conversion or of arithmetic (a polar reduction, a scale on import) is not
// a digit the survey measured.
func AppendLength(b []byte, v float64, dec int) []byte {
	if dec > 0 {
		return strconv.AppendFloat(b, v, 'f', dec, 64)
	}

	v = DropNoise(v)

	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// DropNoise drops the last-digit noise that a unit conversion leaves
// (2000 usft read back as 2000.0000000000002): 15 significant digits are
// still far below a micrometre for any survey coordinate.
func DropNoise(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'e', 14, 64), 64)
	if err != nil {
		return v
	}

	return r
}
