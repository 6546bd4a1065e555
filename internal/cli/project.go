package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/backsight/backsight/internal/project"
	"github.com/backsight/backsight/internal/survey"
)

func (r *runner) projectCommand() *cobra.Command {
	cmd := group("project", "Create or describe a survey project")
	cmd.AddCommand(r.projectNewCommand(), r.projectInfoCommand())

	return cmd
}

func (r *runner) projectNewCommand() *cobra.Command {
	var name, unit string

	cmd := &cobra.Command{
		Use:   "new DIR [--name NAME] [--unit m|ft|usft]",
		Short: "Create a survey project in a folder",
		Args:  exactArgs(1, "the project folder DIR"),
		RunE: r.run(func(cmd *cobra.Command, args []string) error {
			u, err := survey.ParseUnit(unit)
			if err != nil {
				return usagef("--unit: %v", err)
			}

			p, err := project.Create(cmd.Context(), args[0], project.Settings{Name: name, Unit: u})
			if err != nil {
				return err
			}
			defer p.Close()

			r.infof("Created the project %q in %s.", p.Settings().Name, p.Dir())

			return r.emitProject(cmd, p)
		}),
	}
	cmd.Flags().StringVar(&name, "name", "", "project name (default: the folder's name)")
	cmd.Flags().StringVar(&unit, "unit", "m", "linear unit: m, ft or usft")

	return cmd
}

func (r *runner) projectInfoCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "info DIR",
		Short: "Describe a survey project: settings, sources and counts",
		Args:  exactArgs(1, "the project folder DIR"),
		RunE: r.run(func(cmd *cobra.Command, args []string) error {
			p, err := openProject(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer p.Close()

			return r.emitProject(cmd, p)
		}),
	}
}

// projectJSON describes a project.
type projectJSON struct {
	Dir         string              `json:"dir"`
	Name        string              `json:"name"`
	Unit        survey.Unit         `json:"unit"`
	ExportCopy  string              `json:"export_copy"`
	Procore     project.ProcoreLink `json:"procore"`
	Points      int                 `json:"points"`
	Sources     []sourceJSON        `json:"sources"`
	Attachments int                 `json:"attachments"`
}

type sourceJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Format   string `json:"format"`
	Points   int    `json:"points"`
	Lines    int    `json:"lines"`
	Surfaces int    `json:"surfaces"`
	// Procore fields are set for files downloaded from Procore.
	ProcorePath string `json:"procore_path,omitempty"`
	FileID      int64  `json:"procore_file_id,omitempty"`
	VersionID   int64  `json:"procore_version_id,omitempty"`
	Version     int64  `json:"procore_version,omitempty"`
}

func (r *runner) emitProject(cmd *cobra.Command, p *project.Project) error {
	ctx := cmd.Context()

	sources, err := p.Sources(ctx)
	if err != nil {
		return err
	}

	points, err := p.PointCount(ctx, project.Selection{})
	if err != nil {
		return err
	}

	atts, err := p.Attachments(ctx)
	if err != nil {
		return err
	}

	s := p.Settings()
	out := projectJSON{Dir: p.Dir(), Name: s.Name, Unit: s.Unit, ExportCopy: s.ExportCopy,
		Procore: s.Procore, Points: points, Sources: []sourceJSON{}, Attachments: len(atts)}
	for _, src := range sources {
		sj := sourceJSON{ID: src.ID, Name: src.Name, Format: src.Format, Points: src.Points,
			Lines: src.Lines, Surfaces: src.Surfaces}
		if ref := src.Procore; ref != nil {
			sj.ProcorePath, sj.FileID, sj.VersionID, sj.Version = ref.Path, ref.FileID,
				ref.VersionID, ref.VersionNumber
		}
		out.Sources = append(out.Sources, sj)
	}

	return r.emit(out, func(w io.Writer) { printProject(w, out) })
}

func printProject(w io.Writer, p projectJSON) {
	fmt.Fprintf(w, "Project:     %s\nFolder:      %s\nUnit:        %s\nPoints:      %d\n",
		p.Name, p.Dir, p.Unit, p.Points)
	if p.Procore.ProjectID != 0 {
		fmt.Fprintf(w, "Procore:     company %d, project %d\n", p.Procore.CompanyID,
			p.Procore.ProjectID)
	}
	fmt.Fprintf(w, "Attachments: %d\nSources:     %d\n", p.Attachments, len(p.Sources))

	// The name and format columns are as wide as their longest value, so
	// that the counts line up (sample files' names run to 45 characters,
	// and an attachment's format is "attachment").
	nameWidth, formatWidth := 30, 8
	for _, s := range p.Sources {
		nameWidth = max(nameWidth, utf8.RuneCountInString(s.Name))
		formatWidth = max(formatWidth, utf8.RuneCountInString(s.Format))
	}

	for _, s := range p.Sources {
		line := fmt.Sprintf("  %-*s %-*s %s %s %s", nameWidth, s.Name, formatWidth, s.Format,
			column(s.Points, 6, "point", "points"), column(s.Lines, 4, "line", "lines"),
			column(s.Surfaces, 2, "surface", "surfaces"))
		if s.ProcorePath != "" {
			line += fmt.Sprintf("  Procore %s v%d", s.ProcorePath, s.Version)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

// column is a count and its noun for a table: n right-aligned in width
// digits, the noun padded to the length of its plural so the columns after
// it line up.
func column(n, width int, one, many string) string {
	noun := many
	if n == 1 {
		noun = one
	}

	return fmt.Sprintf("%*d %-*s", width, n, len(many), noun)
}
