package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
)

func (r *runner) importCommand() *cobra.Command {
	var (
		dir   string
		flags importFlags
	)

	cmd := &cobra.Command{
		Use:   "import --project DIR [flags] FILE...",
		Short: "Import survey files into a project",
		Long: "Import survey files into a project: delimited points (CSV, TXT, ASC), " +
			"LandXML, DXF, Leica GSI and GeoJSON, recognised by their content. Each file " +
			"lands whole or not at all. Other files (PDF, images, DWG...) are kept as " +
			"attachments.\n\n" +
			"A file whose content was imported before is already in the project: nothing " +
			"is added, so importing a folder again each night does not grow the project. " +
			"With --duplicates overwrite it replaces that earlier import instead. A newer " +
			"version of a file from Procore replaces the older version. Any other file, " +
			"a changed file under an old name too, is added: its point ids the project " +
			"already has follow --duplicates, and its lines and surfaces identical to ones " +
			"in the project are not added again (with overwrite they replace those).\n\n" +
			exitHelp,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("%s needs at least one FILE", cmd.CommandPath())
			}
			for _, a := range args {
				if strings.TrimSpace(a) == "" {
					return emptyArg(cmd, "FILE")
				}
			}
			return nil
		},
		RunE: r.run(func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				return usagef("import needs --project DIR")
			}

			req, err := flags.request()
			if err != nil {
				return err
			}

			p, err := openProject(cmd.Context(), dir)
			if err != nil {
				return err
			}
			defer p.Close()

			items := make([]importItem, len(args))
			for i, a := range args {
				items[i] = importItem{path: a}
			}

			return r.emitImport(r.importAll(cmd.Context(), p, req, items))
		}),
	}
	cmd.Flags().StringVar(&dir, "project", "", "project folder")
	flags.register(cmd)

	return cmd
}

func (r *runner) exportCommand() *cobra.Command {
	var (
		dir, format, template string
		codes, sources        []string
	)

	cmd := &cobra.Command{
		Use:   "export --project DIR --format csv|landxml|dxf|gsi|geojson [flags] OUTFILE",
		Short: "Export project data to a file",
		Long: "Export the points, lines and surfaces of a project (all of them, or those " +
			"of some codes or sources) to a file. The file is replaced only when it is " +
			"completely written.\n\n" +
			"Formats: csv writes points only, comma-separated, one per line, in the " +
			"column order of --template (default PNEZD: point id, northing, easting, " +
			"elevation, description); pnezd, penzd and xyz are csv in the order their " +
			"name says (xyz: easting, northing, elevation); txt, asc and pts are csv. " +
			"landxml, dxf and geojson write points, lines and surfaces; gsi writes " +
			"points as Leica GSI-16.\n\n" + exitHelp,
		Args: exactArgs(1, "OUTFILE"),
		RunE: r.run(func(cmd *cobra.Command, args []string) error {
			req, err := newExportRequest(dir, format, template, args[0])
			if err != nil {
				return err
			}
			for i := range codes {
				codes[i] = strings.TrimSpace(codes[i]) // --codes "A, B"
			}
			req.sel.Codes = codes

			if err := checkOutFile(req.path, req.format); err != nil {
				return err
			}

			p, err := openProject(cmd.Context(), dir)
			if err != nil {
				return err
			}
			defer p.Close()

			if req.sel.SourceIDs, err = sourceIDs(cmd, p, sources); err != nil {
				return err
			}
			if err := r.checkCodes(cmd, p, codes); err != nil {
				return err
			}

			return r.export(cmd, p, req)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&dir, "project", "", "project folder")
	f.StringVar(&format, "format", "", "csv, landxml, dxf, gsi or geojson; for delimited "+
		"points also pnezd, penzd or xyz (csv in that column order; xyz is easting, "+
		"northing, elevation, without id or code)")
	f.StringVar(&template, "template", "", "column order of a delimited file: PNEZD, PENZD, "+
		"PNEZ, PENZ, NEZ, ENZ or any sequence of P, N, E, Z, D and - for an empty column "+
		"(default PNEZD)")
	f.StringSliceVar(&codes, "codes", nil, "export only points and lines with these codes "+
		"(A,B)")
	// An array, not a comma-split slice: file names may hold commas. A
	// value that names no source is still tried as a list "A,B".
	f.StringArrayVar(&sources, "source", nil, "export only what came from the source file "+
		"NAME (repeatable; backsight project info lists them)")

	return cmd
}

// exportRequest is an export to a file.
type exportRequest struct {
	path, format string
	settings     formats.Settings
	sel          project.Selection
}

func (r *runner) export(cmd *cobra.Command, p *project.Project, req exportRequest) error {
	settings := req.settings.WithUnit(p.Settings().Unit)
	// The LandXML header time comes from the data (project.ExportReport), so
	// the same data exports to the same bytes.
	c, err := p.ExportFileReport(cmd.Context(), req.path, req.format, req.sel, settings)
	var ne *project.NothingToExportError
	if errors.As(err, &ne) {
		return &sentenceError{msg: "There is nothing to export: " + ne.Sentence(), err: err}
	}
	if err != nil {
		return err
	}
	for _, w := range c.Warnings {
		r.infof("warning: %s", w.String())
	}

	var size int64
	if st, err := os.Stat(req.path); err == nil {
		size = st.Size()
	}
	r.infof("Exported %s, %s and %s to %s.", survey.Plural(c.Points, "point", "points"),
		survey.Plural(c.Lines, "line", "lines"), survey.Plural(c.Surfaces, "surface", "surfaces"),
		req.path)

	return r.emit(map[string]any{
		"path": req.path, "format": req.format, "size": size,
		"points": c.Points, "lines": c.Lines, "surfaces": c.Surfaces,
		"warnings": warningTexts(c.Warnings),
	}, func(io.Writer) {})
}

func newExportRequest(dir, format, template, out string) (exportRequest, error) {
	var req exportRequest
	if dir == "" {
		return req, usagef("export needs --project DIR")
	}
	if format == "" {
		return req, usagef("export needs --format csv, landxml, dxf, gsi or geojson")
	}

	f, err := formats.Lookup(format)
	if err != nil || !f.CanWrite {
		return req, usagef("--format: %q is not csv, landxml, dxf, gsi, geojson, pnezd, "+
			"penzd or xyz", format)
	}
	req.format, req.path = f.Name, out

	if template != "" {
		if f.Name != formats.CSV {
			return req, usagef("--template is the column order of a delimited point file "+
				"(--format csv); %s files have no columns to order", f.Name)
		}
		t, err := csv.ParseTemplate(template)
		if err != nil {
			return req, templateError(template, err)
		}
		if err := aliasConflict(format, t); err != nil {
			return req, err
		}
		req.settings.CSV.Write.Template = strings.ToUpper(template)
	}
	req.settings = req.settings.WithAlias(format)

	return req, nil
}

// aliasConflict refuses a --template other than the column order a --format
// alias names (--format penzd --template PNEZD).
func aliasConflict(format string, t csv.Template) error {
	order := formats.AliasTemplate(format)
	if order == "" || t.String() == order {
		return nil
	}

	return usagef("--format %s is the column order %s, not %s; give --format csv "+
		"--template %s for that order", format, order, t, t)
}

// checkCodes refuses an export whose codes no point or line of p uses
// (a typo would otherwise write an empty file, or one with only the
// surfaces, which have no code), and tells which of several are unused.
func (r *runner) checkCodes(cmd *cobra.Command, p *project.Project, codes []string) error {
	if len(codes) == 0 {
		return nil
	}

	all, err := p.Codes(cmd.Context())
	if err != nil {
		return err
	}

	var unused []string
	for _, c := range codes {
		if !slices.ContainsFunc(all, func(cc project.CodeCount) bool { return cc.Code == c }) {
			unused = append(unused, strconv.Quote(c))
		}
	}
	switch {
	case len(unused) == len(codes):
		return &sentenceError{msg: fmt.Sprintf("There is nothing to export: no point or "+
			"line of the project has the code %s. Check the codes (they are "+
			"case-sensitive).", strings.Join(unused, " or "))}
	case len(unused) > 0:
		r.infof("No point or line has the code %s.", strings.Join(unused, " or "))
	}

	return nil
}

// sourceIDs finds the sources named in names.
func sourceIDs(cmd *cobra.Command, p *project.Project, names []string) ([]int64, error) {
	if len(names) == 0 {
		return nil, nil
	}

	all, err := p.Sources(cmd.Context())
	if err != nil {
		return nil, err
	}

	var expanded []string
	for _, name := range names {
		if slices.ContainsFunc(all, func(s project.Source) bool { return s.Name == name }) {
			expanded = append(expanded, name)
			continue
		}
		for _, part := range strings.Split(name, ",") {
			expanded = append(expanded, strings.TrimSpace(part))
		}
	}

	var ids []int64
	for _, name := range expanded {
		n := len(ids)
		for _, s := range all {
			if s.Name == name && !slices.Contains(ids, s.ID) {
				ids = append(ids, s.ID)
			}
		}
		if len(ids) == n {
			return nil, &sentenceError{msg: fmt.Sprintf("The project has no source named %q. "+
				"backsight project info lists its sources.", name)}
		}
	}

	return ids, nil
}

// warningTexts lists warnings as text for --json ([] when none).
func warningTexts(ws []survey.Warning) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.String())
	}

	return out
}
