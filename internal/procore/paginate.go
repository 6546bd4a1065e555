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

			next := resp.Next(opts.Page, len(items), opts.PerPage)
			if next == 0 {
				return
			}
			opts.Page = next
		}
	}
}

// Next returns the page to fetch after page, which held n items when
// perPage were asked for, or 0 at the end. It follows the Link header's next
// page. Without a Link header it goes on while pages come back full (by the
// Per-Page header) and Total is not reached; without Per-Page either, a
// server may have capped the page size, so Total decides when it is given
// (at the cost of one empty page at the end), else a page shorter than
// perPage is the last.
func (r *Response) Next(page, n, perPage int) int {
	if r.NextPage > page {
		return r.NextPage
	}

	if r.Header.Get("Link") != "" || n == 0 {
		return 0
	}

	var more bool
	switch {
	case r.PerPage > 0:
		more = n >= r.PerPage && (r.Total <= 0 || page*r.PerPage < r.Total)
	case r.Total > 0:
		more = page*n < r.Total
	default:
		more = perPage > 0 && n >= perPage
	}

	if !more {
		return 0
	}

	return page + 1
}
