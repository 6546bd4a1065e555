package project

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/survey"
)

// TestImportSamples imports every shared sample into one project through
// the registry and checks what lands against the samples README.
func TestImportSamples(t *testing.T) {
	dir := samplefiles.Require(t)
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

		// The hash taken while reading is the whole file's.
		size, sum, err := HashFile(t.Context(), filepath.Join(dir, s.Name))
		if err == nil && (size != s.Size || sum != s.SHA256) {
			t.Errorf("source %s: size %d sha %s, file has %d %s", s.Name, s.Size, s.SHA256, size, sum)
		}
	}

	// topo0 descriptions come back byte-exact.
	got, _ := p.Select(t.Context(), Selection{SourceIDs: []int64{srcs[0].ID}, Codes: []string{`TOP WALL 18" WI`, "EP          E"}})
	if len(got.Points) != 3 {
		t.Errorf("codes with quotes and spaces: %d points", len(got.Points))
	}
}

// TestImportFileAttachment: a non-survey file from outside the project is
// copied into Attachments/ (name kept, made unique) and recorded by its
// project path; the same content again is "already in the project", not a
// second record; a file already inside the project is referenced in place.
func TestImportFileAttachment(t *testing.T) {
	p := newProject(t)
	outside := t.TempDir()
	write := func(dir, name, body string) string {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}

		return path
	}

	inside := p.ProcorePath("Drawings", "site.pdf")
	tests := []struct {
		name     string
		path     string
		wantPath string // project-relative
		already  bool
	}{
		{"copied in", write(outside, "plat.pdf", "%PDF-1.4\nplat"), "Attachments/plat.pdf", false},
		{"same content again", filepath.Join(outside, "plat.pdf"), "Attachments/plat.pdf", true},
		{"same content, other name", write(outside, "copy.pdf", "%PDF-1.4\nplat"), "Attachments/plat.pdf", true},
		{"same name, other content", write(filepath.Join(outside, "b"), "plat.pdf", "%PDF-1.4\nother"),
			"Attachments/plat (2).pdf", false},
		{"inside the project", write(filepath.Dir(inside), "site.pdf", "%PDF-1.4\nsite"),
			"Procore/Drawings/site.pdf", false},
	}

	for _, tt := range tests {
		res, err := p.ImportFile(t.Context(), FileImport{Path: tt.path})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}

		a := res.Attachment
		if a == nil || res.Format != formats.PDF || a.Path != tt.wantPath || res.AlreadyInProject != tt.already {
			t.Errorf("%s: result %+v, attachment %+v", tt.name, res, a)

			continue
		}

		want, _ := os.ReadFile(tt.path)
		got, err := os.ReadFile(p.AbsPath(*a))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: kept file %q, %v", tt.name, got, err)
		}

		if st, err := os.Stat(p.AbsPath(*a)); err != nil || (!tt.already && tt.wantPath != "Procore/Drawings/site.pdf" &&
			st.Mode().Perm() != 0o644) {
			t.Errorf("%s: stat %v, %v", tt.name, st, err)
		}
	}

	list, err := p.Attachments(t.Context())
	if err != nil || len(list) != 3 {
		t.Errorf("attachments %+v, %v: want 3", list, err)
	}

	// The copy stays when the original goes.
	os.RemoveAll(outside)
	if _, err := os.Stat(filepath.Join(p.Dir(), "Attachments", "plat.pdf")); err != nil {
		t.Error(err)
	}

	entries, _ := os.ReadDir(filepath.Join(p.Dir(), AttachmentsDir))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
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

// TestImportFileProgress checks that the progress hook sees every byte of
// the file by the end of the import, whether the format is detected or
// given.
func TestImportFileProgress(t *testing.T) {
	dir := t.TempDir()
	var big strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&big, "%d,%d.125,%d.5,10.25,TOPO\n", i+1, 5000+i, 7000+i)
	}
	files := map[string]string{
		"big.csv":   big.String(),
		"small.txt": "1 1000 2000 100 CP\n",
		"plan.pdf":  "%PDF-1.4\n" + strings.Repeat("stream data\n", 20000),
	}

	tests := []struct {
		file, format string
	}{
		{"big.csv", ""},
		{"big.csv", formats.CSV},
		{"small.txt", ""},
		{"plan.pdf", ""}, // an attachment: copied, not parsed
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.format, func(t *testing.T) {
			p := newProject(t)
			path := filepath.Join(dir, tt.file)
			if err := os.WriteFile(path, []byte(files[tt.file]), 0o644); err != nil {
				t.Fatal(err)
			}

			var read, calls atomic.Int64
			fi := FileImport{Path: path, Format: tt.format, Progress: func(n int64) {
				read.Add(n)
				calls.Add(1)
			}}
			if _, err := p.ImportFile(t.Context(), fi); err != nil {
				t.Fatal(err)
			}

			if got, want := read.Load(), int64(len(files[tt.file])); got != want {
				t.Errorf("progress saw %d bytes, want the file's %d", got, want)
			}
			if tt.file == "big.csv" && calls.Load() < 2 {
				t.Errorf("progress called %d times for a %d-byte file", calls.Load(),
					len(files[tt.file]))
			}
		})
	}
}
