package procore

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/redact"
)

// FilesService manages Documents-tool files of a project or a company.
type FilesService struct{ client *Client }

// FileCreate describes a new file. UploadUUID names a completed upload
// (see [UploadsService]).
type FileCreate struct {
	Name        string
	ParentID    int64 // 0: the root folder
	UploadUUID  string
	Description string
	// UniqueName nil leaves Procore's default; false asks for a "name taken"
	// error instead of an automatic rename.
	UniqueName *bool
}

// Get shows file id with its versions.
func (s *FilesService) Get(ctx context.Context, scope Scope, id int64, latestOnly bool) (*File, *Response, error) {
	q := url.Values{}
	if latestOnly {
		q.Set("show_latest_version_only", "true")
	}

	req, err := s.client.NewRequest(ctx, http.MethodGet, scope.docPath("files", id, q), nil)
	if err != nil {
		return nil, nil, err
	}

	return doFile(s.client, req)
}

// Create makes a new file from a completed upload (multipart file[...]
// fields). It is not retried after an ambiguous failure, since that could
// create the file twice; a taken name is [ErrNameTaken].
func (s *FilesService) Create(ctx context.Context, scope Scope, f FileCreate) (*File, *Response, error) {
	form := new(Form).Set("file[name]", f.Name)
	if f.ParentID != 0 {
		form.Set("file[parent_id]", strconv.FormatInt(f.ParentID, 10))
	}

	if f.UploadUUID != "" {
		form.Set("file[upload_uuid]", f.UploadUUID)
	}

	if f.Description != "" {
		form.Set("file[description]", f.Description)
	}

	if f.UniqueName != nil {
		form.Set("file[unique_name]", strconv.FormatBool(*f.UniqueName))
	}

	req, err := s.client.NewRequest(ctx, http.MethodPost, scope.docPath("files", 0, nil), form)
	if err != nil {
		return nil, nil, err
	}

	return doFile(s.client, req)
}

// FileUpdate changes a file. Nil fields are left alone; a non-empty
// UploadUUID makes a new version.
type FileUpdate struct {
	Name        *string
	ParentID    *int64
	Description *string
	UploadUUID  string
	// CheckedOutUntil checks the file out until that time (a zero time
	// checks it back in).
	CheckedOutUntil *time.Time
}

// Update changes file id. With an UploadUUID it makes a new version and is
// then not retried after an ambiguous failure. A file checked out by someone
// else gives [ErrCheckedOut].
func (s *FilesService) Update(ctx context.Context, scope Scope, id int64, u FileUpdate) (*File, *Response, error) {
	form := new(Form)
	if u.Name != nil {
		form.Set("file[name]", *u.Name)
	}

	if u.ParentID != nil {
		form.Set("file[parent_id]", strconv.FormatInt(*u.ParentID, 10))
	}

	if u.Description != nil {
		form.Set("file[description]", *u.Description)
	}

	if u.UploadUUID != "" {
		form.Set("file[upload_uuid]", u.UploadUUID)
	}

	if u.CheckedOutUntil != nil {
		v := ""
		if !u.CheckedOutUntil.IsZero() {
			v = u.CheckedOutUntil.UTC().Format(time.RFC3339)
		}
		form.Set("file[checked_out_until]", v)
	}

	req, err := s.client.NewRequest(ctx, http.MethodPatch, scope.docPath("files", id, nil), form)
	if err != nil {
		return nil, nil, err
	}

	if u.UploadUUID == "" {
		req = Idempotent(req)
	}

	return doFile(s.client, req)
}

// Delete moves file id to the recycle bin. When the answer to an attempt
// is lost and the retry is answered 404, that attempt did the delete: Delete
// returns the 404 Response and no error.
func (s *FilesService) Delete(ctx context.Context, scope Scope, id int64) (*Response, error) {
	req, err := s.client.NewRequest(ctx, http.MethodDelete, scope.docPath("files", id, nil), nil)
	if err != nil {
		return nil, err
	}

	return s.client.doDelete(req)
}

// doDelete sends the DELETE of a folder or a file. When an earlier attempt
// got no answer (or a 5xx) and a retry is answered 404, that attempt moved
// the item to the recycle bin: the delete is done, and the 404 Response
// comes back without an error. A 404 to the first attempt is an error.
func (c *Client) doDelete(req *http.Request) (*Response, error) {
	resp, err := c.Do(req, nil)

	var er *ErrorResponse
	if errors.As(err, &er) && er.StatusCode == http.StatusNotFound && er.afterActed {
		c.log.Debug("procore delete already done after a lost answer",
			zap.String("url", redact.URLValue(req.URL)))

		return resp, nil
	}

	return resp, err
}

func doFile(c *Client, req *http.Request) (*File, *Response, error) {
	var f File
	resp, err := c.Do(req, &f)
	if err != nil {
		return nil, resp, err
	}

	return &f, resp, nil
}
