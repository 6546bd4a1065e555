package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Page sizes of the paginated lists. Procore documents neither; see doc.go.
const (
	defaultPerPage = 100
	maxPerPage     = 1000
)

// paginate reads page and per_page, sets Total, Per-Page and Link, and returns
// the slice bounds of the requested page within total items.
func (s *Server) paginate(w http.ResponseWriter, r *http.Request, total int) (int, int) {
	q := r.URL.Query()

	per, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || per < 1 {
		per = defaultPerPage
	}

	per = min(per, maxPerPage)

	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}

	last := max(1, (total+per-1)/per)

	h := w.Header()
	h.Set("Total", strconv.Itoa(total))
	h.Set("Per-Page", strconv.Itoa(per))

	if link := s.linkHeader(r, page, last); link != "" {
		h.Set("Link", link)
	}

	start := min(total, (page-1)*per)
	end := min(total, start+per)

	return start, end
}

// linkHeader builds RFC 5988 links the way Procore documents them: first when
// page > 1, prev when page > 2 (on page 2 prev would equal first), next when
// not on the last page, last when there is more than one page.
func (s *Server) linkHeader(r *http.Request, page, last int) string {
	if last <= 1 {
		return ""
	}

	var links []string
	add := func(p int, rel string) {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		links = append(links, "<"+s.url+r.URL.Path+"?"+q.Encode()+`>; rel="`+rel+`"`)
	}

	if page > 1 {
		add(1, "first")
	}

	if page > 2 {
		add(min(page-1, last), "prev")
	}

	if page < last {
		add(page+1, "next")
	}

	add(last, "last")

	return strings.Join(links, ", ")
}

// ts formats a time the way Procore does: UTC, seconds, "Z".
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func tsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}

	return ts(*t)
}
