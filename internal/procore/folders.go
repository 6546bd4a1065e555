package procore

import (
	"context"
	"net/http"
	"net/url"
)

// FoldersService manages Documents-tool folders of a project or a company.
type FoldersService struct{ client *Client }

// FolderOptions trims what a folder listing carries.
type FolderOptions struct {
	ExcludeFolders bool
	ExcludeFiles   bool
	// LatestVersionOnly asks for only the newest version of each file.
	LatestVersionOnly bool
}

func (o *FolderOptions) query(s Scope) url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}

	if o.ExcludeFolders {
		q.Set("exclude_folders", "true")
	}

	if o.ExcludeFiles {
		q.Set("exclude_files", "true")
	}

	if o.LatestVersionOnly && !s.IsCompany() {
		q.Set("show_latest_file_version_only", "true")
	}

	return q
}

// Root returns the root folder with its direct children, in one request.
func (s *FoldersService) Root(ctx context.Context, scope Scope, opts *FolderOptions) (*Folder, *Response, error) {
	return s.get(ctx, scope, 0, opts)
}

// Get returns folder id with its direct children, in one request.
func (s *FoldersService) Get(
	ctx context.Context, scope Scope, id int64, opts *FolderOptions,
) (*Folder, *Response, error) {
	return s.get(ctx, scope, id, opts)
}

func (s *FoldersService) get(
	ctx context.Context, scope Scope, id int64, opts *FolderOptions,
) (*Folder, *Response, error) {
	req, err := s.client.NewRequest(ctx, http.MethodGet, scope.docPath("folders", id, opts.query(scope)), nil)
	if err != nil {
		return nil, nil, err
	}

	return doFolder(s.client, req)
}

// folderBody is the JSON body of folder create and update.
type folderBody struct {
	Folder folderFields `json:"folder"`
}

type folderFields struct {
	Name     *string `json:"name,omitempty"`
	ParentID *int64  `json:"parent_id,omitempty"`
}

// Create makes folder name inside parentID (0: the root folder). It is not
// retried after an ambiguous failure; a taken name is [ErrNameTaken].
func (s *FoldersService) Create(
	ctx context.Context, scope Scope, parentID int64, name string,
) (*Folder, *Response, error) {
	body := folderBody{Folder: folderFields{Name: &name}}
	if parentID != 0 {
		body.Folder.ParentID = &parentID
	}

	req, err := s.client.NewRequest(ctx, http.MethodPost, scope.docPath("folders", 0, nil), body)
	if err != nil {
		return nil, nil, err
	}

	return doFolder(s.client, req)
}

// Rename gives folder id a new name.
func (s *FoldersService) Rename(ctx context.Context, scope Scope, id int64, name string) (*Folder, *Response, error) {
	return s.update(ctx, scope, id, folderFields{Name: &name})
}

// Move puts folder id inside parentID.
func (s *FoldersService) Move(ctx context.Context, scope Scope, id, parentID int64) (*Folder, *Response, error) {
	return s.update(ctx, scope, id, folderFields{ParentID: &parentID})
}

func (s *FoldersService) update(
	ctx context.Context, scope Scope, id int64, f folderFields,
) (*Folder, *Response, error) {
	req, err := s.client.NewRequest(ctx, http.MethodPatch, scope.docPath("folders", id, nil), folderBody{f})
	if err != nil {
		return nil, nil, err
	}

	// Setting the same name or parent again changes nothing.
	return doFolder(s.client, Idempotent(req))
}

// Delete moves folder id to the recycle bin. When the answer to an attempt
// is lost and the retry is answered 404, that attempt did the delete: Delete
// returns the 404 Response and no error.
func (s *FoldersService) Delete(ctx context.Context, scope Scope, id int64) (*Response, error) {
	req, err := s.client.NewRequest(ctx, http.MethodDelete, scope.docPath("folders", id, nil), nil)
	if err != nil {
		return nil, err
	}

	return s.client.doDelete(req)
}

func doFolder(c *Client, req *http.Request) (*Folder, *Response, error) {
	var f Folder
	resp, err := c.Do(req, &f)
	if err != nil {
		return nil, resp, err
	}

	return &f, resp, nil
}
