package sandbox

import "testing"

func TestContentTypeOf(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"points.csv", "text/csv"},
		{"POINTS.CSV", "text/csv"},
		{"design.xml", "application/xml"},
		{"plan.DXF", "image/vnd.dxf"},
		{"job.gsi", "text/plain"},
		{"site.geojson", "application/geo+json"},
		{"report.pdf", "application/pdf"},
		{"field.raw", "application/octet-stream"},
		{"no-extension", "application/octet-stream"},
	}
	for _, tt := range tests {
		if got := contentTypeOf(tt.name); got != tt.want {
			t.Errorf("contentTypeOf(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
