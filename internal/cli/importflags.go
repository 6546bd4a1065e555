package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
	"github.com/backsight/backsight/internal/transfer"
)

// importFlags are the reading settings of import and get --import.
type importFlags struct {
	format     string
	template   string
	delimiter  string
	header     string
	decimal    string
	unit       string
	duplicates string
	gsiPolar   string
	dxfLabels  bool
}

func (f *importFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.format, "format", "auto", "auto, csv, landxml, dxf, gsi or geojson; "+
		"pnezd, penzd or xyz read delimited points in that column order (xyz: easting, "+
		"northing, elevation)")
	fs.StringVar(&f.template, "template", "", "column order of delimited files: PNEZD, "+
		"PENZD, PNEZ, PENZ, NEZ, ENZ or any sequence of P, N, E, Z, D and - for a column "+
		"to ignore (P-EN: id, skip one, easting, northing) (default: from the header, "+
		"else PNEZD)")
	fs.StringVar(&f.delimiter, "delimiter", "", `delimiter of delimited files: ",", ";", `+
		`"tab", "|" or "space" (default: detected)`)
	fs.StringVar(&f.header, "header", "auto", "header rows of delimited files: auto, 0 or 1")
	fs.StringVar(&f.decimal, "decimal", "", `decimal mark of delimited files: "." or ","`+
		" (default: detected)")
	fs.StringVar(&f.unit, "unit", "", "unit of coordinates in files that do not say: m, "+
		"ft or usft (default: the project's unit)")
	fs.StringVar(&f.duplicates, "duplicates", "skip", "point ids the project already has: "+
		"skip, overwrite or rename; overwrite also replaces an earlier import of the same "+
		"content and lines and surfaces identical to the file's")
	fs.StringVar(&f.gsiPolar, "gsi-polar", "auto", "GSI polar observations (Hz, V, distance) "+
		"without coordinates: auto reduces them to points when the file has no coordinates "+
		"of its own (from their station, or from an assumed one at 0,0,0 when the file "+
		"records none); on reduces them in every file; off only counts them")
	fs.BoolVar(&f.dxfLabels, "dxf-labels", false, "DXF points take their ids from the "+
		"TEXT or MTEXT label at the same position")
}

// importRequest is an import without its path: the settings and the unit
// of files that do not say theirs (empty: the project's unit).
type importRequest struct {
	project.FileImport
	unit survey.Unit
}

// request turns the flags into an import request (without the path).
func (f *importFlags) request() (importRequest, error) {
	var req importRequest

	if f.format != "auto" && f.format != "" {
		ff, err := formats.Lookup(f.format)
		if err != nil || ff.Kind != formats.KindData {
			return req, usagef("--format: %q is not auto, csv, landxml, dxf, gsi, geojson, "+
				"pnezd, penzd or xyz", f.format)
		}
		req.Format = ff.Name
	}

	rs := &req.Settings.CSV.Read
	if f.template != "" && req.Format != "" && req.Format != formats.CSV {
		return req, usagef("--template is the column order of a delimited point file "+
			"(--format csv or auto); %s files have no columns to order", req.Format)
	}
	if f.template != "" {
		t, err := csv.ParseTemplate(f.template)
		if err != nil {
			return req, templateError(f.template, err)
		}
		if err := aliasConflict(f.format, t); err != nil {
			return req, err
		}
		rs.Template = strings.ToUpper(f.template)
	}
	req.Settings = req.Settings.WithAlias(f.format)

	var err error
	if rs.Delimiter, err = parseDelimiter(f.delimiter); err != nil {
		return req, err
	}

	switch f.header {
	case "auto", "":
		rs.Header = csv.HeaderAuto
	case "0":
		rs.Header = csv.HeaderNone
	case "1":
		rs.Header = csv.HeaderYes
	default:
		// TODO(cli): more than one header row needs support in formats/csv.
		return req, usagef("--header: %q is not auto, 0 or 1", f.header)
	}

	switch f.decimal {
	case "":
	case ".", ",":
		rs.Decimal = rune(f.decimal[0])
	default:
		return req, usagef(`--decimal: %q is not "." or ","`, f.decimal)
	}

	if rs.Delimiter == ',' && rs.Decimal == ',' {
		return req, usagef(`--decimal ",": a decimal comma needs another --delimiter ` +
			`(";", "tab", "|" or "space")`)
	}

	if f.unit != "" {
		if req.unit, err = survey.ParseUnit(f.unit); err != nil {
			return req, usagef("--unit: %v", err)
		}
	}

	if req.Options.Duplicates, err = project.ParseDuplicates(f.duplicates); err != nil {
		return req, usagef("--duplicates: %q is not skip, overwrite or rename", f.duplicates)
	}

	if req.Settings.GSI.Read.Polar, err = gsi.ParsePolarMode(f.gsiPolar); err != nil {
		return req, usagef("--gsi-polar: %q is not auto, on or off", f.gsiPolar)
	}
	req.Settings.DXF.Read.PairLabels = f.dxfLabels

	return req, nil
}

func parseDelimiter(s string) (rune, error) {
	switch strings.ToLower(s) {
	case "":
		return 0, nil
	case ",", ";", "|":
		return rune(s[0]), nil
	case "tab", `\t`, "\t":
		return '\t', nil
	case "space", " ":
		return ' ', nil
	}

	return 0, usagef(`--delimiter: %q is not ",", ";", "tab", "|" or "space"`, s)
}

// importJSON is the result of import and of get --import.
type importJSON struct {
	Project string         `json:"project"`
	Files   []importResult `json:"files"`
	Totals  importTotals   `json:"totals"`
}

type importTotals struct {
	Points   int `json:"points"`
	Lines    int `json:"lines"`
	Surfaces int `json:"surfaces"`
	Warnings int `json:"warnings"`
}

// importResult is the summary of one file.
type importResult struct {
	File         string   `json:"file"`
	Format       string   `json:"format,omitempty"`
	Attachment   bool     `json:"attachment,omitempty"`
	Points       int      `json:"points"`
	Lines        int      `json:"lines"`
	Surfaces     int      `json:"surfaces"`
	Warnings     int      `json:"warnings"`
	Observations int      `json:"observations,omitempty"`
	Skipped      int      `json:"skipped_duplicates,omitempty"`
	NothingNew   bool     `json:"nothing_new,omitempty"`
	Already      bool     `json:"already_in_project,omitempty"`
	Linked       bool     `json:"linked_to_procore,omitempty"`
	Earlier      string   `json:"earlier_source,omitempty"`
	Overwritten  int      `json:"overwritten,omitempty"`
	Renamed      int      `json:"renamed,omitempty"`
	SameLines    int      `json:"same_lines,omitempty"`
	SameSurfaces int      `json:"same_surfaces,omitempty"`
	Added        int      `json:"added,omitempty"`
	Changed      int      `json:"changed,omitempty"`
	Removed      int      `json:"removed,omitempty"`
	Replaced     int      `json:"replaced_sources,omitempty"`
	WarningText  []string `json:"warning_messages,omitempty"`
	Error        string   `json:"error,omitempty"`
}

// importItem is one file to import and, for a download, its Procore source.
type importItem struct {
	path    string
	procore *project.ProcoreRef
}

// importAll imports every item into p, going on after a file that fails.
// Each failure is told on stderr; the error at the end counts them.
func (r *runner) importAll(ctx context.Context, p *project.Project, base importRequest,
	items []importItem,
) (*importJSON, error) {
	out := &importJSON{Project: p.Dir(), Files: []importResult{}}
	failed := 0

	unit := base.unit
	if unit == survey.UnitUnknown {
		unit = p.Settings().Unit
	}
	base.Settings = base.Settings.WithUnit(unit)

	for _, it := range items {
		fi := base.FileImport
		fi.Path, fi.Procore = it.path, it.procore

		res, err := r.importFile(ctx, p, fi)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			failed++
			r.logError(err)
			msg := app.UserMessage(err)
			if !strings.Contains(msg, filepath.Base(it.path)) {
				msg = filepath.Base(it.path) + ": " + msg
			}
			r.infof("%s", msg)
			out.Files = append(out.Files, importResult{File: filepath.Base(it.path), Error: msg})
			continue
		}

		sum := summaryJSON(filepath.Base(it.path), res)
		for _, w := range sum.WarningText {
			r.infof("warning: %s", w)
		}
		out.Files = append(out.Files, sum)
		out.Totals.Points += sum.Points
		out.Totals.Lines += sum.Lines
		out.Totals.Surfaces += sum.Surfaces
		out.Totals.Warnings += sum.Warnings
	}

	if failed > 0 {
		return out, &sentenceError{msg: failedText(failed, len(items), "imported")}
	}

	return out, nil
}

// importFile imports one file with a progress bar of the bytes read on
// stderr when it is a terminal; none with --json or when redirected.
func (r *runner) importFile(ctx context.Context, p *project.Project, fi project.FileImport,
) (project.ImportResult, error) {
	if r.json || !progressTerminal(r.io.Err) {
		return p.ImportFile(ctx, fi)
	}

	prog := &transfer.Progress{}
	if st, err := os.Stat(fi.Path); err == nil {
		prog.AddTotal(st.Size(), 1)
	}
	fi.Progress = prog.AddBytes
	stop := r.showProgress("Importing "+filepath.Base(fi.Path), prog)

	res, err := p.ImportFile(ctx, fi)
	if err == nil {
		prog.FileDone()
	}
	stop()

	return res, err
}

func summaryJSON(file string, s project.ImportResult) importResult {
	res := importResult{
		File: file, Format: s.Format, Attachment: s.Attachment != nil,
		Points: s.Points, Lines: s.Lines, Surfaces: s.Surfaces, Warnings: len(s.Warnings),
		Observations: s.Observations, Skipped: s.Skipped, NothingNew: s.NothingNew,
		Overwritten: s.Overwritten, Renamed: s.Renamed, Added: s.Added, Changed: s.Changed,
		Removed: s.Removed, Already: s.AlreadyInProject, Linked: s.LinkedToProcore,
		Earlier: s.EarlierName, SameLines: s.SameLines, SameSurfaces: s.SameSurfaces,
		Replaced: len(s.ReplacedSources),
	}
	for _, w := range s.Warnings {
		res.WarningText = append(res.WarningText, w.String())
	}

	return res
}

func printImport(w io.Writer, out *importJSON) {
	for _, f := range out.Files {
		switch {
		case f.Error != "":
			fmt.Fprintf(w, "%s: not imported\n", f.File)
		case f.Already && f.Linked:
			fmt.Fprintf(w, "%s: already in the project%s (same content); not added again, but "+
				"the project's copy is now linked to this Procore file\n", f.File, asEarlier(f))
		case f.Already:
			fmt.Fprintf(w, "%s: already in the project%s (same content); not added again. To "+
				"read it again with other settings, import it with --duplicates overwrite\n",
				f.File, asEarlier(f))
		case f.Attachment:
			fmt.Fprintf(w, "%s: kept as an attachment (%s)\n", f.File, f.Format)
		case f.NothingNew:
			fmt.Fprintf(w, "%s (%s): nothing new imported: %s\n", f.File, f.Format, nothingNewText(f))
		default:
			fmt.Fprintf(w, "%s (%s): %s, %s, %s, %s", f.File, f.Format,
				survey.Plural(f.Points, "point", "points"), survey.Plural(f.Lines, "line", "lines"),
				survey.Plural(f.Surfaces, "surface", "surfaces"),
				survey.Plural(f.Warnings, "warning", "warnings"))
			if f.Skipped > 0 || f.Overwritten > 0 || f.Renamed > 0 {
				fmt.Fprintf(w, "; duplicate ids: %d skipped, %d overwritten, %d renamed",
					f.Skipped, f.Overwritten, f.Renamed)
			}
			if f.SameLines > 0 || f.SameSurfaces > 0 {
				fmt.Fprintf(w, "; identical to ones in the project: %s, %s",
					survey.Plural(f.SameLines, "line", "lines"),
					survey.Plural(f.SameSurfaces, "surface", "surfaces"))
			}
			if f.Replaced > 0 {
				fmt.Fprintf(w, "; replaced %s", survey.Plural(f.Replaced,
					"earlier import of it", "earlier imports of it"))
			}
			if f.Added+f.Changed+f.Removed > 0 {
				fmt.Fprintf(w, "; against the older version: %d added, %d changed, %d removed",
					f.Added, f.Changed, f.Removed)
			}
			fmt.Fprintln(w)
		}
	}
}

// asEarlier names the earlier source of a file already in the project when
// it had another name: " as stakes.csv".
func asEarlier(f importResult) string {
	if f.Earlier == "" || f.Earlier == f.File {
		return ""
	}

	return " as " + f.Earlier
}

// nothingNewText says what of a file that brought nothing new the project
// already holds: "all 2 points are already in the project (duplicate ids
// skipped)".
func nothingNewText(f importResult) string {
	if f.SameLines == 0 && f.SameSurfaces == 0 {
		all := fmt.Sprintf("all %d points are", f.Skipped)
		if f.Skipped == 1 {
			all = "its 1 point is"
		}

		return all + " already in the project (duplicate ids skipped)"
	}

	var parts []string
	if f.Skipped > 0 {
		parts = append(parts, survey.Plural(f.Skipped, "point", "points"))
	}
	if f.SameLines > 0 {
		parts = append(parts, survey.Plural(f.SameLines, "line", "lines"))
	}
	if f.SameSurfaces > 0 {
		parts = append(parts, survey.Plural(f.SameSurfaces, "surface", "surfaces"))
	}

	list := parts[len(parts)-1]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + " and " + list
	}
	verb := "are"
	if f.Skipped+f.SameLines+f.SameSurfaces == 1 {
		verb = "is"
	}

	return "its " + list + " " + verb + " already in the project (not added again)"
}

// emitImport prints the import result and then returns err (a partial
// failure still prints what was imported).
func (r *runner) emitImport(out *importJSON, err error) error {
	if out == nil {
		return err
	}
	if eerr := r.emit(out, func(w io.Writer) { printImport(w, out) }); eerr != nil {
		return eerr
	}

	return err
}

// templateError words a bad --template without the csv package's prefix.
func templateError(template string, err error) error {
	msg := strings.TrimPrefix(err.Error(), fmt.Sprintf("csv: template %q: ", template))

	return usagef("--template: %q: %s", template, msg)
}
