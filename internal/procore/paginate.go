package procore

import (
	"iter"
	"net/url"
	"strconv"
)

// ListOptions selects one page of a paginated list. Zero values leave the
// choice to Procore.
type ListOptions struct {
	Page    int
	PerPage int
}

func (o ListOptions) apply(q url.Values) {
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}

	if o.PerPage > 0 {
		q.Set("per_page", strconv.Itoa(o.PerPage))
	}
}

// paginate walks every page from first on. fetch returns one page. The walk
// follows the Link header's next page; without a Link header it goes on
// while pages come back full.
func paginate[T any](first ListOptions, fetch func(ListOptions) ([]T, *Response, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		opts := first
		if opts.Page < 1 {
			opts.Page = 1
		}

		for {
			items, resp, err := fetch(opts)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}

			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}

			next := nextPage(resp, opts, len(items))
			if next == 0 {
				return
			}
			opts.Page = next
		}
	}
}

// nextPage returns the page after opts.Page, or 0 at the end.
func nextPage(resp *Response, opts ListOptions, n int) int {
	if resp.NextPage > opts.Page {
		return resp.NextPage
	}

	if resp.Header.Get("Link") != "" || n == 0 {
		return 0
	}

	perPage := resp.PerPage
	if perPage == 0 {
		perPage = opts.PerPage
	}

	if perPage > 0 && n >= perPage {
		return opts.Page + 1
	}

	return 0
}
