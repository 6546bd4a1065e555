package landxml

import (
	"encoding/xml"
	"fmt"
	"math"
	"strings"
)

// beginLine opens a CoordGeom named after its PlanFeature, Alignment or Parcel.
func (rd *reader) beginLine() {
	l := &rawLine{line: rd.line()}
	for i := len(rd.stack) - 1; i >= 0; i-- {
		f := rd.stack[i]
		switch f.local {
		case "PlanFeature", "Parcel":
			l.name, l.code = f.name, f.code
			if l.code == "" && i > 0 {
				l.code = rd.stack[i-1].name // the PlanFeatures or Parcels collection
			}
		case "Alignment":
			l.name, l.code = f.name, f.code
			if l.code == "" {
				l.code = "Alignment"
			}
		default:
			continue
		}

		break
	}

	rd.cur = l
}

// xSeg is a Line, Curve or Spiral element.
type xSeg struct {
	Rot       string  `xml:"rot,attr"`
	PntList2D string  `xml:"PntList2D"`
	PntList3D string  `xml:"PntList3D"`
	Start     *xPoint `xml:"Start"`
	End       *xPoint `xml:"End"`
	Center    *xPoint `xml:"Center"`
	PI        *xPoint `xml:"PI"`
}

func (rd *reader) segment(t xml.StartElement) error {
	line := rd.line()
	switch t.Name.Local {
	case "Line", "Curve", "Spiral", "IrregularLine":
	default:
		// TODO(formats): Chain (lists of pntRefs) when a sample has one.
		rd.skipped[t.Name.Local]++

		return rd.dec.Skip()
	}

	var x xSeg
	if err := rd.dec.DecodeElement(&x, &t); err != nil {
		return err
	}

	sg := seg{kind: t.Name.Local, rot: strings.ToLower(strings.TrimSpace(x.Rot)), line: line}
	for _, p := range []struct {
		x   *xPoint
		dst *coord
	}{{x.Start, &sg.start}, {x.End, &sg.end}, {x.Center, &sg.center}, {x.PI, &sg.pi}} {
		if p.x == nil {
			continue
		}

		c, err := parseCoord(p.x.Text)
		if err != nil {
			rd.warn(line, t.Name.Local, "%v; segment skipped", err)

			return nil
		}

		if !c.ok {
			c.ref = p.x.PntRef
		}

		*p.dst = c
	}

	if x.PntList3D != "" || x.PntList2D != "" {
		list, err := parseList(x.PntList2D, x.PntList3D)
		if err != nil {
			rd.warn(line, t.Name.Local, "%v; segment skipped", err)

			return nil
		}

		sg.list = list
		if !sg.start.ok && sg.start.ref == "" && len(list) > 0 {
			sg.start = list[0]
		}

		if !sg.end.ok && sg.end.ref == "" && len(list) > 0 {
			sg.end = list[len(list)-1]
		}
	}

	if (!sg.start.ok && sg.start.ref == "") || (!sg.end.ok && sg.end.ref == "") {
		rd.warn(line, t.Name.Local, "segment without Start or End coordinates; skipped")

		return nil
	}

	rd.cur.segs = append(rd.cur.segs, sg)

	return nil
}

// parseList reads a PntList2D ("N E N E …") or PntList3D ("N E Z …").
func parseList(list2, list3 string) ([]coord, error) {
	text, dim := list3, 3
	if text == "" {
		text, dim = list2, 2
	}

	f := strings.Fields(text)
	if len(f)%dim != 0 {
		return nil, fmt.Errorf("PntList%dD holds %d values (expected a multiple of %d)", dim, len(f), dim)
	}

	out := make([]coord, 0, len(f)/dim)
	for i := 0; i < len(f); i += dim {
		var v [3]float64
		for k := range dim {
			x, err := parseNum(f[i+k])
			if err != nil || math.IsInf(x, 0) {
				return nil, fmt.Errorf("PntList%dD value %q is not a number", dim, clip(f[i+k]))
			}

			v[k] = x
		}

		out = append(out, coord{n: v[0], e: v[1], z: v[2], hasZ: dim == 3, ok: true})
	}

	return out, nil
}
