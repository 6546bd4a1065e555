package procore

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// FileVersionsService creates and shows file versions.
type FileVersionsService struct{ client *Client }

// FileVersionCreate describes a new version of an existing file.
type FileVersionCreate struct {
	UploadUUID string
	// Name is the file name used when the version is downloaded (optional).
	Name  string
	Notes string
}

// Create adds a version to fileID from a completed upload. It is not retried
// after an ambiguous failure, since that could add the version twice.
func (s *FileVersionsService) Create(
	ctx context.Context, scope Scope, fileID int64, v FileVersionCreate,
) (*FileVersion, *Response, error) {
	form := new(Form).Set("file_version[upload_uuid]", v.UploadUUID)
	if v.Name != "" {
		form.Set("file_version[name]", v.Name)
	}

	if v.Notes != "" {
		form.Set("file_version[notes]", v.Notes)
	}

	q := url.Values{"file_id": {strconv.FormatInt(fileID, 10)}}
	req, err := s.client.NewRequest(ctx, http.MethodPost, scope.docPath("file_versions", 0, q), form)
	if err != nil {
		return nil, nil, err
	}

	return doVersion(s.client, req)
}

// Get shows version id.
func (s *FileVersionsService) Get(ctx context.Context, scope Scope, id int64) (*FileVersion, *Response, error) {
	req, err := s.client.NewRequest(ctx, http.MethodGet, scope.docPath("file_versions", id, nil), nil)
	if err != nil {
		return nil, nil, err
	}

	return doVersion(s.client, req)
}

func doVersion(c *Client, req *http.Request) (*FileVersion, *Response, error) {
	var v FileVersion
	resp, err := c.Do(req, &v)
	if err != nil {
		return nil, resp, err
	}

	return &v, resp, nil
}
