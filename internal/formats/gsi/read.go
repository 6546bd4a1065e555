package gsi

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/backsight/backsight/internal/formats/internal/textline"
	"github.com/backsight/backsight/internal/survey"
)

// maxLine is the longest record the reader accepts. Real records are under
// 300 bytes; the limit only stops a hostile file from exhausting memory.
const maxLine = 1 << 20

// ctxEvery is how many records pass between context checks.
const ctxEvery = 4096

// word is one decoded GSI word.
type word struct {
	wi   int    // word index: 11, 21, 81…
	unit byte   // unit digit (character 6 of the word info)
	neg  bool   // sign was '-'
	data string // data characters after the sign
}

// record holds the words of one line that the reader uses.
type record struct {
	line   int
	id     string
	code   string
	coords [3]*word // 81, 82, 83
	stn    [3]*word // 84, 85, 86
	has41  bool
	obs    bool // any of 21, 22, 31, 32, 33
	infos  []string
	code41 string
	hz, v  *word // 21, 22
	hzc    *word // 25, Hz orientation correction
	sd, hd *word // 31, 32
	dh     *word // 33
	th, ih *word // 87, 88
}

// reader carries the state of one Read call.
type reader struct {
	name     string
	s        ReadSettings
	ds       *survey.Dataset
	stations []string
	zeros    int
	zeroObs  int // zero placeholders with observations, not reduced
	unitSeen bool
	rec      record // reused for every line
	words    []word // backing store for the words of the current record

	// Polar reduction (polar.go).
	setup       *setup     // current station setup; nil before the first
	prevStation bool       // the previous record was a station record
	th          float64    // target height (87) carried to shots without one
	coordRecs   int        // records with 81/82 words
	obsRecs     int        // records with observations and no coordinates
	made        int        // points reduced from observations
	reduced     []int      // their indexes in ds.Points (PolarAuto only)
	pending     []shot     // shots read before any station setup
	pol         polarStats // shots that gave no point, by reason
}

// Read parses a GSI-8 or GSI-16 file. name is used in errors and warnings.
// Coordinates are converted to metres. See the package documentation for the
// handling of ids, stations and observation-only files.
func Read(ctx context.Context, r io.Reader, name string, s ReadSettings) (*survey.Dataset, error) {
	rd := &reader{name: name, s: s, ds: &survey.Dataset{}}

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	sc.Split(textline.Split)

	line := 0
	for sc.Scan() {
		line++
		if line%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}

		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}

		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}

		rec, err := rd.parseRecord(line, text)
		if err != nil {
			rd.ds.Warnings = append(rd.ds.Warnings, survey.Warning{
				File: name, Line: line, Msg: err.Error() + "; record skipped",
			})

			continue
		}

		rd.addRecord(rec)
	}

	if err := sc.Err(); err != nil {
		msg := "reading records"
		if errors.Is(err, bufio.ErrTooLong) {
			msg = fmt.Sprintf("record longer than %d bytes (expected GSI records)", maxLine)
		}

		return nil, &survey.ParseError{File: name, Line: line + 1, Msg: msg, Err: err}
	}

	return rd.finish()
}

// finish adds the summary warnings and decides whether the file is usable.
func (rd *reader) finish() (*survey.Dataset, error) {
	ds := rd.ds
	rd.finishPolar()
	ds.Observations = rd.obsRecs - rd.made
	if rd.zeros > 0 {
		ds.Warnings = append(ds.Warnings, survey.Warning{File: rd.name, Msg: fmt.Sprintf(
			"%s with all-zero coordinates read as \"no coordinates\", not imported",
			survey.Plural(rd.zeros, "record", "records"))})
	}

	if len(rd.stations) > 0 {
		msg := fmt.Sprintf("%s read (%s)",
			survey.Plural(len(rd.stations), "station setup", "station setups"),
			summariseIDs(rd.stations))
		if !rd.s.StationsAsPoints {
			msg += "; stations are not imported as points"
		}

		ds.Warnings = append(ds.Warnings, survey.Warning{File: rd.name, Msg: msg})
	}

	if len(ds.Points) > 0 {
		if !rd.unitSeen {
			ds.SourceUnit = survey.Metre
		}

		return ds, nil
	}

	if ds.Observations > 0 {
		hint := "none of them gives a point (see the other warnings)"
		switch {
		case rd.s.Polar == PolarOff:
			hint = "polar reduction is off; " + polarHint(PolarAuto) +
				": they are computed from their station, or an assumed one"
		case !rd.reducing():
			hint = "they were not reduced because the file has coordinate records; " +
				polarHint(PolarOn)
		}

		ds.Warnings = append(ds.Warnings, survey.Warning{File: rd.name, Msg: fmt.Sprintf(
			"file holds %s (angles and distances) and no coordinates; %s",
			survey.Plural(ds.Observations, "raw observation", "raw observations"), hint)})

		msg := fmt.Sprintf("%s and no coordinate records (expected words 81/82)",
			survey.Plural(ds.Observations, "raw observation", "raw observations"))
		if rd.s.Polar == PolarOff {
			msg += "; polar reduction is off: " + polarHint(PolarAuto)
		}

		return ds, &survey.ParseError{File: rd.name, Msg: msg, Err: ErrObservationsOnly}
	}

	msg := "no coordinate records (expected words 81/82 or 84/85)"
	if rd.zeros > 0 {
		msg = fmt.Sprintf("all %d coordinate records hold zero placeholders", rd.zeros)
		if rd.zeros == 1 {
			msg = "the only coordinate record holds zero placeholders"
		}
	}

	// Placeholders that carry observations were not reduced: polar reduction
	// off, or auto after a coordinate record that gave no point.
	if rd.zeroObs > 0 {
		zeroWant := PolarAuto // placeholders are no coordinates for auto
		if rd.s.Polar == PolarAuto {
			zeroWant = PolarOn // auto stopped at a coordinate record that gave no point
		}
		msg += fmt.Sprintf("; the file holds %s (angles and distances): %s",
			observations(rd.zeroObs), polarHint(zeroWant))
	}

	return ds, &survey.ParseError{File: rd.name, Msg: msg, Err: ErrNoRecords}
}

// summariseIDs lists the distinct ids in order of first appearance.
func summariseIDs(ids []string) string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}

	if len(out) > 10 {
		out = append(out[:10], "…")
	}

	return strings.Join(out, ", ")
}

// parseRecord splits a line into words and keeps the ones the reader uses.
func (rd *reader) parseRecord(line int, text string) (*record, error) {
	text = strings.TrimPrefix(text, "*")
	rec := &rd.rec
	*rec = record{line: line, infos: rec.infos[:0]}
	rd.words = rd.words[:0]
	for i := 1; ; i++ {
		text = strings.TrimLeft(text, " \t")
		if text == "" {
			break
		}

		f := text
		if end := strings.IndexAny(text, " \t"); end >= 0 {
			f, text = text[:end], text[end:]
		} else {
			text = ""
		}

		parsed, err := parseWord(f)
		if err != nil {
			return nil, fmt.Errorf("word %d %q: %w", i, clip(f), err)
		}

		// Pointers into rd.words stay valid when append moves the slice: the
		// old array keeps its values.
		rd.words = append(rd.words, parsed)
		w := &rd.words[len(rd.words)-1]

		switch {
		case w.wi == 11:
			rec.id = rd.unpad(w.data)
		case w.wi == 71:
			rec.code = rd.unpad(w.data)
		case w.wi == 41:
			rec.has41, rec.code41 = true, rd.unpad(w.data)
		case w.wi >= 42 && w.wi <= 49:
			rec.infos = append(rec.infos, rd.unpad(w.data))
		case w.wi >= 81 && w.wi <= 83:
			rec.coords[w.wi-81] = w
		case w.wi >= 84 && w.wi <= 86:
			rec.stn[w.wi-84] = w
		case w.wi == 88:
			rec.ih = w
		case w.wi == 25:
			rec.hzc = w
		case w.wi == 21 || w.wi == 22 || (w.wi >= 31 && w.wi <= 33):
			rec.obs = true
			switch w.wi {
			case 21:
				rec.hz = w
			case 22:
				rec.v = w
			case 31:
				rec.sd = w
			case 32:
				rec.hd = w
			case 33:
				rec.dh = w
			}
		case w.wi == 87:
			rec.th = w
		}
	}

	return rec, nil
}

// addRecord turns a record into a point, a station or an observation.
func (rd *reader) addRecord(rec *record) {
	hasCoords := rec.coords[0] != nil || rec.coords[1] != nil
	isStation := rec.stn[0] != nil || rec.stn[1] != nil || rec.stn[2] != nil || rec.ih != nil ||
		rec.has41
	if isStation && !hasCoords {
		rd.addStation(rec)
		rd.prevStation = true

		return
	}

	rd.prevStation = false
	if rec.th != nil {
		rd.targetHeight(rec)
	}

	switch {
	case hasCoords && rd.placeholder(rec):
		rd.addPlaceholder(rec)
	case hasCoords:
		rd.coordinateRecord()
		rd.addPoint(rec)
	case rec.obs:
		rd.obsRecs++
		rd.addShot(rec)
	default:
		rd.warn(rec.line, "record has no coordinate, station or observation words; skipped")
	}
}

// placeholder reports a record whose coordinate words are the all-zero
// "no coordinates" placeholder (see [reader.triple]).
func (rd *reader) placeholder(rec *record) bool {
	for _, w := range rec.coords {
		if w != nil && strings.TrimLeft(w.data, "0") != "" {
			return false // the common case, decided without decoding
		}
	}

	_, zero, err := rd.triple(rec, rec.coords)

	return err == nil && zero
}

// addPlaceholder handles a record with placeholder coordinates, which is not
// a coordinate record: its observations are reduced like any shot without
// coordinates when the reduction is on; otherwise it is counted and reported
// as a zero placeholder.
func (rd *reader) addPlaceholder(rec *record) {
	if rec.obs && rd.reducing() {
		rd.obsRecs++
		rd.addShot(rec)

		return
	}

	if rec.obs {
		rd.zeroObs++
	}

	rd.addPoint(rec)
}

func (rd *reader) warn(line int, msg string) {
	rd.ds.Warnings = append(rd.ds.Warnings, survey.Warning{File: rd.name, Line: line, Msg: msg})
}

// triple decodes E, N and an optional H word; ok is false when the record
// cannot be used, zero is true for an all-zero placeholder.
func (rd *reader) triple(rec *record, ws [3]*word) (p survey.Point, zero bool, err error) {
	if ws[0] == nil || ws[1] == nil {
		return p, false, errors.New("easting or northing word missing")
	}

	var vals [3]float64
	for i, w := range ws {
		if w == nil {
			continue
		}

		v, unit, err := length(w)
		if err != nil {
			return p, false, err
		}

		if !rd.unitSeen {
			rd.ds.SourceUnit, rd.unitSeen = unit, true
		}

		vals[i] = v
	}

	// All-zero E, N (and H when written) is the instruments' "no
	// coordinates" placeholder. A point at 0,0 with a height is a real point
	// (a local grid's origin), not a placeholder.
	if vals[0] == 0 && vals[1] == 0 && (ws[2] == nil || vals[2] == 0) {
		return p, true, nil
	}

	p = survey.Point{ID: rec.id, Code: rec.code, E: vals[0], N: vals[1]}
	if p.Code == "" {
		p.Code = rec.code41
	}

	if rd.s.LeftHanded {
		p.E, p.N = p.N, p.E
	}

	if ws[2] != nil {
		p.Z, p.HasZ = vals[2], true
	}

	return p, false, nil
}

func (rd *reader) addPoint(rec *record) {
	p, zero, err := rd.triple(rec, rec.coords)
	switch {
	case err != nil:
		rd.warn(rec.line, fmt.Sprintf("point %q: %v; skipped", rec.id, err))
	case zero:
		rd.zeros++
		rd.warn(rec.line, fmt.Sprintf("point %q has all-zero coordinates (no coordinates); not imported",
			rec.id))
	case rec.id == "":
		rd.warn(rec.line, "coordinate record without a point id (word 11); skipped")
	default:
		if rd.s.KeepObservations {
			p.Attrs = rd.observationAttrs(rec)
		}

		rd.ds.Points = append(rd.ds.Points, p)
	}
}

func (rd *reader) addStation(rec *record) {
	id := rec.id
	if id == "" && len(rec.infos) > 0 {
		id = rec.infos[0]
	}

	rd.stations = append(rd.stations, id)
	rd.setStation(rec, id)
	if !rd.s.StationsAsPoints || rec.stn[0] == nil {
		return
	}

	p, zero, err := rd.triple(rec, rec.stn)
	if err != nil || zero || id == "" {
		return
	}

	p.ID = id
	p.Attrs = map[string]string{"role": "station"}
	rd.ds.Points = append(rd.ds.Points, p)
}

// clip shortens s for messages.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}

	return s
}
