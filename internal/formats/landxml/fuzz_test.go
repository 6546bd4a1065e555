package landxml

import (
	"bytes"
	"io"
	"testing"

	"github.com/backsight/backsight/internal/formats/internal/formattest"
	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

func FuzzRead(f *testing.F) {
	for _, s := range []string{
		doc(ns12, `<Units><Imperial linearUnit="USSurveyFoot" angularUnit="grads"/></Units>`,
			`<CgPoints><CgPoint name="1">1 2 3</CgPoint><CgPoint name="r" pntRef="1"/></CgPoints>`),
		doc("", "", `<Surfaces><Surface><Definition><Pnts><P id="1">0 0 0</P><P id="2">1 0 0</P>`+
			`<P id="3">0 1 0</P></Pnts><Faces><F>1 2 3</F><F i="1">3 2 1</F><F>9 9 9</F></Faces>`+
			`</Definition></Surface></Surfaces>`),
		doc(ns12, "", `<PlanFeatures><PlanFeature name="p"><CoordGeom><Curve rot="cw"><Start>0 0</Start>`+
			`<Center>0 1</Center><End>0 2</End></Curve><Spiral radiusStart="INF"><Start>0 2</Start>`+
			`<PI>1 3</PI><End>2 3</End></Spiral></CoordGeom></PlanFeature></PlanFeatures>`),
		`<?xml version="1.0" encoding="Shift_JIS"?><LandXML><CgPoint name="a">0. INF</CgPoint></LandXML>`,
		"<?xml version='1.0' encoding='windows-1252'?><LandXML><CgPoints><CgPoint name=\"1\" code=\"T\" " +
			"desc=\"90\xb0\">5000. 2000.</CgPoint></CgPoints><Surfaces><Surface><Definition><Pnts>" +
			"<P id=\"1\">0 0 0</P><P id=\"2\">1 0 0</P><P id=\"3\">0 1 0</P></Pnts><Faces><F>-1 2 3</F>" +
			"</Faces></Definition></Surface></Surfaces></LandXML>",
		`<LandXML><Survey><ObservationGroup setupID="s"><RawObservation horizAngle="1.2345">` +
			`<TargetPoint desc="9">1 2 3</TargetPoint></RawObservation></ObservationGroup></Survey></LandXML>`,
	} {
		f.Add([]byte(s))
	}

	for _, b := range samplefiles.Seeds(
		"landxml12_tops_cgpoints_survey_grads.xml", "landxml12_tin_ussurveyfoot_blender_S3.xml",
		"landxml11_civil3d2007_planfeature_ddmmss.xml", "jlandxml12_japanese_utf8_2d_cgpoints.xml",
	) {
		f.Add(b)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		formattest.ReadThenWrite(t, func() (*survey.Dataset, error) {
			return Read(t.Context(), bytes.NewReader(data), "fuzz.xml", ReadSettings{})
		}, func(ds *survey.Dataset) error {
			return Write(t.Context(), io.Discard, ds, WriteSettings{})
		})

		_ = Sniff("fuzz.xml", data)
	})
}
