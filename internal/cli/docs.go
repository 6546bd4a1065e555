package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/transfer"
)

// docs is what every Documents-tool command works with.
type docs struct {
	ids   procoreIDs
	scope procore.Scope
	t     *transfer.Transferer
}

func (r *runner) docs(cmd *cobra.Command) (*docs, error) {
	ids, err := r.ids(cmd, true)
	if err != nil {
		return nil, err
	}

	a, _, err := r.client(cmd)
	if err != nil {
		return nil, err
	}

	t, err := a.Transferer(ids.company)
	if err != nil {
		return nil, err
	}

	return &docs{ids: ids, scope: procore.ProjectScope(ids.project), t: t}, nil
}

// splitPath splits a Procore path ("Survey/Control", "/", "") into names.
// Names keep their spaces (Procore names may begin or end with one); see
// findEntry for the match.
func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if t := strings.TrimSpace(s); t != "" && t != "." {
			out = append(out, s)
		}
	}

	return out
}

// target is what a Procore path names: a folder, or a file in a folder.
type target struct {
	// Path holds the names from the root down to the folder or file.
	Path   []string
	Folder *procore.Folder // the folder itself, or the file's folder
	File   *procore.File   // nil for a folder
}

// resolve walks path from the root, one folder listing per level.
func (d *docs) resolve(ctx context.Context, path string) (*target, error) {
	names := splitPath(path)

	folder, err := d.t.ListFolder(ctx, d.scope, 0)
	if err != nil {
		return nil, err
	}

	for i, name := range names {
		sub, f := findEntry(folder, name)
		switch {
		case sub != nil:
			names[i] = sub.Name
			if folder, err = d.t.ListFolder(ctx, d.scope, sub.ID); err != nil {
				return nil, err
			}
			continue
		case f != nil && i == len(names)-1:
			names[i] = f.Name
			return &target{Path: names, Folder: folder, File: f}, nil
		case f != nil:
			return nil, &sentenceError{msg: fmt.Sprintf("%s is a file, not a folder, so "+
				"there is nothing inside it. Check the path with backsight procore ls.",
				joinPath(append(names[:i:i], f.Name)))}
		}

		return nil, &sentenceError{msg: fmt.Sprintf("There is no %q in the Procore folder %q. "+
			"Check the path with backsight procore ls.", name, "/"+strings.Join(names[:i], "/"))}
	}

	return &target{Path: names, Folder: folder}, nil
}

// folderID is the ID to list or upload into: 0 for the project's root
// (what transfer takes for the whole project), else the folder's own.
func (tg *target) folderID() int64 {
	if len(tg.Path) == 0 {
		return 0
	}

	return tg.Folder.ID
}

// open is the opening of every command that takes a Procore path: the
// Documents tool of the company and project, and what path names there.
func (r *runner) open(cmd *cobra.Command, path string) (*docs, *target, error) {
	d, err := r.docs(cmd)
	if err != nil {
		return nil, nil, err
	}

	tg, err := d.resolve(cmd.Context(), path)
	if err != nil {
		return nil, nil, err
	}

	return d, tg, nil
}

// findEntry finds the subfolder or file called name in f: the exact name
// first, else one that differs only in spaces around it (a path typed as
// "A / B"). Deleted entries do not count.
func findEntry(f *procore.Folder, name string) (*procore.Folder, *procore.File) {
	for _, same := range []func(string) bool{exactly(name), trimmed(name)} {
		for i := range f.Folders {
			if same(f.Folders[i].Name) && !f.Folders[i].IsDeleted {
				return &f.Folders[i], nil
			}
		}
		for i := range f.Files {
			if same(f.Files[i].Name) && !f.Files[i].IsDeleted {
				return nil, &f.Files[i]
			}
		}
	}

	return nil, nil
}

func exactly(name string) func(string) bool {
	return func(s string) bool { return s == name }
}

func trimmed(name string) func(string) bool {
	name = strings.TrimSpace(name)

	return func(s string) bool { return strings.TrimSpace(s) == name }
}

// entryJSON is one item of ls and tree.
type entryJSON struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	Type      string      `json:"type"`
	Path      string      `json:"path"`
	Size      int64       `json:"size,omitempty"`
	Version   int         `json:"version,omitempty"`
	VersionID int64       `json:"version_id,omitempty"`
	UpdatedAt *time.Time  `json:"updated_at,omitempty"`
	UpdatedBy string      `json:"updated_by,omitempty"`
	Children  []entryJSON `json:"children,omitempty"`
}

func fileEntry(f *procore.File, path []string) entryJSON {
	e := entryJSON{ID: f.ID, Name: f.Name, Type: "file", Path: joinPath(path), Size: f.Size}
	if v := f.LatestVersion(); v != nil {
		e.Version, e.VersionID = v.Number, v.ID
		if v.CreatedBy != nil {
			e.UpdatedBy = v.CreatedBy.Login
		}
	}
	if !f.UpdatedAt.IsZero() {
		t := f.UpdatedAt.Time
		e.UpdatedAt = &t
	}

	return e
}

func joinPath(names []string) string { return "/" + strings.Join(names, "/") }

func appendName(path []string, name string) []string {
	return append(append([]string(nil), path...), name)
}

func (r *runner) lsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ls --company ID --project ID [PROCORE_PATH]",
		Short: "List a Procore folder (or show one file)",
		Args:  maxArgs(1, "at most one PROCORE_PATH"),
		RunE: r.run(func(cmd *cobra.Command, args []string) error {
			_, tg, err := r.open(cmd, firstOr(args, ""))
			if err != nil {
				return err
			}

			var items []entryJSON
			if tg.File != nil {
				items = append(items, fileEntry(tg.File, tg.Path))
			} else {
				for i := range tg.Folder.Folders {
					f := &tg.Folder.Folders[i]
					items = append(items, entryJSON{ID: f.ID, Name: f.Name, Type: "folder",
						Path: joinPath(appendName(tg.Path, f.Name))})
				}
				for i := range tg.Folder.Files {
					f := &tg.Folder.Files[i]
					items = append(items, fileEntry(f, appendName(tg.Path, f.Name)))
				}
			}

			return r.emit(nonNil(items), func(w io.Writer) { printEntries(w, items) })
		}),
	}
	r.projectFlags(cmd)

	return cmd
}

func printEntries(w io.Writer, items []entryJSON) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\tID\tSIZE\tVERSION\tUPDATED\tNAME")
	for _, e := range items {
		size, version, updated := "-", "-", "-"
		if e.Type == "file" {
			size = fmt.Sprint(e.Size)
			version = fmt.Sprint(e.Version)
		}
		if e.UpdatedAt != nil {
			updated = e.UpdatedAt.Local().Format("2006-01-02 15:04")
		}
		name := e.Name
		if e.Type == "folder" {
			name += "/"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", e.Type, e.ID, size, version, updated, name)
	}
	_ = tw.Flush()
}

func (r *runner) treeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tree --company ID --project ID [PROCORE_PATH]",
		Short: "List a Procore folder and everything below it",
		Args:  maxArgs(1, "at most one PROCORE_PATH"),
		RunE: r.run(func(cmd *cobra.Command, args []string) error {
			d, tg, err := r.open(cmd, firstOr(args, ""))
			if err != nil {
				return err
			}
			if tg.File != nil {
				return usagef("%s is a file; use backsight procore ls", joinPath(tg.Path))
			}

			tree, err := d.t.ListTree(cmd.Context(), d.scope, tg.folderID())
			if err != nil {
				return err
			}

			items := treeEntries(tree.Root.Children, tg.Path)

			return r.emit(nonNil(items), func(w io.Writer) {
				fmt.Fprintln(w, joinPath(tg.Path))
				printTree(w, items, "")
			})
		}),
	}
	r.projectFlags(cmd)

	return cmd
}

func treeEntries(nodes []*transfer.Node, base []string) []entryJSON {
	out := make([]entryJSON, 0, len(nodes))
	for _, n := range nodes {
		path := append(append([]string(nil), base...), n.Path...)
		e := entryJSON{ID: n.ID, Name: n.Name, Type: "folder", Path: joinPath(path)}
		if !n.IsFolder {
			e.Type = "file"
			if n.Version != nil {
				e.Version, e.VersionID, e.Size = n.Version.Number, n.Version.ID, n.Version.Size
			}
		}
		e.Children = treeEntries(n.Children, base)
		out = append(out, e)
	}

	return out
}

func printTree(w io.Writer, items []entryJSON, indent string) {
	for i, e := range items {
		branch, next := "├── ", "│   "
		if i == len(items)-1 {
			branch, next = "└── ", "    "
		}
		switch e.Type {
		case "folder":
			fmt.Fprintf(w, "%s%s%s/\n", indent, branch, e.Name)
		default:
			size := fmt.Sprintf("%d bytes", e.Size)
			if e.Size == 1 {
				size = "1 byte"
			}
			fmt.Fprintf(w, "%s%s%s  (v%d, %s)\n", indent, branch, e.Name, e.Version, size)
		}
		printTree(w, e.Children, indent+next)
	}
}

func maxArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return usagef("%s takes %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

func firstOr(args []string, def string) string {
	if len(args) > 0 {
		return args[0]
	}

	return def
}
