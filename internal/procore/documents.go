package procore

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// DocumentsService reads the flat, paginated documents index: every folder
// and file of a project (or a company) in about total/per_page requests.
type DocumentsService struct{ client *Client }

// DocumentListOptions filters the documents index.
type DocumentListOptions struct {
	ListOptions
	// FolderID limits the list to a folder and its subtree.
	FolderID int64
	// DocumentType is DocumentTypeFolder or DocumentTypeFile (empty: both).
	DocumentType string
	// Search matches names.
	Search string
	// Extended asks for view=extended (file versions, children flags).
	Extended bool
	// ExcludeRecycleBin drops items in the recycle bin.
	ExcludeRecycleBin bool
	// Sort is a sort key such as "name"; a "-" prefix reverses it.
	Sort string
}

func (o DocumentListOptions) query() url.Values {
	q := url.Values{}
	o.apply(q)
	if o.FolderID != 0 {
		q.Set("filters[folder_id]", strconv.FormatInt(o.FolderID, 10))
	}

	if o.DocumentType != "" {
		q.Set("filters[document_type]", o.DocumentType)
	}

	if o.Search != "" {
		q.Set("filters[search]", o.Search)
	}

	if o.Extended {
		q.Set("view", "extended")
	}

	if o.ExcludeRecycleBin {
		q.Set("filters[is_in_recycle_bin]", "false")
	}

	if o.Sort != "" {
		q.Set("sort", o.Sort)
	}

	return q
}

// List returns one page of the index.
func (s *DocumentsService) List(
	ctx context.Context, scope Scope, opts DocumentListOptions,
) ([]Document, *Response, error) {
	path := scope.nestedPath("v1.0", "documents") + "?" + opts.query().Encode()
	req, err := s.client.NewRequest(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, nil, err
	}

	var out []Document
	resp, err := s.client.Do(req, &out)
	if err != nil {
		return nil, resp, err
	}

	return out, resp, nil
}

// All iterates over the whole index, page by page (1000 items a page unless
// opts says otherwise).
func (s *DocumentsService) All(ctx context.Context, scope Scope, opts DocumentListOptions) iter.Seq2[Document, error] {
	if opts.PerPage == 0 {
		opts.PerPage = 1000
	}

	return paginate(opts.ListOptions, func(o ListOptions) ([]Document, *Response, error) {
		opts.ListOptions = o
		return s.List(ctx, scope, opts)
	})
}
