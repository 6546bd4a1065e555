package ui

import (
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
