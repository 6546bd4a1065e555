package landxml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/backsight/backsight/internal/survey"
)

// xPoint is a CgPoint, TargetPoint, Start, End, Center or PI element.
type xPoint struct {
	Name   string `xml:"name,attr"`
	Code   string `xml:"code,attr"`
	Desc   string `xml:"desc,attr"`
	PntRef string `xml:"pntRef,attr"`
	Text   string `xml:",chardata"`
}

// parseCoord reads "N E [Z]" text in file units.
func parseCoord(text string) (coord, error) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return coord{}, nil
	}

	if len(f) == 1 {
		return coord{}, fmt.Errorf("%q has 1 value (expected N E [Z])", clip(text))
	}

	var c coord
	var vals [3]float64
	for i := 0; i < len(f) && i < 3; i++ {
		v, err := parseNum(f[i])
		if err != nil || math.IsInf(v, 0) {
			return coord{}, fmt.Errorf("%q (expected N E [Z] numbers)", clip(text))
		}

		vals[i] = v
	}

	c.n, c.e, c.z, c.hasZ, c.ok = vals[0], vals[1], vals[2], len(f) >= 3, true

	return c, nil
}

// addPoint adds a point from an xPoint, or queues its pntRef.
func (rd *reader) addPoint(x *xPoint, id, code, elem string, line int, attrs map[string]string) {
	c, err := parseCoord(x.Text)
	if err != nil {
		rd.warn(line, elem, "point %q: %v; skipped", clip(id), err)

		return
	}

	if !c.ok && x.PntRef == "" {
		rd.warn(line, elem, "point %q has no coordinates and no pntRef; skipped", clip(id))

		return
	}

	p := survey.Point{ID: id, Code: code, E: c.e, N: c.n, Z: c.z, HasZ: c.hasZ, Attrs: attrs}
	if x.Desc != "" && code != x.Desc {
		if p.Attrs == nil {
			p.Attrs = map[string]string{}
		}

		p.Attrs["desc"] = x.Desc
	}

	rd.ds.Points = append(rd.ds.Points, p)
	idx := len(rd.ds.Points) - 1
	if !c.ok {
		rd.refs = append(rd.refs, pendingRef{index: idx, ref: x.PntRef, line: line})

		return
	}

	if _, dup := rd.cg[id]; !dup && id != "" {
		rd.cg[id] = idx
	}
}

// text reads the character data of the element t up to its end, skipping
// nested elements; it is a faster DecodeElement for the hot elements.
func (rd *reader) text(t xml.StartElement) (string, error) {
	var sb []byte
	depth := 0
	for {
		tok, err := rd.dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", rd.fail(t.Name.Local, "unexpected end of file inside <"+t.Name.Local+">", nil)
			}

			return "", err
		}

		switch x := tok.(type) {
		case xml.CharData:
			if depth == 0 {
				sb = append(sb, x...)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return string(sb), nil
			}

			depth--
		}
	}
}

func (rd *reader) cgPoint(t xml.StartElement) error {
	line := rd.line()
	x := xPoint{
		Name: attr(t, "name"), Code: attr(t, "code"), Desc: attr(t, "desc"), PntRef: attr(t, "pntRef"),
	}

	var err error
	if x.Text, err = rd.text(t); err != nil {
		return err
	}

	code := x.Code
	if code == "" {
		code = x.Desc
	}

	rd.addPoint(&x, x.Name, code, "CgPoint", line, nil)

	return nil
}

// xRawObs is a Survey RawObservation.
type xRawObs struct {
	HorizAngle  string  `xml:"horizAngle,attr"`
	ZenithAngle string  `xml:"zenithAngle,attr"`
	SetupID     string  `xml:"setupID,attr"`
	Target      *xPoint `xml:"TargetPoint"`
	Features    []struct {
		Props []struct {
			Label string `xml:"label,attr"`
			Value string `xml:"value,attr"`
		} `xml:"Property"`
	} `xml:"Feature"`
}

func (rd *reader) rawObservation(t xml.StartElement) error {
	line := rd.line()
	var x xRawObs
	if err := rd.dec.DecodeElement(&x, &t); err != nil {
		return err
	}

	tp := x.Target
	if tp == nil || (strings.TrimSpace(tp.Text) == "" && tp.PntRef == "") {
		rd.ds.Observations++

		return nil
	}

	id, code := tp.Name, tp.Code
	if id == "" {
		id = tp.Desc
	}

	attrs := map[string]string{"role": "observed"}
	if x.SetupID == "" && rd.parent() == "ObservationGroup" {
		x.SetupID = rd.stack[len(rd.stack)-1].code
	}

	if x.SetupID != "" {
		attrs["setupID"] = x.SetupID
	}

	for _, f := range x.Features {
		for _, p := range f.Props {
			if p.Label != "" {
				attrs[p.Label] = p.Value
			}

			if code == "" && strings.TrimSpace(p.Value) != "" {
				code = p.Value
			}
		}
	}

	for key, v := range map[string]string{"horizAngle": x.HorizAngle, "zenithAngle": x.ZenithAngle} {
		if v == "" {
			continue
		}

		deg, err := toDegrees(v, rd.angular)
		if err != nil {
			rd.warn(line, "RawObservation", "%s: %v; not kept", key, err)

			continue
		}

		attrs[key+"Deg"] = strconv.FormatFloat(deg, 'f', 8, 64)
		if rd.angular != "" {
			attrs["angularUnit"] = rd.angular
		}
	}

	if tp.Name == "" {
		tp.Desc = "" // the desc is the id; do not repeat it as an attribute
	}

	rd.addPoint(tp, id, code, "TargetPoint", line, attrs)

	return nil
}
