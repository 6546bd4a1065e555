package ui

import (
	"strings"
	"testing"

	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/survey"
)

// TestExportResultTextWarnings: the export's result shows the first of the
// writer's warnings whole (the GSI writer sums up its changed codes in one)
// and counts the others.
func TestExportResultTextWarnings(t *testing.T) {
	codes := `changed 2 codes on 3 points (GSI words hold at most 16 ASCII characters ` +
		`without spaces): "TOP BANK" written as "TOP_BANK", "STORM MH" as "STORM_MH"`
	id := survey.Warning{Element: `point 4 "A B"`, Msg: `point id "A B" written as "A_B"`}
	tests := []struct {
		name  string
		warns []survey.Warning
		want  string
	}{
		{"none", nil, "Saved 4 points to o.gsi."},
		{"the codes", []survey.Warning{{Msg: codes}}, "Saved 4 points to o.gsi. Warning: " +
			codes + "."},
		{"the codes and an id", []survey.Warning{{Msg: codes}, id}, "Saved 4 points to " +
			"o.gsi. Warning: " + codes + " (and 1 other warning)."},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := &exportPlan{f: &formats.Format{Name: formats.GSI}}
			written := &ExportResult{Counts: survey.Counts{Points: 4}, Warnings: tt.warns}
			got := exportResultText(plan, "o.gsi", written, nil)
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if strings.Contains(got, "1 value") {
				t.Errorf("a summing-up warning counted as one value: %q", got)
			}
		})
	}
}
