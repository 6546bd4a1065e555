package procore

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// CompaniesService lists the companies the user belongs to.
type CompaniesService struct{ client *Client }

// List returns one page of companies (GET /rest/v1.0/companies).
func (s *CompaniesService) List(ctx context.Context, opts ListOptions) ([]Company, *Response, error) {
	q := url.Values{}
	opts.apply(q)

	path := "/rest/v1.0/companies"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}

	req, err := s.client.NewRequest(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, nil, err
	}

	var out []Company
	resp, err := s.client.Do(req, &out)
	if err != nil {
		return nil, resp, err
	}

	return out, resp, nil
}

// All iterates over every company, page by page. Iteration stops at the
// first error, which is yielded.
func (s *CompaniesService) All(ctx context.Context) iter.Seq2[Company, error] {
	return paginate(ListOptions{PerPage: 100}, func(o ListOptions) ([]Company, *Response, error) {
		return s.List(ctx, o)
	})
}
