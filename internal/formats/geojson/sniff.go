package geojson

import (
	"bytes"
	"path/filepath"
	"strings"
)

var geoTypes = [][]byte{[]byte(`"FeatureCollection"`), []byte(`"Feature"`), []byte(`"Point"`),
	[]byte(`"LineString"`), []byte(`"Polygon"`), []byte(`"MultiPoint"`), []byte(`"MultiLineString"`),
	[]byte(`"MultiPolygon"`), []byte(`"GeometryCollection"`)}

// Sniff returns a 0..100 confidence that head is GeoJSON: a JSON object
// with a "type" member naming a GeoJSON type. A .geojson extension adds a
// little; a JSON object without GeoJSON types scores low.
func Sniff(name string, head []byte) int {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(t) == 0 || t[0] != '{' {
		return 0
	}

	score := 10
	if bytes.Contains(t, []byte(`"type"`)) {
		for _, g := range geoTypes {
			if bytes.Contains(t, g) {
				score = 85

				break
			}
		}
	}

	if strings.EqualFold(filepath.Ext(name), ".geojson") {
		score += 10
	}

	return min(score, 100)
}
