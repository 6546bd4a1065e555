package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/formats/landxml"
	"github.com/backsight/backsight/internal/survey"
)

// TODO(ui): use the internal/formats registry (Detect, Read, Write by name)
// once it has landed; until then this table dispatches to the format
// packages that exist.

// format is one file format the import and export windows offer.
type format struct {
	Name  string // registry name: csv, landxml, gsi, ...
	Title string
	Ext   string
	Sniff func(name string, head []byte) int
	// Read reads with settings (the package's ReadSettings value).
	Read func(ctx context.Context, r io.Reader, name string, settings any) (*survey.Dataset, error)
	// Write writes with settings (the package's WriteSettings value).
	Write func(ctx context.Context, w io.Writer, ds *survey.Dataset, settings any) error
	// ReadSettings and WriteSettings return the zero settings.
	ReadSettings  func() any
	WriteSettings func() any
}

var formatTable = []format{
	{
		Name: "csv", Title: "Delimited points (CSV, TXT, ASC)", Ext: ".csv",
		Sniff: csv.Sniff,
		Read: func(ctx context.Context, r io.Reader, name string, s any) (*survey.Dataset, error) {
			return csv.Read(ctx, r, name, s.(csv.ReadSettings))
		},
		Write: func(ctx context.Context, w io.Writer, ds *survey.Dataset, s any) error {
			return csv.Write(ctx, w, ds, s.(csv.WriteSettings))
		},
		ReadSettings:  func() any { return csv.ReadSettings{} },
		WriteSettings: func() any { return csv.WriteSettings{Header: true} },
	},
	{
		Name: "landxml", Title: "LandXML", Ext: ".xml",
		Sniff: landxml.Sniff,
		Read: func(ctx context.Context, r io.Reader, name string, s any) (*survey.Dataset, error) {
			return landxml.Read(ctx, r, name, s.(landxml.ReadSettings))
		},
		Write: func(ctx context.Context, w io.Writer, ds *survey.Dataset, s any) error {
			return landxml.Write(ctx, w, ds, s.(landxml.WriteSettings))
		},
		ReadSettings:  func() any { return landxml.ReadSettings{} },
		WriteSettings: func() any { return landxml.WriteSettings{} },
	},
	{
		Name: "gsi", Title: "Leica GSI", Ext: ".gsi",
		Sniff: gsi.Sniff,
		Read: func(ctx context.Context, r io.Reader, name string, s any) (*survey.Dataset, error) {
			return gsi.Read(ctx, r, name, s.(gsi.ReadSettings))
		},
		Write: func(ctx context.Context, w io.Writer, ds *survey.Dataset, s any) error {
			return gsi.Write(ctx, w, ds, s.(gsi.WriteSettings))
		},
		ReadSettings:  func() any { return gsi.ReadSettings{} },
		WriteSettings: func() any { return gsi.WriteSettings{} },
	},
}

// formatByName returns the format called name, or nil.
func formatByName(name string) *format {
	i := slices.IndexFunc(formatTable, func(f format) bool { return f.Name == name })
	if i < 0 {
		return nil
	}

	return &formatTable[i]
}

// formatTitles lists the titles in table order.
func formatTitles() []string {
	out := make([]string, len(formatTable))
	for i, f := range formatTable {
		out[i] = f.Title
	}

	return out
}

// detectFormat reads the start of path and returns the most likely format
// and its confidence; nil when no format is confident at all.
func detectFormat(path string) (*format, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()

	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, 0, err
	}
	head = head[:n]

	var best *format
	bestScore := 0
	for i := range formatTable {
		if s := formatTable[i].Sniff(filepath.Base(path), head); s > bestScore {
			best, bestScore = &formatTable[i], s
		}
	}

	return best, bestScore, nil
}
