package ui

import (
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/backsight/backsight/internal/formats"
)

// dataFormats are the registry's survey data formats, offered by the import
// and export windows in the registry's order.
var dataFormats = slices.DeleteFunc(slices.Clone(formats.Formats), func(f formats.Format) bool {
	return f.Kind != formats.KindData || !f.CanRead || !f.CanWrite
})

// formatLabels lists the labels of dataFormats.
func formatLabels() []string {
	out := make([]string, len(dataFormats))
	for i, f := range dataFormats {
		out[i] = f.Label
	}

	return out
}

// formatIndex returns the position of the format called name in dataFormats,
// or -1.
func formatIndex(name string) int {
	return slices.IndexFunc(dataFormats, func(f formats.Format) bool { return f.Name == name })
}

// detectFormat reads the start of path and returns the registry's guess and
// its confidence. Attachments come back with their own names.
func detectFormat(path string) (string, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()

	head := make([]byte, formats.HeadSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", 0, err
	}

	name, score := formats.Detect(filepath.Base(path), head[:n])

	return name, score, nil
}
