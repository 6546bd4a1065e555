package sandbox

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// handleMe serves GET /rest/v1.0/me. name is filled only when company_id or
// project_id is given, as the spec describes.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, c *call) {
	var name any
	q := r.URL.Query()
	if q.Get("company_id") != "" || q.Get("project_id") != "" {
		name = c.user.Name
	}

	writeJSON(w, http.StatusOK, map[string]any{"id": c.user.ID, "login": c.user.Login, "name": name})
}

// handleCompanies serves GET /rest/v1.0/companies (paginated).
func (s *Server) handleCompanies(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	var list []map[string]any
	mine := false
	for _, co := range s.sortedCompanies() {
		if !s.st.seesCompany(c.user, co.ID) {
			continue
		}

		my := !mine && !c.user.Service && s.st.companyLevel(c.user, co.ID) > LevelNone
		mine = mine || my
		list = append(list, map[string]any{
			"id": co.ID, "name": co.Name, "is_active": true, "logo_url": nil,
			"pcn_business_experience": false, "my_company": my,
		})
	}
	s.mu.Unlock()

	start, end := s.paginate(w, r, len(list))
	writeJSON(w, http.StatusOK, nonNil(list[start:end]))
}

func (s *Server) sortedCompanies() []*company {
	out := make([]*company, 0, len(s.st.Companies))
	for _, c := range s.st.Companies {
		out = append(out, c)
	}

	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })

	return out
}

// visibleProjects lists the company's projects the user can read, by name.
func (s *Server) visibleProjects(c *call, companyID int64) []*project {
	var out []*project
	for _, p := range s.st.Projects {
		if p.CompanyID == companyID && s.st.projectLevel(c.user, p.ID) > LevelNone {
			out = append(out, p)
		}
	}

	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}

		return out[i].ID < out[j].ID
	})

	return out
}

// queryCompany checks the company_id query: missing or unreadable is 400, a
// company other than the header's is 404. It answers the error itself.
func queryCompany(w http.ResponseWriter, r *http.Request, c *call) bool {
	cid, ok := queryInt(r, "company_id")
	if !ok {
		missingParam(w, "company_id")
		return false
	}

	if cid != c.company {
		notFound(w, "Company")
		return false
	}

	return true
}

// handleProjects serves GET /rest/v1.0/projects and /rest/v1.1/projects.
func (s *Server) handleProjects(w http.ResponseWriter, r *http.Request, c *call) {
	q := r.URL.Query()

	if !queryCompany(w, r, c) {
		return
	}

	compact := q.Get("serializer_view") == "compact" || q.Get("view") == "compact"

	s.mu.Lock()
	var list []map[string]any
	for _, p := range s.visibleProjects(c, c.company) { // queryCompany checked company_id
		if !projectFilter(q, p) {
			continue
		}

		list = append(list, s.projectJSON(p, compact))
	}
	s.mu.Unlock()

	start, end := s.paginate(w, r, len(list))
	writeJSON(w, http.StatusOK, nonNil(list[start:end]))
}

func projectFilter(q map[string][]string, p *project) bool {
	if n := first(q["filters[name]"]); n != "" && !strings.Contains(strings.ToLower(p.Name), strings.ToLower(n)) {
		return false
	}

	if st := first(q["filters[by_status]"]); st == "Inactive" {
		return false
	}

	ids := append(q["filters[id][]"], q["filters[id]"]...)
	if len(ids) == 0 {
		return true
	}

	for _, id := range ids {
		if id == strconv.FormatInt(p.ID, 10) {
			return true
		}
	}

	return false
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}

	return v[0]
}

// handleCompanyProjects serves GET /rest/v1.0/companies/{company_id}/projects
// (not paginated, as in the spec).
func (s *Server) handleCompanyProjects(w http.ResponseWriter, r *http.Request, c *call) {
	cid, ok := pathInt(r, "company_id")
	if !ok || cid != c.company {
		notFound(w, "Company")
		return
	}

	s.mu.Lock()
	list := []map[string]any{}
	for _, p := range s.visibleProjects(c, c.company) { // queryCompany checked company_id
		list = append(list, s.projectJSON(p, false))
	}
	s.mu.Unlock()

	writeJSON(w, http.StatusOK, list)
}

// handleProject serves GET /rest/v1.0/projects/{id}.
func (s *Server) handleProject(w http.ResponseWriter, r *http.Request, c *call) {
	id, _ := pathInt(r, "id")

	// A company_id query that is not the header's company is 404, as on the list.
	if r.URL.Query().Has("company_id") && !queryCompany(w, r, c) {
		return
	}

	s.mu.Lock()
	p := s.st.Projects[id]
	ok := p != nil && p.CompanyID == c.company && s.st.projectLevel(c.user, id) > LevelNone
	var body map[string]any
	if ok {
		body = s.projectJSON(p, false)
	}
	s.mu.Unlock()

	if !ok {
		notFound(w, "Project")
		return
	}

	writeJSON(w, http.StatusOK, body)
}

func (s *Server) projectJSON(p *project, compact bool) map[string]any {
	m := map[string]any{"id": p.ID, "name": p.Name, "display_name": displayName(p)}
	if compact {
		return m
	}

	var num any
	if p.Number != "" {
		num = p.Number
	}

	co := s.st.Companies[p.CompanyID]
	m["project_number"] = num
	m["active"] = true
	m["company"] = map[string]any{"id": co.ID, "name": co.Name}
	m["created_at"] = ts(p.CreatedAt)
	m["updated_at"] = ts(p.UpdatedAt)
	m["origin_id"] = nil
	m["origin_data"] = nil
	m["origin_code"] = nil
	m["time_zone"] = "UTC"
	m["is_demo"] = false
	m["address"] = nil
	m["city"] = nil
	m["state_code"] = nil
	m["country_code"] = nil
	m["custom_fields"] = map[string]any{}

	return m
}

func displayName(p *project) string {
	if p.Number == "" {
		return p.Name
	}

	return p.Number + " - " + p.Name
}

func nonNil(l []map[string]any) []map[string]any {
	if l == nil {
		return []map[string]any{}
	}

	return l
}
