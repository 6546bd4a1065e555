package cli

import (
	"context"

	"github.com/spf13/cobra"
)

// importFlags are the reading settings of import (and get --import).
type importFlags struct {
	format     string
	template   string
	delimiter  string
	header     int
	decimal    string
	unit       string
	duplicates string
}

func (f *importFlags) register(cmd *cobra.Command, withFormat bool) {
	fs := cmd.Flags()
	fs.StringVar(&f.format, "format", "auto", "auto, csv, landxml, dxf, gsi or geojson")
	fs.StringVar(&f.template, "template", "", "column template of delimited files: a named "+
		"template (PNEZD, PENZD, PNEZ, PENZ, NEZ, ENZ) or any sequence of P, N, E, Z, D "+
		"and - for a column to ignore (P-EN: id, skip one, easting, northing)")
	fs.StringVar(&f.delimiter, "delimiter", "", "delimiter of delimited files "+
		"(default: detected)")
	fs.IntVar(&f.header, "header", -1, "header rows of delimited files (default: detected)")
	fs.StringVar(&f.decimal, "decimal", "", "decimal mark of delimited files: . or ,")
	fs.StringVar(&f.unit, "unit", "", "unit of the file's coordinates: m, ft or usft "+
		"(default: from the file, else the project's unit)")
	fs.StringVar(&f.duplicates, "duplicates", "skip", "what to do with a point id that is "+
		"already in the project: skip, overwrite or rename")
	_ = withFormat
}

// importResult is the summary of one imported file.
type importResult struct {
	File     string   `json:"file"`
	Format   string   `json:"format"`
	Points   int      `json:"points"`
	Lines    int      `json:"lines"`
	Surfaces int      `json:"surfaces"`
	Warnings []string `json:"warnings"`
}

func (r *runner) importFetched(ctx context.Context, projectDir string, ids procoreIDs, files []fetched, f importFlags) ([]importResult, error) {
	return nil, errNotYet
}

func (r *runner) getDest(to, projectDir string) (string, error) {
	if to != "" {
		return to, nil
	}
	if projectDir != "" {
		return "", errNotYet
	}

	return ".", nil
}
