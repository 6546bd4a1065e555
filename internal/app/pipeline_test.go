package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
)

func newProject(t *testing.T) *project.Project {
	t.Helper()

	p, err := project.Create(t.Context(), t.TempDir(), project.Settings{Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })

	return p
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()

	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}

	return path
}

func TestImportAndExport(t *testing.T) {
	t.Parallel()
	p := newProject(t)

	in := writeFile(t, "topo.csv", "1,1000.0,2000.0,10.5,TREE\n2,1001.0,2001.0,11.0,FENCE\n"+
		"3,1002.0,2002.0,,FENCE\n")
	sum, err := ImportFile(t.Context(), p, ImportRequest{Path: in})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Format != formats.CSV || sum.Points != 3 || sum.Attachment {
		t.Errorf("import summary: %+v", sum)
	}

	out := filepath.Join(t.TempDir(), "sub", "fence.csv")
	var s formats.Settings
	s.CSV.Write.Template = "PENZD"
	exp, err := ExportFile(t.Context(), p, ExportRequest{
		Path: out, Format: "csv", Settings: s,
		Selection: project.Selection{Codes: []string{"FENCE"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if exp.Points != 2 || exp.Size != int64(len(b)) || !strings.HasPrefix(string(b), "2,2001") {
		t.Errorf("export: %+v\n%s", exp, b)
	}

	_, err = ExportFile(t.Context(), p, ExportRequest{
		Path: out, Format: "csv", Selection: project.Selection{Codes: []string{"NONE"}},
	})
	if !errors.Is(err, ErrNothingToExport) {
		t.Errorf("empty selection: %v", err)
	}
}

func TestImportParseErrorLeavesProjectAlone(t *testing.T) {
	t.Parallel()
	p := newProject(t)

	bad := writeFile(t, "bad.xml", `<?xml version="1.0"?>`+"\n"+
		`<LandXML xmlns="http://www.landxml.org/schema/LandXML-1.2"><CgPoints>`+"\n"+
		`<CgPoint name="1">1 2 3</CgPoint>`+"\n"+`<CgPoint name="2">oops`)
	_, err := ImportFile(t.Context(), p, ImportRequest{Path: bad})
	var pe *survey.ParseError
	if !errors.As(err, &pe) || pe.File != "bad.xml" {
		t.Fatalf("want a ParseError naming bad.xml, got %v", err)
	}

	n, err := p.PointCount(t.Context(), project.Selection{})
	if err != nil || n != 0 {
		t.Errorf("points after a failed import: %d, %v", n, err)
	}
}

func TestImportAttachment(t *testing.T) {
	t.Parallel()
	p := newProject(t)

	pdf := writeFile(t, "report.pdf", "%PDF-1.4\n%fake\n")
	sum, err := ImportFile(t.Context(), p, ImportRequest{Path: pdf})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Attachment || sum.Format != formats.PDF {
		t.Errorf("pdf: %+v", sum)
	}
}
