package sandbox

import (
	"net/url"
	"path"
	"sort"
	"strings"
)

// listOpts are the folder-listing query flags.
type listOpts struct {
	excludeFolders, excludeFiles, latestOnly bool
}

func sortFolders(l []*folder) {
	sort.Slice(l, func(i, j int) bool {
		if l[i].RecycleBin != l[j].RecycleBin {
			return l[j].RecycleBin
		}

		if a, b := strings.ToLower(l[i].Name), strings.ToLower(l[j].Name); a != b {
			return a < b
		}

		return l[i].ID < l[j].ID
	})
}

func sortFiles(l []*file) {
	sort.Slice(l, func(i, j int) bool {
		if a, b := strings.ToLower(l[i].Name), strings.ToLower(l[j].Name); a != b {
			return a < b
		}

		return l[i].ID < l[j].ID
	})
}

// folderChildren returns what a folder lists: its live children, or for the
// recycle bin every item deleted directly in its scope.
func (s *Server) folderChildren(f *folder) ([]*folder, []*file) {
	if !f.RecycleBin {
		return s.st.childFolders(f.ID), s.st.childFiles(f.ID)
	}

	var fos []*folder
	for _, x := range s.st.Folders {
		if x.Deleted && x.CompanyID == f.CompanyID && x.ProjectID == f.ProjectID {
			fos = append(fos, x)
		}
	}

	var fis []*file
	for _, x := range s.st.Files {
		if x.Deleted && x.CompanyID == f.CompanyID && x.ProjectID == f.ProjectID {
			fis = append(fis, x)
		}
	}

	sortFolders(fos)
	sortFiles(fis)

	return fos, fis
}

// folderJSON renders a folder; with deep set it lists its children, whose own
// folders and files arrays are empty (Procore lists one level only).
func (s *Server) folderJSON(f *folder, deep bool, o listOpts) map[string]any {
	fos, fis := s.folderChildren(f)

	var parent any
	if f.ParentID != 0 {
		parent = f.ParentID
	}

	m := map[string]any{
		"id": f.ID, "name": f.Name, "parent_id": parent, "name_with_path": s.st.folderPath(f.ID),
		"private": f.Private, "is_tracked": f.IsTracked, "tracked_folder": nil,
		"read_only": f.RecycleBin || f.ParentID == 0, "is_deleted": s.st.folderDeleted(f.ID),
		"is_recycle_bin": f.RecycleBin, "has_children": len(fos)+len(fis) > 0,
		"has_children_files": len(fis) > 0, "has_children_folders": len(fos) > 0,
		"updated_at": ts(f.UpdatedAt), "custom_fields": map[string]any{},
	}

	folders, files := []map[string]any{}, []map[string]any{}
	if deep && !o.excludeFolders {
		for _, c := range fos {
			folders = append(folders, s.folderJSON(c, false, o))
		}
	}

	if deep && !o.excludeFiles {
		for _, c := range fis {
			files = append(files, s.fileJSON(c, o.latestOnly))
		}
	}

	m["folders"], m["files"] = folders, files

	return m
}

func (s *Server) personJSON(id int64) any {
	u := s.st.Users[id]
	if u == nil {
		return nil
	}

	return map[string]any{"id": u.ID, "login": u.Login, "name": u.Name}
}

func (s *Server) fileJSON(f *file, latestOnly bool) map[string]any {
	var parent any
	if f.ParentID != 0 {
		parent = f.ParentID
	}

	var size int64
	if v := s.st.latestVersion(f); v != nil {
		size = v.Size
	}

	var by any
	if f.CheckedOutBy != 0 {
		by = s.personJSON(f.CheckedOutBy)
	}

	vers := []map[string]any{}
	ids := f.Versions
	if latestOnly && len(ids) > 0 {
		ids = ids[len(ids)-1:]
	}

	for _, id := range ids {
		vers = append(vers, s.versionJSON(s.st.Versions[id]))
	}

	return map[string]any{
		"id": f.ID, "name": f.Name, "parent_id": parent, "size": size,
		"description": f.Description, "created_at": ts(f.CreatedAt), "updated_at": ts(f.UpdatedAt),
		"checked_out_until": tsPtr(f.CheckedOutUntil), "checked_out_by": by,
		"name_with_path": s.st.folderPath(f.ParentID) + "/" + f.Name,
		"private":        f.Private, "is_tracked": f.IsTracked, "tracked_folder": nil,
		"file_type": fileType(f.Name), "file_versions": vers, "legacy_id": f.ID,
		"is_deleted": s.st.fileDeleted(f), "custom_fields": map[string]any{},
	}
}

// fileType is the lower-case extension without the dot ("" when none).
func fileType(name string) string {
	return strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
}

func (s *Server) versionJSON(v *fileVersion) map[string]any {
	u := s.downloadURL(v)

	return map[string]any{
		"id": v.ID, "file_id": v.FileID, "number": v.Number, "notes": v.Notes, "size": v.Size,
		"url": u, "created_at": ts(v.CreatedAt), "created_by": s.personJSON(v.CreatedByID),
		"prostore_file": map[string]any{"id": v.ProstoreID, "name": v.Name, "url": u, "filename": v.Name},
	}
}

// downloadURL is the API-host link of a version: it needs the bearer token
// and redirects to the storage listener.
func (s *Server) downloadURL(v *fileVersion) string {
	f := s.st.Files[v.FileID]

	q := url.Values{}
	q.Set("companyId", itoa(f.CompanyID))
	if f.ProjectID != 0 {
		q.Set("projectId", itoa(f.ProjectID))
	}

	p := "/fas/api/v5/files/" + itoa(v.ID)
	q.Set("sig", s.sign(p+"?"+q.Encode()))

	return s.url + p + "?" + q.Encode()
}

func splitExt(name string) (string, string) {
	ext := path.Ext(name)
	if ext == name {
		return name, ""
	}

	return strings.TrimSuffix(name, ext), ext
}
