package project

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/survey"
)

func samplesDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}

	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}

		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared samples not found at ../shared/samples")
		}

		dir = parent
	}

	s := filepath.Join(dir, "..", "shared", "samples")
	if _, err := os.Stat(s); err != nil {
		t.Skip("shared samples not found at ../shared/samples")
	}

	return s
}

// TestImportSamples imports every shared sample into one project through
// the registry and checks what lands against the samples README.
func TestImportSamples(t *testing.T) {
	dir := samplesDir(t)
	tests := []struct {
		name             string
		format           string
		points, lines    int
		surfacesAtLeast  int
		observationsOnly bool
	}{
		{name: "pnezd_topo0_charlotte_crlf.asc", format: formats.CSV, points: 1311},
		{name: "csv_tab_header_emptyfields_from_rw5.csv", format: formats.CSV, points: 1},
		{name: "GSI16_rycon_cartesian_zero_placeholders.GSI", format: formats.GSI, points: 13},
		{name: "gsi8_rilievo_cr_only_polar.gsi", format: formats.GSI, observationsOnly: true},
		{name: "landxml12_tin_ussurveyfoot_blender_S3.xml", format: formats.LandXML, surfacesAtLeast: 1},
		{name: "DXF_r12_polyline_vertex_POLI-ALL210_12.DXF", format: formats.DXF, lines: 30, surfacesAtLeast: 1},
	}

	p := newProject(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := p.ImportFile(t.Context(), FileImport{Path: filepath.Join(dir, tt.name),
				Options: ImportOptions{Duplicates: Rename}})
			if tt.observationsOnly {
				if !errors.Is(err, gsi.ErrObservationsOnly) {
					t.Fatalf("err = %v, want observations only", err)
				}

				return
			}

			if err != nil {
				t.Fatal(err)
			}

			if res.Format != tt.format || res.Points+res.Renamed < tt.points || res.Points > tt.points ||
				res.Lines != tt.lines || res.Surfaces < tt.surfacesAtLeast {
				t.Errorf("result = %+v", res)
			}
		})
	}

	srcs, _ := p.Sources(t.Context())
	if len(srcs) != len(tests)-1 {
		t.Errorf("sources = %d, want %d (the failed import leaves none)", len(srcs), len(tests)-1)
	}

	for _, s := range srcs {
		if len(s.SHA256) != 64 || s.Size == 0 {
			t.Errorf("source %s: size %d sha %q", s.Name, s.Size, s.SHA256)
		}
	}

	// topo0 descriptions come back byte-exact.
	got, _ := p.Select(t.Context(), Selection{SourceIDs: []int64{srcs[0].ID}, Codes: []string{`TOP WALL 18" WI`, "EP          E"}})
	if len(got.Points) != 3 {
		t.Errorf("codes with quotes and spaces: %d points", len(got.Points))
	}
}

func TestImportFileAttachment(t *testing.T) {
	p := newProject(t)
	path := filepath.Join(t.TempDir(), "plat.pdf")
	os.WriteFile(path, []byte("%PDF-1.4\nplat"), 0o644)
	res, err := p.ImportFile(t.Context(), FileImport{Path: path})
	if err != nil {
		t.Fatal(err)
	}

	if res.Attachment == nil || res.Format != formats.PDF || res.Attachment.Path != path {
		t.Errorf("result = %+v", res)
	}
}

func TestImportFileFeetAndNothing(t *testing.T) {
	p := newProject(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "ft.txt")
	os.WriteFile(path, []byte("1 1000 2000 100 CP\n"), 0o644)
	fs := formats.Settings{}.WithUnit(survey.Foot)
	if _, err := p.ImportFile(t.Context(), FileImport{Path: path, Settings: fs}); err != nil {
		t.Fatal(err)
	}

	pts, _ := p.Points(t.Context(), Selection{}, 0, 10)
	if len(pts) != 1 || pts[0].N != 304.8 || pts[0].Code != "CP" {
		t.Errorf("points = %+v", pts)
	}

	empty := filepath.Join(dir, "obs.csv")
	os.WriteFile(empty, []byte("Pt,N,E\n1,,\n"), 0o644)
	_, err := p.ImportFile(t.Context(), FileImport{Path: empty})
	if err == nil || !strings.Contains(err.Error(), "none of the 1 data rows") {
		t.Errorf("err = %v", err)
	}
}
