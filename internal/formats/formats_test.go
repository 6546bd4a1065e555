package formats

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

func TestDetectSamples(t *testing.T) {
	dir := samplefiles.Require(t)
	want := map[string]string{
		"landxml12_tops_cgpoints_survey_grads.xml":     LandXML,
		"landxml12_tin_ussurveyfoot_blender_S3.xml":    LandXML,
		"landxml11_civil3d2007_planfeature_ddmmss.xml": LandXML,
		"jlandxml12_japanese_utf8_2d_cgpoints.xml":     LandXML,
		"gsi8_rilievo_cr_only_polar.gsi":               GSI,
		"gsi8_ertola_crlf_coords.gsi":                  GSI,
		"GSI16_rycon_cartesian_zero_placeholders.GSI":  GSI,
		"pnezd_topo0_charlotte_crlf.asc":               CSV,
		"csv_tab_header_emptyfields_from_rw5.csv":      CSV,
		"dxf_r12label_leica_disto_s910.dxf":            DXF,
		"DXF_r12_polyline_vertex_POLI-ALL210_12.DXF":   DXF,
	}

	for name, format := range want {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}

		head := b[:min(len(b), HeadSize)]
		for _, n := range []string{name, "renamed.bin", "no-extension"} {
			got, conf := Detect(n, head)
			if got != format || conf < minConfidence {
				t.Errorf("Detect(%s as %s) = %s, %d; want %s", name, n, got, conf, format)
			}
		}
	}
}

func TestDetectAttachments(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	tests := []struct {
		name string
		head []byte
		want string
	}{
		{"plan.pdf", []byte("%PDF-1.7\n%âãÏÓ"), PDF},
		{"photo.PNG", png, Image},
		{"photo", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), Image},
		{"site.dwg", []byte("AC1032\x00\x00\x00"), DWG},
		{"cloud.las", []byte("LASF\x00\x00"), LAS},
		{"cloud.laz", []byte("LASF\x00\x00"), LAZ},
		{"scan.e57", []byte("ASTM-E57\x00\x00"), E57},
		{"job.dbx.zip", []byte("PK\x03\x04\x14\x00"), Zip},
		{"notes.docx", []byte("PK\x03\x04\x14\x00"), Zip},
		{"readme.md", []byte("# Notes\n\nSome text about the survey.\n"), Attachment},
		{"blob.bin", []byte{0, 1, 2, 3, 4, 5}, Attachment},
		{"survey.dbx", []byte{0, 1, 2, 3, 4, 5}, Zip},
	}

	for _, tt := range tests {
		got, _ := Detect(tt.name, tt.head)
		if got != tt.want {
			t.Errorf("Detect(%s) = %s, want %s", tt.name, got, tt.want)
		}

		if !IsAttachment(got) {
			t.Errorf("%s not an attachment", got)
		}

		if _, err := Read(t.Context(), bytes.NewReader(tt.head), tt.name, "", Settings{}); !errors.Is(err, ErrAttachment) {
			t.Errorf("Read(%s): %v, want ErrAttachment", tt.name, err)
		}
	}
}

func TestDetectByExtensionFallback(t *testing.T) {
	if got, conf := Detect("obs.csv", []byte("Pt,N,E\n1,,\n")); got != CSV || conf != 10 {
		t.Errorf("Detect = %s, %d", got, conf)
	}
}

func TestReadSamplesByDetection(t *testing.T) {
	dir := samplefiles.Require(t)
	tests := []struct {
		name           string
		points, lines  int
		surfaces       int
		wantErr        bool
		observationsGE int
	}{
		{name: "pnezd_topo0_charlotte_crlf.asc", points: 1311},
		{name: "csv_tab_header_emptyfields_from_rw5.csv", points: 1, observationsGE: 9},
		{name: "gsi8_rilievo_cr_only_polar.gsi", wantErr: true, observationsGE: 23},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ReadFile(t.Context(), filepath.Join(dir, tt.name), "", Settings{})
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
			} else if err != nil {
				t.Fatal(err)
			}

			if ds == nil {
				return
			}

			if len(ds.Points) != tt.points || ds.Observations < tt.observationsGE {
				t.Errorf("points %d observations %d", len(ds.Points), ds.Observations)
			}
		})
	}
}

// TestReadGSIPolar: the GSI polar mode reaches the reader through Settings.
func TestReadGSIPolar(t *testing.T) {
	path := samplefiles.Path(t, "gsi8_rilievo_cr_only_polar.gsi")
	for _, tt := range []struct {
		mode   gsi.PolarMode
		points int
	}{{gsi.PolarOff, 0}, {gsi.PolarAuto, 21}, {gsi.PolarOn, 21}} {
		var s Settings
		s.GSI.Read.Polar = tt.mode
		ds, err := ReadFile(t.Context(), path, "", s)
		if (err == nil) != (tt.points > 0) || ds == nil || len(ds.Points) != tt.points {
			t.Errorf("polar %v: err %v, dataset %v", tt.mode, err, ds)
		}
	}
}

func TestPreview(t *testing.T) {
	dir := samplefiles.Require(t)
	f, err := os.Open(filepath.Join(dir, "pnezd_topo0_charlotte_crlf.asc"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	pv, err := Preview(t.Context(), f, "topo0.asc", "", Settings{}, 5)
	if err != nil {
		t.Fatal(err)
	}

	if pv.Format != CSV || pv.Counts.Points != 1311 || len(pv.Points) != 5 || pv.Points[0].ID != "1" ||
		pv.Layout == nil || pv.Layout.Delimiter != ',' || pv.Layout.Template.String() != "PNEZD" || pv.Err != nil {
		t.Errorf("preview = %+v", pv)
	}

	pv, err = Preview(t.Context(), strings.NewReader("Pt,N,E\n1,,\n"), "x.csv", CSV, Settings{}, 5)
	if err != nil || pv.Err == nil || pv.Counts.Points != 0 {
		t.Errorf("preview of an unimportable file = %+v, %v", pv, err)
	}
}

func TestRoundTripEveryWriter(t *testing.T) {
	ds := &survey.Dataset{Points: []survey.Point{
		{ID: "1", Code: "CP", E: 1455644.371, N: 538542.57, Z: 681.31, HasZ: true},
		{ID: "2", Code: "NOZ", E: 1000.5, N: 2000.25},
		{ID: "3", Code: "Z0", E: 10, N: 20, Z: 0, HasZ: true},
	}}
	opts := cmp.Options{cmpopts.EquateApprox(0, 1e-3), cmpopts.EquateEmpty(),
		cmpopts.IgnoreFields(survey.Point{}, "Attrs")}
	for _, f := range Formats {
		if !f.CanWrite {
			continue
		}

		t.Run(f.Name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(t.Context(), &b, f.Name, ds, Settings{}); err != nil {
				t.Fatal(err)
			}

			name := "export" + DefaultExt(f.Name)
			if got, _ := Detect(name, b.Bytes()); got != f.Name {
				t.Errorf("Detect(own output) = %s", got)
			}

			back, err := Read(t.Context(), bytes.NewReader(b.Bytes()), name, "", Settings{})
			if err != nil {
				t.Fatal(err)
			}

			want := ds.Points
			if f.Name == GSI {
				// GSI has no place for a code in a coordinate record without word 71.
				opts = append(opts, cmpopts.IgnoreFields(survey.Point{}, "Code"))
			}

			if d := cmp.Diff(want, back.Points, opts); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	for alias, want := range map[string]string{"TXT": CSV, ".asc": CSV, "xml": LandXML, "json": GeoJSON, "dxf": DXF} {
		f, err := Lookup(alias)
		if err != nil || f.Name != want {
			t.Errorf("Lookup(%s) = %v, %v", alias, f.Name, err)
		}
	}

	if _, err := Lookup("shp"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("Lookup(shp): %v", err)
	}

	if err := Write(t.Context(), &bytes.Buffer{}, PDF, &survey.Dataset{}, Settings{}); !errors.Is(err, ErrNotWritable) {
		t.Errorf("Write(pdf): %v", err)
	}
}

// TestAliasColumnOrder: a delimited-points alias writes and reads the
// column order its name says (xyz: easting, northing, elevation), unless
// the settings give a template; the other aliases keep PNEZD.
func TestAliasColumnOrder(t *testing.T) {
	ds := &survey.Dataset{Points: []survey.Point{{ID: "7", E: 200, N: 100, Z: 5, HasZ: true,
		Code: "CP"}}}
	var given Settings
	given.CSV.Write.Template = "PNEZ"
	tests := []struct {
		format string
		s      Settings
		want   string
	}{
		{"xyz", Settings{}, "200.000,100.000,5.000\n"},
		{"XYZ", Settings{}, "200.000,100.000,5.000\n"},
		{"penzd", Settings{}, "7,200.000,100.000,5.000,CP\n"},
		{"pnezd", Settings{}, "7,100.000,200.000,5.000,CP\n"},
		{"txt", Settings{}, "7,100.000,200.000,5.000,CP\n"},
		{"csv", Settings{}, "7,100.000,200.000,5.000,CP\n"},
		{"xyz", given, "7,100.000,200.000,5.000\n"},
	}

	for _, tt := range tests {
		var b bytes.Buffer
		if err := Write(t.Context(), &b, tt.format, ds, tt.s); err != nil || b.String() != tt.want {
			t.Errorf("Write(%s) = %q, %v; want %q", tt.format, b.String(), err, tt.want)
		}
	}

	back, err := Read(t.Context(), strings.NewReader("7,200,100,5,CP\n"), "p.txt", "penzd", Settings{})
	if err != nil || len(back.Points) != 1 || back.Points[0].E != 200 || back.Points[0].N != 100 {
		t.Errorf("Read(penzd) = %+v, %v; want E 200, N 100", back, err)
	}

	for name, want := range map[string]string{"xyz": "ENZ", ".PENZD": "PENZD", "pnezd": "PNEZD",
		"csv": "", "txt": "", "gsi": ""} {
		if got := AliasTemplate(name); got != want {
			t.Errorf("AliasTemplate(%s) = %q, want %q", name, got, want)
		}
	}
}
