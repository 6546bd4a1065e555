package procore

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// ProjectsService lists and shows projects.
type ProjectsService struct{ client *Client }

// ProjectListOptions filters GET /rest/v1.1/projects.
type ProjectListOptions struct {
	ListOptions
	// Status is "Active", "Inactive" or "All" (Procore's default: Active).
	Status string
	// Name filters by name.
	Name string
}

// List returns one page of the projects of companyID.
func (s *ProjectsService) List(
	ctx context.Context, companyID int64, opts ProjectListOptions,
) ([]Project, *Response, error) {
	q := url.Values{"company_id": {strconv.FormatInt(companyID, 10)}}
	opts.apply(q)
	if opts.Status != "" {
		q.Set("filters[by_status]", opts.Status)
	}

	if opts.Name != "" {
		q.Set("filters[name]", opts.Name)
	}

	req, err := s.client.NewRequest(ctx, http.MethodGet, "/rest/v1.1/projects?"+q.Encode(), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set(CompanyHeader, strconv.FormatInt(companyID, 10))

	var out []Project
	resp, err := s.client.Do(req, &out)
	if err != nil {
		return nil, resp, err
	}

	return out, resp, nil
}

// All iterates over every project of companyID matching opts.
func (s *ProjectsService) All(ctx context.Context, companyID int64, opts ProjectListOptions) iter.Seq2[Project, error] {
	if opts.PerPage == 0 {
		opts.PerPage = 300
	}

	return paginate(opts.ListOptions, func(o ListOptions) ([]Project, *Response, error) {
		opts.ListOptions = o
		return s.List(ctx, companyID, opts)
	})
}

// Get shows one project.
func (s *ProjectsService) Get(ctx context.Context, companyID, projectID int64) (*Project, *Response, error) {
	path := fmt.Sprintf("/rest/v1.0/projects/%d?company_id=%d", projectID, companyID)
	req, err := s.client.NewRequest(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set(CompanyHeader, strconv.FormatInt(companyID, 10))

	var p Project
	resp, err := s.client.Do(req, &p)
	if err != nil {
		return nil, resp, err
	}

	return &p, resp, nil
}
