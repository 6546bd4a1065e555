// Package formats is the registry of survey data formats: it lists them,
// recognises a file by its content (and, as a hint, its extension), and
// reads, writes and previews a dataset by format name with one Settings
// value that aggregates every format's own settings.
//
// Files that are not survey data (PDF, images, DWG, point clouds, zip
// archives...) are recognised as attachments: the project keeps them, lists
// them and does not parse them.
package formats

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/backsight/backsight/internal/formats/csv"
	"github.com/backsight/backsight/internal/formats/dxf"
	"github.com/backsight/backsight/internal/formats/geojson"
	"github.com/backsight/backsight/internal/formats/gsi"
	"github.com/backsight/backsight/internal/formats/landxml"
	"github.com/backsight/backsight/internal/survey"
)

// Data format names.
const (
	CSV     = "csv"
	LandXML = "landxml"
	DXF     = "dxf"
	GSI     = "gsi"
	GeoJSON = "geojson"
)

// Attachment kinds (formats the project keeps without parsing).
const (
	PDF        = "pdf"
	Image      = "image"
	DWG        = "dwg"
	LAS        = "las"
	LAZ        = "laz"
	E57        = "e57"
	Zip        = "zip"
	Attachment = "attachment" // any other file
)

// Kind tells survey data from attachments.
type Kind string

// Kinds of format.
const (
	KindData       Kind = "data"
	KindAttachment Kind = "attachment"
)

// Format describes one format.
type Format struct {
	Name  string // registry name, e.g. "csv"
	Label string // for menus, e.g. "Delimited points (CSV, TXT, ASC)"
	Kind  Kind
	// Extensions are lower-case with the dot; the first is the default for export.
	Extensions []string
	CanRead    bool
	CanWrite   bool
}

// Formats lists every known format, data formats first.
var Formats = []Format{
	{CSV, "Delimited points (CSV, TXT, ASC: PNEZD, PENZD…)", KindData,
		[]string{".csv", ".txt", ".asc", ".pnezd", ".penzd", ".xyz", ".pts", ".nez", ".prn"}, true, true},
	{LandXML, "LandXML 1.0–1.2", KindData, []string{".xml", ".landxml"}, true, true},
	{DXF, "DXF (ASCII, R12–2018)", KindData, []string{".dxf"}, true, true},
	{GSI, "Leica GSI-8/GSI-16", KindData, []string{".gsi"}, true, true},
	{GeoJSON, "GeoJSON", KindData, []string{".geojson", ".json"}, true, true},
	{PDF, "PDF document", KindAttachment, []string{".pdf"}, false, false},
	{Image, "Image", KindAttachment, []string{".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp",
		".webp", ".heic"}, false, false},
	{DWG, "AutoCAD drawing (DWG)", KindAttachment, []string{".dwg"}, false, false},
	{LAS, "LAS point cloud", KindAttachment, []string{".las"}, false, false},
	{LAZ, "LAZ point cloud", KindAttachment, []string{".laz"}, false, false},
	{E57, "E57 point cloud", KindAttachment, []string{".e57"}, false, false},
	{Zip, "Zip archive (e.g. Leica DBX job)", KindAttachment, []string{".zip", ".dbx", ".xcf"}, false, false},
	{Attachment, "Other file", KindAttachment, nil, false, false},
}

// Errors of the registry (test with errors.Is).
var (
	ErrUnknownFormat = errors.New("formats: unknown format")
	// ErrAttachment: the file is an attachment, kept but not parsed.
	ErrAttachment = errors.New("formats: file is an attachment, not survey data")
	// ErrNotWritable: the format has no writer.
	ErrNotWritable = errors.New("formats: format cannot be written")
)

// alias is another name of a data format; a delimited-points alias that
// names a column order carries it as its template.
type alias struct {
	format, template string
}

// aliases maps other names (extensions, column orders) to their format.
// "xyz" is X, Y, Z with X the easting, as in the header names the CSV
// reader knows (x, y).
var aliases = map[string]alias{
	"txt": {CSV, ""}, "asc": {CSV, ""}, "pts": {CSV, ""}, "points": {CSV, ""},
	"pnezd": {CSV, csv.PNEZD}, "penzd": {CSV, csv.PENZD}, "xyz": {CSV, csv.ENZ},
	"xml": {LandXML, ""}, "land-xml": {LandXML, ""},
	"json": {GeoJSON, ""},
}

func normaliseName(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "."))
}

// Lookup returns the format with the given name or alias (xml, json, txt,
// asc, pnezd, xyz...), case-insensitive. An alias that names a column order
// has it as its [AliasTemplate].
func Lookup(name string) (Format, error) {
	n := normaliseName(name)
	if a, ok := aliases[n]; ok {
		n = a.format
	}

	for _, f := range Formats {
		if f.Name == n {
			return f, nil
		}
	}

	return Format{}, fmt.Errorf("%w %q", ErrUnknownFormat, name)
}

// AliasTemplate returns the CSV column order a format alias names: PNEZD
// for "pnezd", PENZD for "penzd", ENZ (easting, northing, elevation) for
// "xyz"; "" for any other name. Readers and writers given such an alias
// use its order unless the user gives another.
func AliasTemplate(name string) string {
	return aliases[normaliseName(name)].template
}

// IsAttachment reports whether format names an attachment kind.
func IsAttachment(format string) bool {
	f, err := Lookup(format)

	return err == nil && f.Kind == KindAttachment
}

// DefaultExt returns the export extension of a data format (".csv", ...).
func DefaultExt(format string) string {
	f, err := Lookup(format)
	if err != nil || len(f.Extensions) == 0 {
		return ""
	}

	return f.Extensions[0]
}

// byExtension returns the formats whose extensions include name's.
func byExtension(name string) []string {
	ext := strings.ToLower(filepath.Ext(name))
	var out []string
	for _, f := range Formats {
		if ext != "" && slices.Contains(f.Extensions, ext) {
			out = append(out, f.Name)
		}
	}

	return out
}

// CSVSettings pairs the CSV reader and writer settings.
type CSVSettings struct {
	Read  csv.ReadSettings
	Write csv.WriteSettings
}

// LandXMLSettings pairs the LandXML reader and writer settings.
type LandXMLSettings struct {
	Read  landxml.ReadSettings
	Write landxml.WriteSettings
}

// DXFSettings pairs the DXF reader and writer settings.
type DXFSettings struct {
	Read  dxf.ReadSettings
	Write dxf.WriteSettings
}

// GSISettings pairs the GSI reader and writer settings.
type GSISettings struct {
	Read  gsi.ReadSettings
	Write gsi.WriteSettings
}

// GeoJSONSettings pairs the GeoJSON reader and writer settings.
type GeoJSONSettings struct {
	Read  geojson.ReadSettings
	Write geojson.WriteSettings
}

// Settings aggregates every format's settings. The zero value reads and
// writes metres with each format's defaults.
type Settings struct {
	CSV     CSVSettings
	LandXML LandXMLSettings
	DXF     DXFSettings
	GSI     GSISettings
	GeoJSON GeoJSONSettings
}

// WithAlias returns s with the column order that the format alias name
// gives (see [AliasTemplate]) as the CSV read and write template, where s
// sets none.
func (s Settings) WithAlias(name string) Settings {
	t := AliasTemplate(name)
	if s.CSV.Read.Template == "" {
		s.CSV.Read.Template = t
	}

	if s.CSV.Write.Template == "" {
		s.CSV.Write.Template = t
	}

	return s
}

// WithUnit returns s with u as the unit of every writer, and as the unit
// read from files that do not declare their own (CSV, DXF, GeoJSON with a
// projected crs, LandXML without Units). Use the project unit.
func (s Settings) WithUnit(u survey.Unit) Settings {
	s.CSV.Read.Unit, s.CSV.Write.Unit = u, u
	s.DXF.Read.Unit, s.DXF.Write.Unit = u, u
	s.GeoJSON.Read.Unit, s.GeoJSON.Write.Unit = u, u
	s.LandXML.Read.DefaultUnit, s.LandXML.Write.Unit = u, u

	return s
}
