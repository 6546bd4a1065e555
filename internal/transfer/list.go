package transfer

import (
	"context"
	"fmt"
	"sort"

	"github.com/backsight/backsight/internal/procore"
)

// ListFolder returns folder folderID (0: the root) of scope with its direct
// subfolders and files, in one request.
func (t *Transferer) ListFolder(ctx context.Context, scope procore.Scope, folderID int64) (*procore.Folder, error) {
	return t.listFolder(ctx, scope, folderID, &procore.FolderOptions{LatestVersionOnly: true})
}

func (t *Transferer) listFolder(
	ctx context.Context, scope procore.Scope, folderID int64, opts *procore.FolderOptions,
) (*procore.Folder, error) {
	var (
		f   *procore.Folder
		err error
	)
	if folderID == 0 {
		f, _, err = t.c.Folders.Root(ctx, scope, opts)
	} else {
		f, _, err = t.c.Folders.Get(ctx, scope, folderID, opts)
	}

	if err != nil {
		return nil, fmt.Errorf("transfer: list folder: %w", err)
	}

	return f, nil
}

// Node is a folder or a file of a [Tree].
type Node struct {
	ID       int64
	ParentID int64 // 0 for the top-level items
	Name     string
	IsFolder bool
	// Path holds the names from the top of the tree down to this node.
	Path []string
	// Version is the current version of a file (nil for folders, or when
	// Procore did not send one).
	Version  *procore.FileVersion
	Children []*Node
}

// Tree is a whole project (or folder subtree) built from the documents
// index.
type Tree struct {
	// Root is a synthetic node holding the top-level items.
	Root *Node
	// ByID finds any node.
	ByID map[int64]*Node
	// Requests is the number of index pages fetched.
	Requests int
}

// ListTree lists every folder and file of scope (below folderID when it is
// not 0) through the paginated documents index, about items/1000 requests
// instead of one per folder, and builds the tree from parent ids. Items in
// the recycle bin are left out.
func (t *Transferer) ListTree(ctx context.Context, scope procore.Scope, folderID int64) (*Tree, error) {
	opts := procore.DocumentListOptions{
		ListOptions:       procore.ListOptions{Page: 1, PerPage: 1000},
		FolderID:          folderID,
		Extended:          true,
		ExcludeRecycleBin: true,
	}

	var docs []procore.Document
	tree := &Tree{Root: &Node{ID: folderID, IsFolder: true}, ByID: map[int64]*Node{}}
	for {
		page, resp, err := t.c.Documents.List(ctx, scope, opts)
		tree.Requests++
		if err != nil {
			return nil, fmt.Errorf("transfer: list tree: %w", err)
		}

		docs = append(docs, page...)
		next := resp.Next(opts.Page, len(page), opts.PerPage)
		if next == 0 {
			break
		}
		opts.Page = next
	}

	buildTree(tree, docs, folderID)
	return tree, nil
}

// buildTree links the index items by parent id; items whose parent is not
// in the list hang from the root.
func buildTree(tree *Tree, docs []procore.Document, top int64) {
	for _, d := range docs {
		// An item without an id (null) cannot be placed; below a folder
		// it would take in the items whose parent id is null (0 too) and
		// hide them with itself.
		if d.IsDeleted || d.IsRecycleBin || d.ID == top || d.ID == 0 {
			continue
		}

		n := &Node{ID: d.ID, Name: d.Name, IsFolder: d.IsFolder()}
		if d.ParentID != nil {
			n.ParentID = *d.ParentID
		}

		if d.File != nil {
			n.Version = d.File.CurrentVersion
		}
		tree.ByID[d.ID] = n
	}

	for _, n := range tree.ByID {
		parent, ok := tree.ByID[n.ParentID]
		if !ok || !parent.IsFolder {
			parent = tree.Root
		}
		parent.Children = append(parent.Children, n)
	}

	var walk func(n *Node, path []string)
	walk = func(n *Node, path []string) {
		sort.Slice(n.Children, func(i, j int) bool {
			a, b := n.Children[i], n.Children[j]
			if a.IsFolder != b.IsFolder {
				return a.IsFolder
			}

			return a.Name < b.Name
		})

		for _, c := range n.Children {
			c.Path = append(append([]string(nil), path...), c.Name)
			walk(c, c.Path)
		}
	}
	walk(tree.Root, nil)
}

// Walk calls fn for every node below n, depth first, folders before files.
func (n *Node) Walk(fn func(*Node)) {
	for _, c := range n.Children {
		fn(c)
		c.Walk(fn)
	}
}
