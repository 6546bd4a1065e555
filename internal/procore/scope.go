package procore

import (
	"fmt"
	"net/url"
	"strconv"
)

// Scope says whether a Documents-tool call acts on a project's documents or
// on a company's documents. Build one with [ProjectScope] or [CompanyScope].
type Scope struct {
	company bool
	id      int64
}

// ProjectScope addresses the documents of project id.
func ProjectScope(id int64) Scope { return Scope{id: id} }

// CompanyScope addresses the company-level documents of company id.
func CompanyScope(id int64) Scope { return Scope{company: true, id: id} }

// ID returns the project or company id.
func (s Scope) ID() int64 { return s.id }

// IsCompany reports whether s is a company scope.
func (s Scope) IsCompany() bool { return s.company }

// String implements fmt.Stringer.
func (s Scope) String() string {
	if s.company {
		return fmt.Sprintf("company %d", s.id)
	}

	return fmt.Sprintf("project %d", s.id)
}

// docPath builds a v1.0 Documents-tool path: project calls carry project_id
// in the query, company calls carry the company in the path. id 0 means the
// collection.
func (s Scope) docPath(resource string, id int64, q url.Values) string {
	if q == nil {
		q = url.Values{}
	}

	p := "/rest/v1.0/"
	if s.company {
		p += "companies/" + strconv.FormatInt(s.id, 10) + "/"
	} else {
		q.Set("project_id", strconv.FormatInt(s.id, 10))
	}

	p += resource
	if id != 0 {
		p += "/" + strconv.FormatInt(id, 10)
	}

	if len(q) > 0 {
		p += "?" + q.Encode()
	}

	return p
}

// nestedPath builds /rest/{version}/{projects|companies}/{id}/{resource}.
func (s Scope) nestedPath(version, resource string) string {
	kind := "projects"
	if s.company {
		kind = "companies"
	}

	return fmt.Sprintf("/rest/%s/%s/%d/%s", version, kind, s.id, resource)
}
