package gsi

import (
	"fmt"
	"math"

	"github.com/backsight/backsight/internal/survey"
)

// setup is a station setup: the station's coordinates and the instrument
// height that the following observations are reduced from.
type setup struct {
	id      string
	e, n, h float64
	hasEN   bool
	hasH    bool
	ih      float64
}

// shot is a decoded polar observation: bearing and horizontal distance in
// the station's plane, and the height difference from the instrument axis
// to the target when the record gives one.
type shot struct {
	id, code string
	az       float64 // radians, clockwise from grid north
	hd       float64 // metres, > 0
	dh       float64 // metres, instrument axis to target
	hasDH    bool
	th       float64 // target height, metres
	attrs    map[string]string
}

// polarStats counts the observations that gave no point, by reason.
type polarStats struct {
	noDistance    int // zero or missing distance: station and backsight shots
	incomplete    int // no Hz, or a slope distance without a zenith angle
	beforeStation int // read before the first setup of a file that has setups
	noStationEN   int // the setup has no easting and northing
}

// reducing reports whether observations are reduced at this point of the
// file.
func (rd *reader) reducing() bool {
	switch rd.s.Polar {
	case PolarOn:
		return true
	case PolarAuto:
		return rd.coordRecs == 0
	default:
		return false
	}
}

// coordinateRecord notes a record with coordinates. With PolarAuto the
// first one ends the reduction: the points already reduced are removed and
// their observations only counted.
func (rd *reader) coordinateRecord() {
	rd.coordRecs++
	if rd.coordRecs > 1 || rd.s.Polar != PolarAuto {
		return
	}

	if len(rd.reduced) > 0 {
		keep := rd.ds.Points[:0]
		next := 0
		for i, p := range rd.ds.Points {
			if next < len(rd.reduced) && rd.reduced[next] == i {
				next++

				continue
			}

			keep = append(keep, p)
		}

		rd.ds.Points = keep
	}

	rd.made, rd.reduced, rd.pending, rd.pol = 0, nil, nil, polarStats{}
}

// setStation starts a station setup from a station record, or completes the
// current one: consecutive station records (a 41 code block followed by
// 84–86 and 88 records, say) describe one setup, and a record naming the
// current station again keeps the words it does not repeat.
func (rd *reader) setStation(rec *record, id string) {
	next := setup{id: id}
	if cur := rd.setup; cur != nil && (rd.prevStation || id == "" || id == cur.id) {
		next = *cur
		if id != "" {
			next.id = id
		}
	} else {
		rd.th = 0
	}

	if rec.stn[0] != nil || rec.stn[1] != nil {
		next.e, next.n, next.hasEN = rd.stationEN(rec, id)
	}

	if v, ok := rd.stationLength(rec.line, id, rec.stn[2]); ok {
		next.h, next.hasH = v, true
	}

	if v, ok := rd.stationLength(rec.line, id, rec.ih); ok {
		next.ih = v
	}

	if v, ok := rd.stationLength(rec.line, id, rec.th); ok {
		rd.th = v
	}

	rd.setup = &next
}

// stationLength decodes a height word of a station record; ok is false when
// the word is absent or cannot be decoded (with a warning).
func (rd *reader) stationLength(line int, id string, w *word) (float64, bool) {
	if w == nil {
		return 0, false
	}

	v, _, err := length(w)
	if err != nil {
		rd.warn(line, fmt.Sprintf("station %q: %v; word ignored", id, err))

		return 0, false
	}

	return v, true
}

// stationEN decodes the station's easting and northing (words 84 and 85).
// All-zero words are the instrument's local origin, a real setup, unlike
// all-zero target coordinates.
func (rd *reader) stationEN(rec *record, id string) (e, n float64, ok bool) {
	if rec.stn[0] == nil || rec.stn[1] == nil {
		rd.warn(rec.line, fmt.Sprintf("station %q: easting or northing word missing", id))

		return 0, 0, false
	}

	var vals [2]float64
	for i, w := range rec.stn[:2] {
		v, unit, err := length(w)
		if err != nil {
			rd.warn(rec.line, fmt.Sprintf("station %q: %v", id, err))

			return 0, 0, false
		}

		rd.noteUnit(unit)
		vals[i] = v
	}

	if rd.s.LeftHanded {
		return vals[1], vals[0], true
	}

	return vals[0], vals[1], true
}

// noteUnit keeps the first length unit seen as the dataset's source unit.
func (rd *reader) noteUnit(u survey.Unit) {
	if !rd.unitSeen {
		rd.ds.SourceUnit, rd.unitSeen = u, true
	}
}

// targetHeight carries a record's target height (87) to later shots that
// do not repeat it.
func (rd *reader) targetHeight(rec *record) {
	if v, _, err := length(rec.th); err == nil {
		rd.th = v
	}
}

// addShot reduces an observation record without coordinates, or keeps it
// for the end of the file when no station has been set up yet.
func (rd *reader) addShot(rec *record) {
	if !rd.reducing() {
		return
	}

	sh, ok := rd.decodeShot(rec)
	if !ok {
		return
	}

	if rd.setup == nil {
		rd.pending = append(rd.pending, sh)

		return
	}

	rd.place(rd.setup, sh)
}

// place adds the point that sh gives from st.
func (rd *reader) place(st *setup, sh shot) {
	if !st.hasEN {
		rd.pol.noStationEN++

		return
	}

	p := survey.Point{
		ID: sh.id, Code: sh.code, Attrs: sh.attrs,
		E: st.e + sh.hd*math.Sin(sh.az),
		N: st.n + sh.hd*math.Cos(sh.az),
	}
	if st.hasH && sh.hasDH {
		p.Z, p.HasZ = st.h+st.ih+sh.dh-sh.th, true
	}

	if rd.s.Polar == PolarAuto {
		rd.reduced = append(rd.reduced, len(rd.ds.Points))
	}

	rd.ds.Points = append(rd.ds.Points, p)
	rd.made++
}

// decodeShot decodes the angles and distances of an observation record; ok
// is false (and the reason counted or warned about) when it gives no point.
func (rd *reader) decodeShot(rec *record) (sh shot, ok bool) {
	var err error
	lengthOf := func(w *word) float64 {
		if w == nil || err != nil {
			return 0
		}

		v, unit, e := length(w)
		if e == nil && (w.wi == 31 || w.wi == 32) {
			rd.noteUnit(unit)
		}

		err = e

		return v
	}
	angleOf := func(w *word) float64 {
		if w == nil || err != nil {
			return 0
		}

		deg, e := angle(w)
		err = e

		return deg * math.Pi / 180
	}

	sd, hd, dh33 := lengthOf(rec.sd), lengthOf(rec.hd), lengthOf(rec.dh)
	hz, v := angleOf(rec.hz)+angleOf(rec.hzc), angleOf(rec.v)
	th := rd.th
	if rec.th != nil {
		th = lengthOf(rec.th)
	}

	switch {
	case err != nil:
		rd.warn(rec.line, fmt.Sprintf("observation %q: %v; not reduced", rec.id, err))

		return sh, false
	case sd < 0 || hd < 0:
		rd.warn(rec.line, fmt.Sprintf("observation %q: negative distance; not reduced", rec.id))

		return sh, false
	case rec.hd == nil && rec.sd != nil && rec.v != nil:
		hd = sd * math.Abs(math.Sin(v))
	case rec.hd == nil && rec.sd != nil:
		rd.pol.incomplete++

		return sh, false
	}

	switch {
	case hd == 0:
		rd.pol.noDistance++

		return sh, false
	case rec.hz == nil:
		rd.pol.incomplete++

		return sh, false
	case rec.id == "":
		rd.warn(rec.line, "observation without a point id (word 11); not reduced")

		return sh, false
	}

	sh = shot{id: rec.id, code: rec.code, az: hz, hd: hd, th: th}
	if sh.code == "" {
		sh.code = rec.code41
	}

	// Face II: the zenith angle is past 200 gon and Hz reads half a turn
	// from the target's bearing.
	sinV := math.Sin(v)
	if rec.v != nil && sinV < 0 {
		sh.az += math.Pi
	}

	switch {
	case rec.sd != nil && rec.v != nil:
		sh.dh, sh.hasDH = sd*math.Cos(v), true
	case rec.dh != nil:
		sh.dh, sh.hasDH = dh33, true
	case rec.v != nil && sinV != 0:
		sh.dh, sh.hasDH = hd*math.Cos(v)/math.Abs(sinV), true
	}

	if rd.s.KeepObservations {
		sh.attrs = rd.observationAttrs(rec)
	}

	return sh, true
}

// finishPolar reduces the shots read before any station when the file has
// none, from the assumed station, and adds the summary warnings.
func (rd *reader) finishPolar() {
	if len(rd.pending) > 0 && len(rd.stations) == 0 {
		before := rd.made
		assumed := &setup{hasEN: true, hasH: true}
		for _, sh := range rd.pending {
			rd.place(assumed, sh)
		}

		rd.ds.Warnings = append(rd.ds.Warnings, survey.Warning{File: rd.name, Msg: fmt.Sprintf(
			"no station record (words 84-88): %s reduced from an assumed station "+
				"at E 0, N 0, H 0 (instrument height 0) with Hz taken as the bearing; the "+
				"coordinates are local to that station", observations(rd.made-before))})
	} else {
		rd.pol.beforeStation += len(rd.pending)
	}

	rd.pending = nil
	for _, c := range []struct {
		n   int
		msg string
	}{
		{rd.pol.noDistance, "with a zero or missing distance (station or backsight shots)"},
		{rd.pol.incomplete, "without Hz, or with a slope distance but no zenith angle,"},
		{rd.pol.beforeStation, "read before the first station setup (station unknown)"},
		{rd.pol.noStationEN, "from station setups without coordinates (words 84/85)"},
	} {
		if c.n > 0 {
			rd.ds.Warnings = append(rd.ds.Warnings, survey.Warning{File: rd.name,
				Msg: fmt.Sprintf("%s %s %s", observations(c.n), c.msg, notPoints(c.n))})
		}
	}

	unreduced := rd.obsRecs - rd.made
	if rd.reducing() || unreduced == 0 || len(rd.ds.Points) == 0 {
		return
	}

	msg := fmt.Sprintf("%s without coordinates not reduced (polar reduction off); %s",
		observations(unreduced), polarHint(PolarOn))
	if rd.s.Polar == PolarAuto {
		msg = fmt.Sprintf("%s without coordinates not reduced: the file has coordinates "+
			"of its own (polar reduction auto); %s", observations(unreduced), polarHint(PolarOn))
	}

	rd.ds.Warnings = append(rd.ds.Warnings, survey.Warning{File: rd.name, Msg: msg})
}

// polarHint tells the user how to have observations reduced to points: the
// import setting that does it, as the window names it, and the command
// line's flag. want is the mode that reduces them in their file: auto when
// it has no coordinates of its own, else on.
func polarHint(want PolarMode) string {
	if want == PolarAuto {
		return "to reduce them to points, set Polar observations to \"Reduce to points " +
			"when the file has no coordinates\" (--gsi-polar auto)"
	}

	return "to reduce them to points, set Polar observations to \"Always reduce to " +
		"points\" (--gsi-polar on)"
}

// observations counts observations in words: "1 observation", "3 observations".
func observations(n int) string {
	return survey.Plural(n, "observation", "observations")
}

// notPoints ends a sentence about n observations: "is not a point" or "are
// not points".
func notPoints(n int) string {
	if n == 1 {
		return "is not a point"
	}

	return "are not points"
}
