package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExportLandXMLDate: an exported LandXML file carries today's date, not
// the writer's 1970-01-01 placeholder.
func TestExportLandXMLDate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	dir := t.TempDir()
	proj := filepath.Join(dir, "job")
	e.must(0, "project", "new", proj)
	points := filepath.Join(dir, "points.csv")
	if err := os.WriteFile(points, []byte("1,100.0,200.0,10.0,CP\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.must(0, "import", "--project", proj, points)

	out := filepath.Join(dir, "out.xml")
	e.must(0, "export", "--project", proj, "--format", "landxml", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}

	today := time.Now().Format("2006-01-02")
	yesterday := time.Now().Add(-24 * time.Hour).Format("2006-01-02") // a run at midnight
	if !strings.Contains(string(b), `date="`+today+`"`) &&
		!strings.Contains(string(b), `date="`+yesterday+`"`) {
		t.Errorf("want date=%q in the LandXML root:\n%.400s", today, b)
	}
}
