package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Demo seed identities. The ids are fixed because the seed creates them first.
const (
	DemoCompanyID    int64 = 4281379
	DemoProjectID    int64 = 316469
	DemoProject2ID   int64 = 316470
	DemoCompanyName        = "Demo Construction Co."
	DemoPassword           = "backsight-demo"
	DemoSurveyor           = "surveyor@demo.test"
	DemoViewer             = "viewer@demo.test"
	DemoAdmin              = "admin@demo.test"
	DemoClientID           = "backsight-demo"
	DemoClientSecret       = "backsight-demo-secret"
)

// DemoRedirectURIs are the demo app's registered redirect URIs: loopback on
// any port and path, and out-of-band.
var DemoRedirectURIs = []string{"http://127.0.0.1/", "http://localhost/", "http://[::1]/", oobURI}

// demoTree is the folder tree of the first demo project.
var demoTree = []string{
	"01 Survey/Control", "01 Survey/Topo", "01 Survey/Stakeout", "02 Design/Surfaces",
	"02 Design/Alignments", "03 As-built", "04 Photos", "05 Reports",
}

// seedDemo creates the demo company, projects, users, app and documents.
func (s *Server) seedDemo(ctx context.Context) error {
	cid := s.AddCompany(DemoCompanyName)
	p1 := s.AddProject(cid, "Riverside Subdivision Stage 2")
	p2 := s.AddProject(cid, "Harbour Road Upgrade")

	if cid != DemoCompanyID || p1 != DemoProjectID || p2 != DemoProject2ID {
		return fmt.Errorf("demo ids drifted: %d %d %d", cid, p1, p2)
	}

	s.mu.Lock()
	s.st.Projects[p1].Number = "2026-014"
	s.st.Projects[p2].Number = "2026-021"
	s.mu.Unlock()

	surveyor := s.AddUser(DemoSurveyor, "Sam Surveyor", DemoPassword)
	viewer := s.AddUser(DemoViewer, "Vera Viewer", DemoPassword)
	admin := s.AddUser(DemoAdmin, "Alex Admin", DemoPassword)

	for _, p := range []int64{p1, p2} {
		s.SetPermission(surveyor, p, LevelStandard)
		s.SetPermission(viewer, p, LevelReadOnly)
		s.SetPermission(admin, p, LevelAdmin)
	}

	s.SetCompanyPermission(surveyor, cid, LevelStandard)
	s.SetCompanyPermission(viewer, cid, LevelReadOnly)
	s.SetCompanyPermission(admin, cid, LevelAdmin)
	s.AddApp(DemoClientID, DemoClientSecret, DemoRedirectURIs...)

	return s.seedDemoFiles(ctx, p1, p2, surveyor, admin)
}

func (s *Server) seedDemoFiles(ctx context.Context, p1, p2, surveyor, admin int64) error {
	for _, dir := range demoTree {
		if _, err := s.AddFolder(p1, dir); err != nil {
			return err
		}
	}

	for _, dir := range []string{"01 Survey/Control", "02 Design", "03 As-built"} {
		if _, err := s.AddFolder(p2, dir); err != nil {
			return err
		}
	}

	put := func(p int64, dir, name string, b []byte, by int64) error {
		_, err := s.AddFile(p, dir, name, bytes.NewReader(b), by)
		return err
	}

	for v := 1; v <= 3; v++ {
		if err := put(p1, "01 Survey/Control", "control_points.csv", controlCSV(v), surveyor); err != nil {
			return err
		}
	}

	for v := 1; v <= 2; v++ {
		if err := put(p1, "02 Design/Surfaces", "design_surface.xml", landXML(v), admin); err != nil {
			return err
		}
	}

	if err := put(p1, "05 Reports", "survey_report.txt", []byte(reportText), surveyor); err != nil {
		return err
	}

	if err := put(p2, "01 Survey/Control", "control_points.csv", controlCSV(1), surveyor); err != nil {
		return err
	}

	if err := s.seedSamples(ctx, p1, surveyor); err != nil {
		return err
	}

	_, err := s.AddFolder(p2, "04 Photos")

	return err
}

// sampleFolder picks a demo folder for a sample file by its extension.
func sampleFolder(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".dxf":
		return "03 As-built"
	case ".xml":
		return "02 Design/Surfaces"
	case ".gsi":
		return "01 Survey/Control"
	case ".csv", ".asc", ".txt":
		return "01 Survey/Topo"
	}

	return ""
}

// seedSamples adds the real survey files of SamplesDir (read at seed time,
// never copied into the repository), or a generated topo file without them.
// The first topo sample gets two versions: its first 20 lines, then all of it.
func (s *Server) seedSamples(ctx context.Context, p1, by int64) error {
	entries, err := os.ReadDir(s.opts.SamplesDir)
	if s.opts.SamplesDir == "" || err != nil {
		_, err := s.AddFile(p1, "01 Survey/Topo", "topo_pickup.csv", bytes.NewReader(topoCSV()), by)
		return err
	}

	versioned := false
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}

		dir := sampleFolder(e.Name())
		if e.IsDir() || dir == "" {
			continue
		}

		path := filepath.Join(s.opts.SamplesDir, e.Name())
		if dir == "01 Survey/Topo" && !versioned {
			versioned = true
			if err := s.addHead(p1, dir, e.Name(), path, by); err != nil {
				return err
			}
		}

		if err := s.addFromDisk(p1, dir, e.Name(), path, by); err != nil {
			return err
		}
	}

	return nil
}

func (s *Server) addFromDisk(p int64, dir, name, path string, by int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}

	defer func() { _ = f.Close() }()

	_, err = s.AddFile(p, dir, name, f, by)

	return err
}

func (s *Server) addHead(p int64, dir, name, path string, by int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}

	defer func() { _ = f.Close() }()

	var buf bytes.Buffer
	sc := bufio.NewReader(f)
	for i := 0; i < 20; i++ {
		line, err := sc.ReadString('\n')
		buf.WriteString(line)

		if err == io.EOF {
			break
		}

		if err != nil {
			return err
		}
	}

	_, err = s.AddFile(p, dir, name, &buf, by)

	return err
}

// controlCSV is a small P,N,E,Z,D control file; each version adds or fixes points.
func controlCSV(version int) []byte {
	var b strings.Builder
	b.WriteString("Point,Northing,Easting,Elevation,Code\n")
	pts := []string{
		"CP1,5000.000,2000.000,100.000,CTRL",
		"CP2,5123.456,2087.210,101.250,CTRL",
		"CP3,5210.880,1954.332,99.874,CTRL",
	}
	if version >= 2 {
		pts = append(pts, "CP4,5301.020,2120.775,102.031,CTRL", "BM1,5050.500,2010.250,100.512,BM")
	}

	if version >= 3 {
		pts[1] = "CP2,5123.461,2087.208,101.247,CTRL"
	}

	for _, p := range pts {
		b.WriteString(p + "\n")
	}

	return []byte(b.String())
}

func topoCSV() []byte {
	var b strings.Builder
	b.WriteString("Point,Northing,Easting,Elevation,Code\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "%d,%.3f,%.3f,%.3f,%s\n", 1000+i, 5000+float64(i)*2.5,
			2000+float64(i%7)*3.1, 100+float64(i%5)*0.21, []string{"GND", "TOE", "TOP", "FENCE"}[i%4])
	}

	return []byte(b.String())
}

// landXML is a small LandXML 1.2 TIN; version 2 adds a point and a face.
func landXML(version int) []byte {
	pts := "<P id=\"1\">5000.0 2000.0 100.0</P><P id=\"2\">5010.0 2000.0 100.5</P>" +
		"<P id=\"3\">5000.0 2010.0 100.2</P><P id=\"4\">5010.0 2010.0 100.9</P>"
	faces := "<F>1 2 3</F><F>2 4 3</F>"
	if version >= 2 {
		pts += "<P id=\"5\">5020.0 2005.0 101.3</P>"
		faces += "<F>2 5 4</F>"
	}

	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<LandXML xmlns="http://www.landxml.org/schema/LandXML-1.2" version="1.2">
<Units><Metric linearUnit="meter" areaUnit="squareMeter" volumeUnit="cubicMeter"/></Units>
<Surfaces><Surface name="Design FSL"><Definition surfType="TIN"><Pnts>` + pts +
		`</Pnts><Faces>` + faces + `</Faces></Definition></Surface></Surfaces>
</LandXML>
`)
}

const reportText = `Riverside Subdivision Stage 2 - survey report

Control established from CP1 (5000.000 N, 2000.000 E, 100.000 RL).
Topographic pickup completed; see 01 Survey/Topo.
`
