package sandbox

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// docItem is one entry of the flat documents index.
type docItem struct {
	folder *folder
	file   *file
}

func (d docItem) name() string {
	if d.file != nil {
		return d.file.Name
	}

	return d.folder.Name
}

// handleDocuments serves GET /rest/v1.0/projects/{project_id}/documents and
// the company variant: every folder and file of the scope except the root,
// filtered, sorted and paginated.
func (s *Server) handleDocuments(w http.ResponseWriter, r *http.Request, c *call) {
	q := r.URL.Query()

	s.mu.Lock()

	sc, ok := s.documentsScope(w, r, c)
	if !ok {
		s.mu.Unlock()
		return
	}

	items, ok := s.filteredDocs(w, sc, q)
	if !ok {
		s.mu.Unlock()
		return
	}

	s.sortDocs(items, q.Get("sort"))

	start, end := s.paginate(w, r, len(items))
	extended := q.Get("view") == "extended"
	out := []map[string]any{}
	for _, it := range items[start:end] {
		out = append(out, s.docJSON(it, extended))
	}
	s.mu.Unlock()

	writeJSON(w, http.StatusOK, out)
}

// pathScope resolves the {project_id} or {company_id} of a path and the
// caller's level there. No read access answers 404, as Procore does.
func (s *Server) pathScope(w http.ResponseWriter, r *http.Request, c *call) (scope, Level, bool) {
	if r.PathValue("project_id") != "" {
		pid, _ := pathInt(r, "project_id")
		p := s.st.Projects[pid]
		lv := s.st.projectLevel(c.user, pid)
		if p == nil || p.CompanyID != c.company || lv == LevelNone {
			notFound(w, "Project")
			return scope{}, LevelNone, false
		}

		return scope{Company: p.CompanyID, Project: pid}, lv, true
	}

	cid, _ := pathInt(r, "company_id")
	lv := s.st.companyLevel(c.user, cid)
	if cid != c.company || lv == LevelNone {
		notFound(w, "Company")
		return scope{}, LevelNone, false
	}

	return scope{Company: cid}, lv, true
}

// documentsScope is pathScope for reading the documents index.
func (s *Server) documentsScope(w http.ResponseWriter, r *http.Request, c *call) (scope, bool) {
	sc, _, ok := s.pathScope(w, r, c)

	return sc, ok
}

func (s *Server) filteredDocs(w http.ResponseWriter, sc scope, q url.Values) ([]docItem, bool) {
	var under int64
	if v := q.Get("filters[folder_id]"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		f := s.st.Folders[id]
		if err != nil || f == nil || !s.st.inScope(f, sc) {
			notFound(w, "Folder")
			return nil, false
		}

		under = id
	}

	kind := q.Get("filters[document_type]")
	search := strings.ToLower(q.Get("filters[search]"))
	bin := q.Get("filters[is_in_recycle_bin]")
	types := append(q["filters[file_type][]"], q["filters[file_type]"]...)

	// The recycle bin's subtree is what it lists: every deleted item of the
	// scope (their parent ids still name the folders they were deleted from).
	underBin := under != 0 && s.st.Folders[under].RecycleBin
	keep := func(d docItem, deleted bool, parent int64) bool {
		switch {
		case underBin:
			if !deleted || d.folder != nil && d.folder.ID == under {
				return false
			}
		case under != 0 && !s.st.isAncestor(under, parent):
			return false
		}

		if search != "" && !strings.Contains(strings.ToLower(d.name()), search) {
			return false
		}

		if bin == "true" && !deleted || bin == "false" && deleted {
			return false
		}

		return true
	}

	var items []docItem
	if kind != "file" && len(types) == 0 {
		for _, f := range s.st.Folders {
			if s.st.inScope(f, sc) && f.ParentID != 0 &&
				keep(docItem{folder: f}, s.st.folderDeleted(f.ID) || f.RecycleBin, f.ParentID) {
				items = append(items, docItem{folder: f})
			}
		}
	}

	if kind != "folder" {
		for _, f := range s.st.Files {
			if s.st.fileInScope(f, sc) && typeMatch(f, types) &&
				keep(docItem{file: f}, s.st.fileDeleted(f), f.ParentID) {
				items = append(items, docItem{file: f})
			}
		}
	}

	return items, true
}

func typeMatch(f *file, types []string) bool {
	if len(types) == 0 {
		return true
	}

	for _, t := range types {
		if strings.EqualFold(t, fileType(f.Name)) {
			return true
		}
	}

	return false
}

// sortDocs orders by sort (name, updated_at, created_at,
// document_type_then_name; "-" reverses); the default is
// document_type_then_name (folders first), ties broken by id.
func (s *Server) sortDocs(items []docItem, key string) {
	desc := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")

	lower := make(map[docItem]string, len(items))
	for _, it := range items {
		lower[it] = strings.ToLower(it.name())
	}

	less := func(a, b docItem) int {
		switch key {
		case "name":
			return strings.Compare(lower[a], lower[b])
		case "updated_at", "created_at":
			ta, tb := s.docTimes(a, key), s.docTimes(b, key)
			return ta.Compare(tb)
		}

		if (a.file == nil) != (b.file == nil) {
			if a.file == nil {
				return -1
			}

			return 1
		}

		return strings.Compare(lower[a], lower[b])
	}

	sort.SliceStable(items, func(i, j int) bool {
		c := less(items[i], items[j])
		if c == 0 {
			return docID(items[i]) < docID(items[j])
		}

		return (c < 0) != desc
	})
}

func docID(d docItem) int64 {
	if d.file != nil {
		return d.file.ID
	}

	return d.folder.ID
}

func (s *Server) docJSON(d docItem, extended bool) map[string]any {
	var m map[string]any
	if d.file != nil {
		m = s.fileDocJSON(d.file, extended)
	} else {
		m = s.folderDocJSON(d.folder, extended)
	}

	return m
}

func (s *Server) folderDocJSON(f *folder, extended bool) map[string]any {
	m := map[string]any{
		"id": f.ID, "name": f.Name, "name_with_path": s.st.folderPath(f.ID), "parent_id": f.ParentID,
		"document_type": "folder", "created_at": ts(f.CreatedAt), "created_by": s.personJSON(f.CreatedByID),
		"updated_at": ts(f.UpdatedAt), "is_deleted": s.st.folderDeleted(f.ID),
		"is_recycle_bin": f.RecycleBin, "private": f.Private, "read_only": f.RecycleBin,
		"custom_fields": map[string]any{},
	}
	if extended {
		fos, fis := s.folderChildren(f)
		m["is_tracked"] = f.IsTracked
		m["tracked_folder"] = nil
		m["private_parent"] = nil
		m["children"] = map[string]any{
			"has_children": len(fos)+len(fis) > 0, "has_children_files": len(fis) > 0,
			"has_children_folders": len(fos) > 0,
		}
	}

	return m
}

func (s *Server) fileDocJSON(f *file, extended bool) map[string]any {
	m := map[string]any{
		"id": f.ID, "name": f.Name, "name_with_path": s.st.folderPath(f.ParentID) + "/" + f.Name,
		"parent_id": f.ParentID, "document_type": "file", "created_at": ts(f.CreatedAt),
		"created_by": s.personJSON(f.CreatedByID), "updated_at": ts(f.UpdatedAt),
		"is_deleted": s.st.fileDeleted(f), "is_recycle_bin": false, "private": f.Private,
		"read_only": false, "custom_fields": map[string]any{},
	}
	if extended {
		var cur any
		if v := s.st.latestVersion(f); v != nil {
			cur = s.versionJSON(v)
		}

		var by any
		if f.CheckedOutBy != 0 {
			by = s.personJSON(f.CheckedOutBy)
		}

		m["is_tracked"] = f.IsTracked
		m["tracked_folder"] = nil
		m["private_parent"] = nil
		m["children"] = map[string]any{"has_children": false, "has_children_files": false,
			"has_children_folders": false}
		m["file"] = map[string]any{
			"checked_out_by": by, "checked_out_until": tsPtr(f.CheckedOutUntil),
			"current_version": cur, "description": f.Description, "file_type": fileType(f.Name),
		}
	}

	return m
}

func (s *Server) docTimes(d docItem, key string) time.Time {
	switch {
	case d.file != nil && key == "created_at":
		return d.file.CreatedAt
	case d.file != nil:
		return d.file.UpdatedAt
	case key == "created_at":
		return d.folder.CreatedAt
	}

	return d.folder.UpdatedAt
}
